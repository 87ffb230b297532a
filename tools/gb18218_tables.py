"""Write GB 18218-2018's substance tables into rules/hazardous_chemicals.yaml from the Table 1 TSV.

The pack knows a Table 1 substance by any of its spellings: the Table 1 name, an alias, a CAS number,
a few plain forms of the name, or a Table 2 category symbol (``W5.3``); any other name is a substance
not listed in Table 1, graded by its hazard category. Typing ~330 spellings and their critical
quantities by hand invites mistakes, so this script generates, between marker comments in the pack,
the ``tables`` block: ``critical_quantity_t`` (spelling -> Q, Tables 1 and 2), ``beta_toxic_gas``
(spelling -> Table 3 β), ``default_category`` (spelling -> the hazard category practice settles for
a few common Table 1 substances), ``shared_spelling`` and ``nitrocellulose_generic`` (spellings that
name several entries), ``highly_toxic``, ``explosive_precursor`` and ``explosive`` (spelling -> true).

Deterministic: the same TSV gives the same bytes. Run after editing the TSV or the lists below:

    python tools/gb18218_tables.py            # rewrite the generated blocks
    python tools/gb18218_tables.py --check    # exit 1 if they are stale

The TSV beside this script (tools/gb18218_table1.tsv) is Table 1 as transcribed in the domain
reference: number, name, aliases (";" or "、" between them), CAS numbers, critical quantity in t.

A spelling that several Table 1 entries share (硝化棉 and CAS 9004-70-0 for entries 37-42, CAS
6484-52-2 for entries 43-44) takes the lowest critical quantity among them: the conservative reading,
as GB 18218 does when several descriptions of Table 2 apply. The precise entry name gives its own Q.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACK = ROOT / "rules" / "hazardous_chemicals.yaml"
DEFAULT_TSV = Path(__file__).with_name("gb18218_table1.tsv")  # a copy of the domain reference's TSV
CAS = re.compile(r"\d{2,7}-\d{2}-\d")

# Plain forms accepted besides the printed name, by Table 1 entry number. Only forms that cannot be
# mistaken for a different product are listed: "甲醛" (formalin is not entry 8) and "硝酸" (below
# 70 % it is not entry 81) are deliberately absent.
EXTRA_SPELLINGS: dict[int, list[str]] = {
    11: ["氯化氢"],                      # Table 3 spells it without "(无水)"
    13: ["煤气", "一氧化碳", "630-08-0"],  # Table 3 names CO, which entry 13 covers
    37: ["硝化纤维素"],                   # shared with 38-42: lowest Q
    43: ["硝酸铵"],                      # shared with 44: lowest Q
    49: ["甲烷", "天然气"],
    52: ["液化石油气", "丙烷", "丁烷", "LPG"],
    56: ["氧"],
    63: ["环氧丙烷"],                    # the everyday name of 1,2-环氧丙烷
    66: ["汽油", "乙醇汽油", "甲醇汽油"],
}
# Table 3 (β of named toxic gases), by Table 1 entry; CO has its own spellings (entry 13 is 煤气).
TABLE3_BETA: dict[int, float] = {4: 2, 1: 2, 7: 2, 11: 3, 17: 3, 12: 4, 10: 5, 20: 5, 3: 10, 25: 10,
                                 6: 20, 9: 20, 30: 20}
TABLE3_EXTRA = {"一氧化碳": 2, "630-08-0": 2}
# Table 2 critical quantities by category symbol.
TABLE2_Q = {"J1": 5, "J2": 50, "J3": 50, "J4": 50, "J5": 500, "W1.1": 1, "W1.2": 10, "W1.3": 50,
            "W2": 10, "W3": 150, "W4": 50, "W5.1": 10, "W5.2": 50, "W5.3": 1000, "W5.4": 5000,
            "W6.1": 10, "W6.2": 50, "W7.1": 10, "W7.2": 50, "W8": 50, "W9.1": 50, "W9.2": 200,
            "W10": 200, "W11": 200}
# 剧毒: 氯 and 光气 are named "吸入性剧毒化学品" by 应急〔2018〕19号 (seen); the rest are recalled
# from the 剧毒 marks of 《危险化学品目录（2015版）》 and must be checked against it.
HIGHLY_TOXIC = [5, 6, 9, 12, 14, 25, 30]
# 易制爆: recalled from 《易制爆危险化学品名录》（2017年版）; check against it before release.
EXPLOSIVE_PRECURSOR = [46, 71, 76, 77, 78, 79, 80, 81, 84, 85]
# 爆炸品 (19号 1.2 counts their kinds): the explosives Table 1 names (31 叠氮化钡 … 36 硝化甘油) and the
# explosive categories of Table 2; dry nitrocellulose and ammonium nitrate are left to their category.
EXPLOSIVES = [31, 32, 33, 34, 35, 36]
EXPLOSIVE_SYMBOLS = ["W1.1", "W1.2", "W1.3"]
# The hazard category practice settles for common Table 1 substances not in Table 3 (it sets β by
# Table 4): flammable gas cat. 1 (W2) for LPG and methane / natural gas; flammable liquid cat. 2 under
# normal conditions (W5.3) for gasoline and methanol. standards.md 1.5, confidence R: evaluation-report
# practice, not the standard's text. A record's own ghs_category always wins (W5.1 above the boiling
# point, W5.2 under special process conditions).
# The explosives Table 1 names (31-36) take W1.1: Table 4 gives every explosive category β 2, so the
# division does not change β.
DEFAULT_CATEGORY: dict[int, str] = {31: "W1.1", 32: "W1.1", 33: "W1.1", 34: "W1.1", 35: "W1.1", 36: "W1.1",
                                    49: "W2", 52: "W2", 65: "W5.3", 66: "W5.3"}
# Spellings shared by the nitrocellulose entries (37-42): the water content tells 37 (Q 1) from 41 (Q 50).
NITROCELLULOSE = range(37, 43)
# Plain names that do not say which entry (listed with the entry of the lowest Q, see EXTRA_SPELLINGS).
GENERIC_SPELLINGS = {"硝化纤维素": list(NITROCELLULOSE), "硝酸铵": [43, 44]}


@dataclass(frozen=True)
class Entry:
    no: int
    name: str
    spellings: tuple[str, ...]  # name first, then aliases, extras and CAS numbers
    q: float


def read_entries(tsv: Path) -> list[Entry]:
    """The 85 entries of Table 1 with every spelling that names them."""
    out = []
    with tsv.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            no = int(row["no"])
            aliases = [a.strip() for a in re.split(r"[;、]", row["aliases"]) if a.strip()]
            names = [row["name"].strip(), *aliases, *EXTRA_SPELLINGS.get(no, [])]
            names += [_fullwidth(s) for s in names if _fullwidth(s) != s]
            spellings = tuple(dict.fromkeys(names + CAS.findall(row["cas"])))
            out.append(Entry(no, row["name"].strip(), spellings, float(row["critical_quantity_t"])))
    if len(out) != 85:
        raise SystemExit(f"{tsv}: expected the 85 entries of Table 1, found {len(out)}")
    return out


def _fullwidth(text: str) -> str:
    """The spelling with Chinese (full-width) brackets and commas, as registries often type it."""
    return text.translate(str.maketrans({"(": "（", ")": "）", ",": "，"}))


def critical_quantities(entries: list[Entry]) -> dict[str, tuple[float, list[int]]]:
    """spelling -> (Q, the entries it names); a shared spelling keeps the lowest Q."""
    q: dict[str, tuple[float, list[int]]] = {}
    for e in entries:
        for s in e.spellings:
            old_q, nos = q.get(s, (float("inf"), []))
            q[s] = (min(old_q, e.q), nos + [e.no])
    overlap = sorted(set(q) & set(TABLE2_Q))
    if overlap:
        raise SystemExit(f"Table 1 spellings collide with Table 2 symbols: {overlap}")
    return q


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(x)


def _key(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def tables(entries: list[Entry]) -> list[str]:
    q = critical_quantities(entries)
    lines = _table_head("critical_quantity_t", "number",
                        "GB 18218-2018 表1、表2 临界量（t）", "Critical quantity Q (t), Tables 1 and 2",
                        "GB18218-2018 4.1.2, tables 1-2")
    lines += _note("表1 名称、别名、CAS 号及表2 类别符号均可作键。多条共用的别名或 CAS（硝化棉、9004-70-0、"
                   "6484-52-2 等）取其中最低的临界量（从严）；写明具体条目名称则取该条目的临界量。",
                   "Every Table 1 name, alias and CAS number, and every Table 2 symbol, is a key. A spelling "
                   "several entries share (硝化棉, 9004-70-0, 6484-52-2) takes their lowest Q (the strict "
                   "reading); the precise entry name gives that entry's Q.")
    lines.append("    entries:")
    done: set[str] = set()
    for e in entries:
        lines.append(f"      # {e.no} {e.name}")
        for s in e.spellings:
            if s not in done:
                done.add(s)
                value, nos = q[s]
                shared = f"  # entries {', '.join(map(str, nos))}: lowest Q" if len(nos) > 1 else ""
                lines.append(f"      {_key(s)}: {_num(value)}{shared}")
    lines.append("      # Table 2")
    lines += [f"      {_key(s)}: {_num(v)}" for s, v in TABLE2_Q.items()]

    beta = {s: TABLE3_BETA[e.no] for e in entries if e.no in TABLE3_BETA for s in e.spellings}
    beta.update(TABLE3_EXTRA)
    lines += _table_head("beta_toxic_gas", "number", "GB 18218-2018 表3 毒性气体校正系数 β",
                         "Table 3: β of named toxic gases", "GB18218-2018 4.3.2, table 3")
    lines += _note("表3 所列毒性气体的各种写法（名称、别名、CAS）；未列出的物质按表4 类别取 β。",
                   "Every spelling of the toxic gases Table 3 names; other substances take β from Table 4.")
    lines.append("    entries:")
    lines += [f"      {_key(s)}: {_num(v)}" for s, v in beta.items()]
    lines += _flag_table(entries, "highly_toxic", HIGHLY_TOXIC, "剧毒化学品（表1 中的）",
                         "Highly toxic chemicals (among Table 1)", "REG591 art. 24",
                         "氯、光气为 19 号文所称吸入性剧毒化学品（已核）；其余据《危险化学品目录（2015版）》剧毒标注"
                         "回忆整理（置信度 R），发布前须核对目录。",
                         "氯 and 光气 are named inhalation-toxic by 应急〔2018〕19号 (seen); the others are "
                         "recalled from the 剧毒 marks of the 2015 catalogue (confidence R): check before release.")
    lines += _flag_table(entries, "explosive_precursor", EXPLOSIVE_PRECURSOR, "易制爆危险化学品（表1 中的）",
                         "Explosive precursors (among Table 1)", "MPS154",
                         "据《易制爆危险化学品名录》（2017年版）回忆整理（置信度 R），发布前须核对名录。",
                         "Recalled from the 2017 list of explosive precursors (confidence R): check before "
                         "release.")
    lines += _flag_table(entries, "explosive", EXPLOSIVES, "爆炸品（表1 所列爆炸品及表2 爆炸物类别）",
                         "Explosives (those Table 1 names, and the explosive categories of Table 2)",
                         "YJ2018-19 1 物质危险性",
                         "19 号文“生产、储存爆炸品”按种计数所用：表1 第 31–36 条及 W1.1–W1.3 类（本包划定）。",
                         "Used to count the kinds of explosives for 19号 1.2: Table 1 entries 31-36 and categories "
                         "W1.1-W1.3 (this pack's reading).", extra=tuple(EXPLOSIVE_SYMBOLS))
    lines += _table_head("default_category", "string", "表1 常见物质的默认危险性类别（未填类别时取 β 用）",
                         "Default hazard category of common Table 1 substances (sets β when none is given)",
                         "GB18218-2018 4.3.2, table 4")
    lines += ["    local_choice: true"]
    lines += _note("液化石油气、甲烷（天然气）按易燃气体类别1（W2，β=1.5）；汽油、甲醇按常温常压下易燃液体类别2"
                   "（W5.3，β=1）。为评价报告通行做法（standards.md 1.5，置信度 R），非标准原文；四种物质均列于表1，"
                   "临界量取表1。表1 第31–36 条爆炸品取 W1.1（表4 爆炸物 β 均为 2）。记录自填的 ghs_category 优先"
                   "（如工作温度高于沸点为 W5.1）。",
                   "LPG and methane (natural gas) as flammable gas cat. 1 (W2, β 1.5); gasoline and methanol as "
                   "flammable liquid cat. 2 at ambient conditions (W5.3, β 1): the practice of evaluation reports "
                   "(standards.md 1.5, confidence R), not the standard's text. All four are in Table 1, which "
                   "sets their Q. The explosives of entries 31-36 take W1.1 (Table 4 gives every explosive "
                   "β 2). A record's own ghs_category wins (W5.1 above the boiling point).")
    lines.append("    entries:")
    lines += [f"      {_key(s)}: {DEFAULT_CATEGORY[e.no]}" for e in entries if e.no in DEFAULT_CATEGORY
              for s in e.spellings]
    q = critical_quantities(entries)
    entries_of = {s: nos for s, (_, nos) in q.items() if len(nos) > 1} | GENERIC_SPELLINGS
    shared = sorted(entries_of, key=list(q).index)
    lines += _table_head("shared_spelling", "boolean", "多个表1 条目共用的名称或 CAS 号",
                         "Spellings several Table 1 entries share", "GB18218-2018 4.1.2, table 1")
    lines += ["    default: false"]
    lines += _note("此类写法按所涉条目中最低的临界量计（从严），并列为数据缺口，请写明具体条目。",
                   "Such a spelling takes the lowest Q of its entries (strict) and is a data gap until the "
                   "precise entry is given.")
    lines.append("    entries:")
    lines += [f"      {_key(s)}: true" for s in shared]
    lines += _table_head("nitrocellulose_generic", "boolean", "未注明品种的硝化纤维素（硝化棉）写法",
                         "Nitrocellulose spellings that do not name the entry", "GB18218-2018 table 1 entries 37-42")
    lines += ["    default: false"]
    lines += _note("含水量 ≥ 25% 为第 41 条（临界量 50 t），否则按第 37 条（1 t）；未填含水量按 1 t 计并列为数据缺口。",
                   "Water 25% or more is entry 41 (Q 50 t), else entry 37 (1 t); without the water content "
                   "1 t applies and the water content is a data gap.")
    lines.append("    entries:")
    lines += [f"      {_key(s)}: true" for s in shared if set(entries_of[s]) <= set(NITROCELLULOSE)]
    return lines


def _table_head(name: str, value: str, zh: str, en: str, basis: str) -> list[str]:
    return [f"  {name}:", "    kind: keyed", f"    value: {value}", f"    label: {{zh: {zh}, en: \"{en}\"}}",
            f"    basis: {basis}"]


def _note(zh: str, en: str) -> list[str]:
    return ["    note:", f"      zh: {_key(zh)}", f"      en: {_key(en)}"]


def _flag_table(entries: list[Entry], name: str, nos: list[int], zh: str, en: str, basis: str,
                note_zh: str, note_en: str, extra: tuple[str, ...] = ()) -> list[str]:
    lines = _table_head(name, "boolean", zh, en, basis)
    lines += ["    default: false", "    local_choice: true"] + _note(note_zh, note_en) + ["    entries:"]
    for e in entries:
        if e.no in nos:
            lines += [f"      {_key(s)}: true" for s in e.spellings]
    lines += [f"      {_key(s)}: true" for s in extra]
    return lines


def render(text: str, blocks: dict[str, list[str]]) -> str:
    """``text`` with every generated block replaced between its ``# >>> gb18218:NAME`` markers."""
    for name, lines in blocks.items():
        pattern = re.compile(rf"(^[ \t]*# >>> gb18218:{name}[^\n]*\n).*?(^[ \t]*# <<< gb18218:{name}[^\n]*$)",
                             re.S | re.M)
        if not pattern.search(text):
            raise SystemExit(f"{PACK}: markers '# >>> gb18218:{name}' ... '# <<< gb18218:{name}' not found")
        text = pattern.sub(lambda m: m.group(1) + "\n".join(lines) + "\n" + m.group(2), text, count=1)
    return text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tsv", type=Path, default=DEFAULT_TSV, help="GB 18218-2018 Table 1 as TSV")
    ap.add_argument("--pack", type=Path, default=PACK, help="the pack file to update")
    ap.add_argument("--check", action="store_true", help="do not write; exit 1 if the pack is stale")
    args = ap.parse_args(argv)
    entries = read_entries(args.tsv)
    old = args.pack.read_text(encoding="utf-8")
    new = render(old, {"tables": tables(entries)})
    if args.check:
        if new != old:
            print(f"{args.pack} is stale: run python tools/gb18218_tables.py", file=sys.stderr)
            return 1
        return 0
    if new != old:
        args.pack.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
