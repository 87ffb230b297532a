"""The message catalogue: every diagnostic code with its severity and its message in zh and en.

Lint messages (``RG6xx``) are written here in both languages, with ``{placeholders}`` filled in by
the lint that raises them. The compiler's messages (``RG1xx``–``RG5xx``) are produced in English;
:func:`translate` turns the common ones into Chinese by pattern, and gives every other one a Chinese
title for its code followed by the English detail, so a panel always sees what kind of problem it is.
"""

from __future__ import annotations

import re

# code -> (severity, en, zh)
LINT_MESSAGES: dict[str, tuple[str, str, str]] = {
    "RG311": ("warning", "cap for group '{group}', but no rule has group '{group}'",
              "为分组“{group}”设置了上限，但没有规则属于该分组"),
    "RG601": ("warning", "score bands are listed out of order: list them from the lowest score to the highest "
                         "(or the reverse)",
              "分数段排列顺序混乱：请按分数从低到高（或从高到低）排列"),
    "RG602": ("warning", "band from {lo} gives '{level}', which is less severe than '{other}' given to lower "
                         "scores: a higher score should never mean a lower risk",
              "从 {lo} 分起的分数段对应“{level}”，比更低分数对应的“{other}”风险更低：分数越高风险不应越低"),
    "RG603": ("warning", "level '{level}' can never be reached: no score band that a score can fall in, no "
                         "set_level and no raise/lower leads to it",
              "等级“{level}”永远不会出现：没有可达的分数段、一票否决或升降级规则能得到该等级"),
    "RG604": ("warning", "this condition can never be true (given the declared bounds and values: {why}): "
                         "the rule never fires",
              "该条件永远不可能成立（按字段声明的取值范围：{why}），规则永远不会触发"),
    "RG605": ("warning", "this condition is always true when its data is known (given the declared bounds "
                         "and values): the rule fires for every entity",
              "在数据齐全时该条件恒成立（按字段声明的取值范围），规则对所有对象都会触发"),
    "RG606": ("warning", "{what} id '{id}' is used twice", "{what_zh}编号“{id}”重复使用"),
    "RG607": ("warning", "field '{name}' is declared but no expression and no inspection setting uses it",
              "字段“{name}”已声明，但没有任何表达式或检查设置使用它"),
    "RG608": ("warning", "table '{name}' is declared but no expression looks anything up in it",
              "查找表“{name}”已声明，但没有任何表达式使用它"),
    "RG609": ("warning", "{what} '{name}' is declared but nothing uses it",
              "{what_zh}“{name}”已声明，但没有被使用"),
    "RG610": ("warning", "level '{level}' has no control measures (controls.by_level)",
              "等级“{level}”没有管控措施（controls.by_level）"),
    "RG611": ("warning", "level '{level}' has no inspection interval (inspection.interval_days)",
              "等级“{level}”没有检查周期（inspection.interval_days）"),
    "RG612": ("warning", "level '{level}' has no responsible tier (controls.responsible)",
              "等级“{level}”没有责任层级（controls.responsible）"),
    "RG613": ("warning", "bands of table '{name}' are not in ascending order: band {index} starts at {lo}, "
                         "below the band before it",
              "查找表“{name}”的分档未按从小到大排列：第 {index} 档从 {lo} 开始，低于前一档"),
    "RG614": ("error", "bands of table '{name}' overlap between {lo} and {hi}: a value there matches two "
                       "bands and the result depends on their order",
              "查找表“{name}”的分档在 {lo} 到 {hi} 之间重叠：该区间的值同时落入两档，结果取决于排列顺序"),
    "RG615": ("warning", "bands of table '{name}' leave a gap from {lo} to {hi}: a value there finds no band "
                         "and is treated as missing",
              "查找表“{name}”的分档在 {lo} 到 {hi} 之间有空缺：落在空缺中的值查不到结果，按缺失处理"),
    "RG616": ("warning", "rule has no 'basis': cite the standard or document it implements",
              "规则没有“basis”：请注明其依据的标准或文件"),
    "RG618": ("warning", "{what} '{id}' is written with full-width characters ({chars}): it looks like '{plain}' "
                         "but does not equal it; retype it with half-width characters",
              "{what_zh}“{id}”含全角字符（{chars}）：看起来像“{plain}”，实际并不相同；请用半角字符重新输入"),
    "RG619": ("warning", "{what} '{id}' holds letters of another script that look Latin ({chars}): it looks like "
                         "'{plain}' but does not equal it; retype it",
              "{what_zh}“{id}”含外形酷似拉丁字母的其他文字字母（{chars}）：看起来像“{plain}”，实际并不相同；请重新输入"),
    "RG617": ("warning", "'{cited}' is cited as a basis but not declared under 'basis' (declared: {declared})",
              "引用的依据“{cited}”未在“basis”中声明（已声明：{declared}）"),
    "RG640": ("warning", "fix of field '{field}' can never change a grade: no rule and no score expression reads "
                         "'{field}'",
              "字段“{field}”的整改措施不会改变任何评级：没有规则或评分表达式读取“{field}”"),
    "RG641": ("warning", "the fix of rule '{rule}' changes '{field}', which the rule does not read: it cannot clear "
                         "the finding",
              "规则“{rule}”的整改措施改变的是“{field}”，而该规则并不读取它：无法消除该隐患"),
    "RG642": ("warning", "after this fix ({field} = {to}) rule '{rule}' still fires whatever else is true: the fix "
                         "does not clear it",
              "整改后（{field} = {to}）规则“{rule}”无论其他条件如何仍会触发：该整改措施不能消除它"),
}

# Chinese titles of every code, for messages the patterns below do not translate in full.
TITLES_ZH: dict[str, str] = {
    "RG100": "无法读取文件", "RG101": "YAML 格式错误", "RG102": "不允许的 YAML 写法", "RG103": "文档展开过大",
    "RG104": "嵌套过深", "RG105": "键重复", "RG106": "文件过大", "RG110": "规则包必须是键值映射",
    "RG111": "未知的键", "RG112": "缺少必填的键", "RG113": "取值无效",
    "RG201": "表达式写法不允许", "RG202": "表达式类型不符", "RG203": "表达式无效", "RG204": "未知名称",
    "RG205": "分类取值未声明", "RG206": "未知函数",
    "RG301": "派生值循环依赖", "RG302": "默认值无效", "RG303": "名称冲突", "RG304": "查找表取值无效",
    "RG305": "等级编号重复", "RG306": "未知等级", "RG307": "未知管控措施", "RG308": "分数段有空缺",
    "RG309": "分数段重叠", "RG310": "规则编号重复", "RG311": "分组上限无对应规则", "RG312": "未知责任层级",
    "RG313": "不是日期字段", "RG314": "字段名称冲突", "RG315": "分类取值写法冲突", "RG316": "分数可能溢出",
    "RG317": "未知的数据缺口字段", "RG318": "分组列表声明无效", "RG320": "整改措施无效",
    "RG321": "整改措施编号重复",
    "RG501": "用例结果与预期不符", "RG502": "用例无法评级", "RG503": "测试用例文件无效",
    "RG504": "此环境无法运行 durable 引擎",
}

_TYPES_ZH = {"number": "数值", "boolean": "布尔值", "string": "文本", "date": "日期", "list": "列表",
             "category": "分类值"}


def _t(kind: str) -> str:
    return _TYPES_ZH.get(kind, kind)


# (code, pattern over the English message, Chinese template with the pattern's named groups)
_PATTERNS: list[tuple[str, re.Pattern[str], str]] = [(c, re.compile(p), z) for c, p, z in [
    ("RG100", r"^file not found$", "文件不存在"),
    ("RG105", r"^key '(?P<k>.*)' appears twice in the same mapping$", "同一映射中键“{k}”出现了两次"),
    ("RG111", r"^unknown key '(?P<k>[^']*)'(?:; allowed keys here: (?P<a>.*))?$", "未知的键“{k}”{a_zh}"),
    ("RG112", r"^missing required key '(?P<k>.*)'$", "缺少必填的键“{k}”"),
    ("RG113", r"^'(?P<k>[^']*)': (?P<m>.*)$", "“{k}”的取值无效：{m}"),
    ("RG2", r"^unknown name '(?P<n>[^']*)': not a field, derived value or parameter of this pack(?P<in>.*)$",
     "未知名称“{n}”：不是本规则包的字段、派生值或参数{in}"),
    ("RG2", r"^'(?P<v>[^']*)' is not a declared value of this category \(declared: (?P<d>.*)\)(?P<in>  — in: .*)$",
     "“{v}”不是该分类字段声明的取值（已声明：{d}）{in}"),
    ("RG2", r"^unknown table '(?P<n>[^']*)'(?P<in>.*)$", "未知查找表“{n}”{in}"),
    ("RG2", r"^unknown function '(?P<n>[^']*)' \(available: (?P<a>.*)\)(?P<in>.*)$",
     "未知函数“{n}”（可用：{a}）{in}"),
    ("RG2", r"^syntax error: (?P<m>.*?)(?P<in>  — in: .*)$", "语法错误：{m}{in}"),
    ("RG2", r"^cannot compare a (?P<a>\w+) with a (?P<b>\w+)(?P<in>.*)$", "不能将{a_t}与{b_t}比较{in}"),
    ("RG2", r"^this expression must give a (?P<a>\w+), but gives a (?P<b>\w+)(?P<in>.*)$",
     "该表达式应得到{a_t}，实际得到{b_t}{in}"),
    ("RG2", r"^'(?P<w>.*)' needs a (?P<a>\w+), not a (?P<b>\w+)(?P<in>.*)$", "“{w}”需要{a_t}，而不是{b_t}{in}"),
    ("RG301", r"^derived values depend on each other in a cycle: (?P<c>.*)$", "派生值之间循环依赖：{c}"),
    ("RG305", r"^level id '(?P<i>.*)' is used twice$", "等级编号“{i}”重复使用"),
    ("RG306", r"^unknown level '(?P<i>[^']*)' \(levels: (?P<l>.*)\)$", "未知等级“{i}”（已声明等级：{l}）"),
    ("RG307", r"^unknown control measure '(?P<i>[^']*)'.*$", "未知管控措施“{i}”（请在 controls.measures 中声明）"),
    ("RG308", r"^score needs at least one band$", "评分至少需要一个分数段"),
    ("RG308", r"^no band covers scores below (?P<a>\S+): .*$", "低于 {a} 的分数没有对应的分数段：最低一档不要写 min"),
    ("RG308", r"^no band covers scores from (?P<a>\S+) up: .*$", "{a} 及以上的分数没有对应的分数段：最高一档不要写 max"),
    ("RG308", r"^no band covers scores from (?P<a>\S+) to (?P<b>\S+)$", "{a} 到 {b} 之间的分数没有对应的分数段"),
    ("RG309", r"^bands overlap between (?P<a>\S+) and (?P<b>\S+): .*$",
     "分数段在 {a} 到 {b} 之间重叠：该区间的分数会对应两个等级"),
    ("RG310", r"^rule id '(?P<i>.*)' is used twice$", "规则编号“{i}”重复使用"),
    ("RG312", r"^unknown tier '(?P<i>[^']*)'.*$", "未知责任层级“{i}”（请在 controls.tiers 中声明）"),
    ("RG313", r"^'(?P<i>[^']*)' is not a date field of this pack$", "“{i}”不是本规则包的日期字段"),
    ("RG320", r"^name the field this fix changes \('field: …'\); the rule reads (?P<f>.*)$",
     "请写明该整改措施改变的字段（field: …）；该规则读取：{f}"),
    ("RG320", r"^fix of an unknown field '(?P<f>[^']*)'$", "整改措施指向未知字段“{f}”"),
    ("RG320", r"^'(?P<f>[^']*)' is a list field: .*$", "“{f}”是列表字段：整改措施只能设置单个值，请指定非列表字段"),
    ("RG320", r"^fix of field '(?P<f>[^']*)': 'to' cannot be a value of this field: (?P<m>.*)$",
     "字段“{f}”的整改措施：“to”不是该字段可取的值：{m}"),
    ("RG321", r"^fix id '(?P<i>[^']*)' is used twice \(also at (?P<a>.*)\); give one an 'id'$",
     "整改措施编号“{i}”重复（另见 {a}）：请为其中之一写明 id"),
    ("RG314", r"^(?P<w>[\w ]+) '(?P<t>.*)' of field '(?P<f>[^']*)' is also the (?P<o>[\w ]+) of field '(?P<g>[^']*)'.*$",
     "字段“{f}”的名称“{t}”也是字段“{g}”的名称：这样命名的列无法确定对应哪个字段，请修改其中一个"),
    ("RG315", r"^'(?P<t>.*)' of field '(?P<f>[^']*)' stands for both '(?P<a>[^']*)' and '(?P<b>[^']*)'.*$",
     "字段“{f}”的“{t}”同时对应取值“{a}”和“{b}”：这样填写的单元格无法确定含义，请只保留在一个取值下"),
    ("RG316", r"^the points of the rules .*$", "规则分值（连同基础分）相加可能超出数值范围（约 1.8e308），将无法计算分数：请减小分值"),
    ("RG501", r"^(?:example|case) '(?P<i>[^']*)' \((?P<e>\w+) engine\): (?P<m>.*)$", "用例“{i}”（{e} 引擎）：{m_case}"),
    ("RG502", r"^(?:example|case) '(?P<i>[^']*)' could not be graded by the (?P<e>\w+) engine: (?P<m>.*)$",
     "用例“{i}”无法由 {e} 引擎评级：{m}"),
]]

# What a pack test compares, and how a case's outcome reads in Chinese (RG501).
_EXPECTED_ZH = {"level": "等级", "applies": "是否适用", "score": "得分", "inspection_interval_days": "检查周期（天）",
                "fired": "触发的规则", "controls": "管控措施", "data_gaps": "缺失数据"}
_COLOUR_WORDS = {"'red'": "红（重大风险）", "'orange'": "橙（较大风险）", "'yellow'": "黄（一般风险）",
                 "'blue'": "蓝（低风险）", "True": "是", "False": "否", "None": "无", "'-'": "无", "-": "无"}
_CASE_PATTERNS = [(re.compile(p), z) for p, z in [
    (r"^expected derived (?P<k>\S+) (?P<w>.+), got (?P<g>.+)$", "派生值 {k} 应为 {w}，实际为 {g}"),
    (r"^expected (?P<k>\w+) (?P<w>.+), got (?P<g>.+)$", "{k}应为 {w}，实际为 {g}"),
    (r"^(?P<k>\w+): unexpected (?P<w>.+), missing (?P<g>.+)$", "{k}：多出 {w}，缺少 {g}"),
    (r"^entity rejected: (?P<w>.+)$", "对象无法评级：{w}"),
]]


def case_outcome_zh(message: str) -> str:
    """A pack test's comparison ("expected level 'red', got 'blue'") in Chinese ("等级应为 红（重大风险），
    实际为 蓝（低风险）"); the standard four levels by colour and label, yes/no as 是/否."""
    for pattern, template in _CASE_PATTERNS:
        m = pattern.match(message)
        if m is not None:
            g = m.groupdict()
            k = _EXPECTED_ZH.get(g.get("k", ""), g.get("k", ""))
            return template.format(k=k, w=_COLOUR_WORDS.get(g["w"], g["w"]), g=_COLOUR_WORDS.get(g.get("g", ""),
                                                                                                g.get("g", "")))
    return message


def translate(code: str, message: str) -> str:
    """The Chinese message for a compiler diagnostic (full translation where a pattern knows it)."""
    for prefix, pattern, template in _PATTERNS:
        if not code.startswith(prefix):
            continue
        m = pattern.match(message)
        if m is None:
            continue
        groups = {k: v or "" for k, v in m.groupdict().items()}
        extra = {f"{k}_t": _t(v) for k, v in groups.items()}
        if "in" in groups:
            groups["in"] = groups["in"].replace("  — in: ", "——表达式：", 1)
        a = groups.get("a", "")
        extra["a_zh"] = f"；此处允许的键：{a}" if a else ""
        extra["m_case"] = case_outcome_zh(groups.get("m", ""))
        return template.format(**groups, **extra)
    title = TITLES_ZH.get(code)
    return f"{title}：{message}" if title else message


def lint_text(code: str, lang: str, params: dict[str, object]) -> str:
    """A lint message in ``lang`` ("zh" or "en") with its placeholders filled in."""
    _, en, zh = LINT_MESSAGES[code]
    return (zh if lang == "zh" else en).format(**params)


def severity_of(code: str) -> str:
    return LINT_MESSAGES[code][0]
