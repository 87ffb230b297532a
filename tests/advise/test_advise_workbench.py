"""The workbench's entity page and its printed notice (风险告知书) carry the advice: the plan in one
sentence, and on screen the fixes with who does them and what they cost."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

import riskgrade

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def client():
    from fastapi.testclient import TestClient

    from riskgrade.serve.app import create_app
    from riskgrade.serve.settings import ServeSettings

    app = create_app(ServeSettings(rules=(str(ROOT / "rules"),), token="t", pack_tests=False))
    with TestClient(app) as c:
        data = (ROOT / "examples" / "venues.csv").read_bytes()
        assert c.post("/v1/grade/batch", params={"as_of": "2026-11-01"}, headers={"Authorization": "Bearer t"},
                      files={"file": ("venues.csv", data)}).status_code == 200
        yield c


def test_the_entity_page_shows_the_advice_as_the_library_gives_it(client):
    programs = riskgrade.load_packs(ROOT / "rules")
    entity_id = "FS-330102-000001"
    raw = riskgrade.find_entity(ROOT / "examples" / "venues.csv", entity_id, programs, as_of=dt.date(2026, 11, 1))
    (plan,) = riskgrade.advise(raw, programs, as_of=dt.date(2026, 11, 1))
    page = client.get(f"/entities/{entity_id}").text
    section = page[page.index('<div class="advice"'):]
    assert f'data-reaches="{plan.reaches_level}"' in section
    assert f'<p class="advice-summary">{plan.summary("zh")}</p>' in section
    shown = re.findall(r'<tr data-fix="([^"]+)">', section[:section.index("</table>")])
    assert shown == [f.id for f in plan.fixes]
    english = client.get(f"/entities/{entity_id}", params={"lang": "en"}).text
    assert plan.summary("en") in english
