"""The workbench in a real browser: the overview's counts equal the CLI's, an entity page explains its
grade, the what-if form re-grades as a value changes, the notice prints to one page, the diff page
shows the transition matrix. Every page is screenshotted to RISKGRADE_SHOTS (default
/tmp/riskgrade-shots) for a person to look at."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "serve"))
import riskgrade  # noqa: E402
from server import EXAMPLES, RULES, Server, bumped_pack  # noqa: E402

AS_OF = "2026-11-01"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    pytest.importorskip("fastapi")
    s = Server("--rules", str(RULES), "--no-tests")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def cli(tmp_path_factory) -> list[dict]:
    out = tmp_path_factory.mktemp("cli") / "graded.jsonl"
    done = subprocess.run([sys.executable, "-m", "riskgrade.cli.main", "grade", str(EXAMPLES / "venues.csv"),
                           "--rules", str(RULES), "--as-of", AS_OF, "-o", str(out), "--quiet"], capture_output=True)
    assert done.returncode == 1  # the six bad rows
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    p = context.new_page()
    p.set_default_timeout(20_000)
    yield p
    context.close()


def upload(page, server) -> None:
    page.goto(server.url + "/")
    page.set_input_files("input[name=file]", str(EXAMPLES / "venues.csv"))
    page.fill("input[name=as_of]", AS_OF)
    with page.expect_navigation():
        page.click("form.upload button[type=submit]")


def test_overview_counts_equal_the_cli(page, server, cli, shots):
    upload(page, server)
    assert page.inner_text("#rows-sum") == "300 行 = 294 已评级 + 6 被拒绝"
    shown = {}
    for row in page.query_selector_all("#by-pack tbody tr"):
        pack = row.get_attribute("data-pack")
        for cell in row.query_selector_all("td[data-level]"):
            if int(cell.inner_text()):
                shown[(pack, cell.get_attribute("data-level"))] = int(cell.inner_text())
    assert shown == dict(Counter((r["pack"], r["level"]) for r in cli if r["applies"]))
    assert page.locator("svg.chart rect").count() > 10  # the stacked bars are drawn
    page.screenshot(path=str(shots / "overview.png"), full_page=True)
    page.click("a.lang")
    assert "Overall levels" in page.content()
    page.screenshot(path=str(shots / "overview_en.png"), full_page=False)


def test_entity_page_explains_the_grade(page, server, cli, shots):
    red = next(r for r in cli if r["applies"] and r["level"] == "red")
    page.goto(f"{server.url}/entities/{red['entity_id']}")
    assert page.get_attribute("#overall-level", "data-level") == "red"
    section = page.locator(f"section.pack-expl[data-pack={red['pack']}]")
    shown = [c.inner_text() for c in section.locator("table.fired tbody td:first-child code").all()]
    assert shown == red["fired"]
    assert section.locator(".veto").count() >= 1  # a red grade comes with its veto
    page.screenshot(path=str(shots / "entity.png"), full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=str(shots / "notice_print.png"), full_page=True)
    pdf = shots / "notice.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    page.emulate_media(media="screen")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page[^s]", data)) == 1  # one page


def level_changing_choice(program):
    """The pack's first example, and a yes/no or category field value that changes its level (found
    with the library, so the test follows the pack's content)."""
    example = program.examples[0]
    before = riskgrade.grade(example.entity, program, as_of=example.as_of, params=example.params)
    for f in program.fields:
        options = ["true", "false"] if f.kind == "boolean" else list(f.values or ()) if f.kind == "category" else []
        for value in options:
            try:
                after = riskgrade.grade({**example.entity, f.name: value}, program, as_of=example.as_of,
                                        params=example.params)
            except riskgrade.RiskgradeError:
                continue
            if after.level != before.level:
                return before, f.name, value, after
    raise AssertionError("no single value changes the first example's level")


def test_whatif_regrades_as_a_value_changes(page, server, shots):
    (program,) = riskgrade.load_packs(RULES / "fire_safety.yaml")
    before, name, value, after = level_changing_choice(program)
    page.goto(server.url + "/packs/fire_safety")
    assert page.get_attribute("#whatif-level", "data-level") == before.level
    assert page.locator("table.rules tbody tr").count() == len(program.rules) and page.locator(".local").count() > 0
    page.select_option(f"select[name='f.{name}']", value)
    page.wait_for_selector(f"#whatif-level[data-level={after.level}]")
    shown = page.inner_text("#whatif-result")
    assert all(rule in shown for rule in after.packs[0].fired)
    page.screenshot(path=str(shots / "pack.png"), full_page=True)
    page.screenshot(path=str(shots / "pack_top.png"))


def test_diff_page_shows_the_transition_matrix(page, server, tmp_path, shots):
    (tmp_path / "fire_safety_v2.yaml").write_text(bumped_pack(RULES / "fire_safety.yaml"), encoding="utf-8")
    page.goto(server.url + "/diff")
    page.select_option("select[name=old]", "fire_safety")
    page.set_input_files("input[name=new_file]", str(tmp_path / "fire_safety_v2.yaml"))
    page.set_input_files("input[name=entities]", str(EXAMPLES / "venues.csv"))
    page.fill("input[name=as_of]", AS_OF)
    with page.expect_navigation():
        page.click("form.upload button[type=submit]")
    matrix = page.locator("#matrix-fire_safety")
    assert matrix.count() == 1 and page.locator("td.changed").count() > 0
    page.screenshot(path=str(shots / "diff.png"), full_page=True)
