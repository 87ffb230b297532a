"""Property: naming a registry's columns and spelling its values any way the packs accept — ids,
Chinese or English labels, aliases, synonyms, the yes/no words, the names of a mapping file, in any
width, case and padding, with a unit in brackets — never changes a grade."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from hypothesis import Phase, given, settings, strategies as st

import riskgrade

from registries import EXAMPLES, ROOT

AS_OF = dt.date(2026, 11, 1)
CARRIED = ("entity_id", "name", "address", "city", "county", "station", "grid")
BOOL_WORDS = [("true", "false"), ("是", "否"), ("有", "无"), ("对", "错"), ("Y", "N"), ("√", "×"), ("1", "0"),
              ("yes", "no")]


@pytest.fixture(scope="module")
def setting():
    packs = riskgrade.load_packs(ROOT / "rules")
    rows = []
    for name in ("venues", "small_venues", "vehicles"):  # a mixed registry: every pack but the chemical one
        with open(EXAMPLES / f"{name}.csv", encoding="utf-8-sig", newline="") as f:
            rows += [{k: v for k, v in r.items() if v != ""} for _, r in zip(range(8), csv.DictReader(f))]
    fields = {}
    for p in packs:
        for f in p.fields:
            fields.setdefault(f.name, f)
    baseline = riskgrade.grade_table(rows, packs, as_of=AS_OF)
    return packs, rows, fields, _grades(baseline)


def _grades(result):
    return ({(r["entity_id"], r["pack"]): (r["applies"], r["level"], r["score"], tuple(r["fired"]))
             for r in result.to_records()}, sorted(r.row for r in result.rejects))


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in text)


def _vary(draw, text: str) -> str:
    """The same word as another system might write it: case, width, padding."""
    if text.isascii() and draw(st.booleans()):
        text = draw(st.sampled_from([text.upper(), text.title(), text.lower()]))
    if draw(st.booleans()):
        text = _fullwidth(text)
    return draw(st.sampled_from(["", " ", "\u3000"])) + text + draw(st.sampled_from(["", " "]))


@st.composite
def spellings(draw, fields, columns):
    """(header for each column, value spelling per (field, value), the mapping it needs)."""
    mapping = {"columns": {}, "values": {}}
    headers = {}
    for i, column in enumerate(columns):
        f = fields.get(column)
        names = [("id", column)]
        if f is not None:
            names += [("label", t) for t in (f.label.zh, f.label.en) if f.label is not None and t]
            names += [("alias", a) for a in f.aliases]
        if f is not None or column in CARRIED:
            names.append(("mapped", f"本系统列{i}"))
        how, name = draw(st.sampled_from(names))
        if how == "mapped":
            mapping["columns"][name] = column
        elif how != "id" and draw(st.booleans()):
            name += draw(st.sampled_from(["（㎡）", "(个)", "【人】"]))
        headers[column] = _vary(draw, name) if how != "mapped" else name
    words = {}
    for column in columns:
        f = fields.get(column)
        if f is None:
            continue
        if f.kind == "boolean":
            pair = draw(st.sampled_from(BOOL_WORDS + [("mapped", "mapped")]))
            if pair[0] == "mapped":
                pair = ("符合", "不符合")
                mapping["values"][column] = {"符合": True, "不符合": False}
            words[column] = {"true": _vary(draw, pair[0]), "false": _vary(draw, pair[1])}
        elif f.kind == "category":
            per_code = {}
            for j, code in enumerate(f.values):
                label = f.value_labels[j] if f.value_labels else None
                options = [code] + [t for t in ((label.zh, label.en) if label is not None else ()) if t]
                options += [w for c, ws in f.synonyms if c == code for w in ws] + [f"代码{j}"]
                word = draw(st.sampled_from(options))
                if word == f"代码{j}":
                    mapping["values"].setdefault(column, {})[word] = code
                per_code[code] = _vary(draw, word)
            words[column] = per_code
    return headers, words, mapping


# No shrinking: an example is one whole registry's spelling, and the report in the failure message
# already names the column or value at fault (shrinking such examples takes minutes).
@settings(max_examples=15, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(data=st.data())
def test_any_accepted_naming_and_spelling_gives_the_same_grades(setting, data):
    packs, rows, fields, expected = setting
    columns = list(dict.fromkeys(c for r in rows for c in r))
    headers, words, mapping = data.draw(spellings(fields, columns))
    renamed = [{headers[c]: words.get(c, {}).get(v, v) if isinstance(v, str) else v for c, v in r.items()}
               for r in rows]
    result = riskgrade.grade_table(renamed, packs, as_of=AS_OF, mapping=mapping)
    assert _grades(result) == expected, result.report.render("en")
