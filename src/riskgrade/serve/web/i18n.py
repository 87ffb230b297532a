"""The workbench's words, Chinese first, English on request (``?lang=en``)."""

from __future__ import annotations

from typing import Any

WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "app": "风险分级工作台", "overview": "概览", "packs": "规则包", "diff": "变更影响", "api": "接口文档",
        "switch": "English", "upload_title": "上传登记表并评级", "file": "登记表文件（csv / xlsx / parquet / jsonl）",
        "as_of": "评级日期", "params": "参数（如 region=fujian，可多个，用空格分隔）", "grade": "评级",
        "no_registry": "尚未评级任何登记表。请上传登记表文件，或通过接口 POST /v1/grade/batch。",
        "registry": "登记表", "graded_on": "评级日期", "rows": "行数", "graded": "已评级", "rejected": "被拒绝",
        "rows_sum": "{rows_in} 行 = {graded} 已评级 + {rejected} 被拒绝", "overall": "综合风险等级分布",
        "by_pack": "各规则包等级分布", "pack": "规则包", "total": "合计", "by": "按{what}统计",
        "county": "区县", "station": "派出所/中队", "grid": "网格", "severe": "重大和较大风险对象",
        "entity": "对象", "name": "名称", "level": "等级", "reasons": "主要原因", "none": "无",
        "overdue_insp": "逾期未检查", "next_due": "应检查日期", "days_overdue": "逾期天数",
        "overdue_hazards": "逾期未整改隐患", "hazard": "隐患", "severity": "严重程度", "deadline": "整改期限",
        "status": "状态", "found": "发现时间", "no_db": "未配置事件库（--db），无隐患数据。",
        "rejects": "被拒绝的行", "row": "行", "field": "字段", "value": "值", "reason": "原因",
        "more": "另有 {n} 条未列出", "veto": "一票否决", "points": "{p:g} 分",
        "notice": "风险告知书", "print": "打印告知书", "why": "评级依据", "score": "得分", "band": "分数段",
        "fired": "触发的规则", "evidence": "条件与数据", "basis": "依据", "controls": "管控措施",
        "responsible": "责任层级", "inspection": "检查", "interval": "检查周期", "days": "{d} 天",
        "next_inspection": "下次检查", "open_hazards": "未关闭的隐患", "not_applies": "不适用",
        "steps": "等级判定过程", "undecided": "因数据缺失无法判定", "data_gaps": "数据缺失", "rule": "规则",
        "for_level": "本等级要求", "entity_missing": "最近评级的登记表中没有对象 {id}。",
        "notice_intro": "经按下列规则包评定，贵单位当前风险等级如下。请按管控措施落实整改，并接受相应频次的检查。",
        "signature": "告知单位（盖章）", "receiver": "被告知单位签收", "date": "日期",
        "document": "评分细则", "fields": "字段", "type": "类型", "unit": "单位", "values": "取值",
        "required": "必填", "rules": "规则", "condition": "条件", "effect": "效果", "local_choice": "本地约定",
        "bands": "分数段与等级", "min": "下限（含）", "max": "上限（不含）", "intervals": "各等级检查周期",
        "controls_by_level": "各等级管控措施与责任层级", "derived": "派生值", "applies_when": "适用对象",
        "whatif": "假设评级（修改任一字段即重新评级）", "example": "从示例开始", "unknown": "（未知）",
        "yes": "是", "no": "否", "result": "评级结果", "measure": "措施", "tier": "责任层级",
        "modifiers": "检查周期调整", "campaigns": "专项行动", "method": "计分方法", "base": "基础分",
        "basis_docs": "依据文件", "version": "版本", "owner": "负责部门", "raise": "升 {n} 级",
        "lower": "降 {n} 级", "at_least": "至少为{level}", "diff_title": "规则包变更影响",
        "old_pack": "原规则包", "new_pack": "新规则包", "served": "当前在用：{id}", "upload_yaml": "或上传 YAML",
        "entities": "登记表（不选则用最近评级的登记表）", "compare": "比较", "matrix": "等级转移矩阵",
        "old_new": "原 \\ 新", "movers": "等级变化的对象", "from": "原等级", "to": "新等级",
        "newly_fired": "新触发", "stopped": "不再触发", "workload": "年检查工作量",
        "workload_line": "{old:.1f} → {new:.1f} 次/年（{change:+.1f}）", "population": "对象数",
        "moved": "等级变化", "up": "升级", "down": "降级", "error": "出错了", "not_applicable": "不适用",
        "no_pack": "无此包", "list_json": "JSON 列表", "no_events": "无", "legend": "图例",
        "entity_page": "对象详情", "fields_of": "输入字段", "missing": "缺失", "overall_level": "综合风险等级", "colon": "：", "overdue": "（已逾期）", "officer": "责任民警", "status_open": "整改中",
        "status_overdue": "逾期", "applies_undecided": "无法判定是否适用",
        "mapping": "表头与取值映射（可选，YAML）", "strict": "严格模式（列不符即拒绝）",
        "type_number": "数值", "type_integer": "整数", "type_boolean": "是/否", "type_category": "类别", "type_date": "日期",
        "type_string": "文本", "type_list": "列表",
        "step_band": "得分 {score} 落在 [{lo}, {hi}) → {level}", "step_no_score": "无法计分（数据缺失）→ {level}",
        "step_veto": "{rule} 一票否决，至少为{level}", "step_after_vetoes": "取最严重的否决等级 → {level}",
        "step_raise": "{rule} 升 {by} 级", "step_lower": "{rule} 降 {by} 级",
        "step_shift": "净调整 {net} → {level}（不超出等级范围，不低于否决等级）", "step_final": "最终等级：{level}",
        "advice": "整改建议", "advice_target": "目标：{level}", "out_of_reach": "无法通过整改达到{level}：",
        "fix_action": "整改措施", "fix_by": "实施方", "fix_cost": "费用（元）", "fix_days": "用时（天）",
        "on_the_spot": "现场整改", "after_fixes": "整改后", "advice_total": "合计 {cost} 元，{days} 天",
    },
    "en": {
        "app": "Risk grading workbench", "overview": "Overview", "packs": "Packs", "diff": "Diff", "api": "API",
        "switch": "中文", "upload_title": "Upload a registry and grade it",
        "file": "Registry file (csv / xlsx / parquet / jsonl)", "as_of": "Grading date",
        "params": "Parameters (e.g. region=fujian, space-separated)", "grade": "Grade",
        "no_registry": "No registry graded yet. Upload a registry file, or POST one to /v1/grade/batch.",
        "registry": "Registry", "graded_on": "Graded as of", "rows": "Rows", "graded": "graded",
        "rejected": "rejected", "rows_sum": "{rows_in} rows in = {graded} graded + {rejected} rejected",
        "overall": "Overall levels", "by_pack": "Levels by pack", "pack": "Pack", "total": "Total",
        "by": "By {what}", "county": "county", "station": "station", "grid": "grid",
        "severe": "Red and orange entities", "entity": "Entity", "name": "Name", "level": "Level",
        "reasons": "Top reasons", "none": "none", "overdue_insp": "Overdue inspections", "next_due": "Due",
        "days_overdue": "Days overdue", "overdue_hazards": "Overdue hazards", "hazard": "Hazard",
        "severity": "Severity", "deadline": "Deadline", "status": "Status", "found": "Found",
        "no_db": "No event database (--db): no hazards to show.", "rejects": "Rejected rows", "row": "Row",
        "field": "Field", "value": "Value", "reason": "Reason", "more": "{n} more not listed", "veto": "veto",
        "points": "{p:g} points", "notice": "Risk notice", "print": "Print the notice", "why": "Why",
        "score": "Score", "band": "Band", "fired": "Rules that fired", "evidence": "Condition and data",
        "basis": "Basis", "controls": "Controls", "responsible": "Responsible tier", "inspection": "Inspection",
        "interval": "Interval", "days": "{d} days", "next_inspection": "Next inspection",
        "open_hazards": "Open hazards", "not_applies": "does not apply", "steps": "How the level was reached",
        "undecided": "Undecided for want of data", "data_gaps": "Data gaps", "rule": "Rule",
        "for_level": "for the level", "entity_missing": "Entity {id} is not in the last graded registry.",
        "notice_intro": "Graded by the packs below, your unit's current risk level is as follows. Carry out the "
                        "controls listed and expect inspections at the interval shown.",
        "signature": "Issued by (seal)", "receiver": "Received by", "date": "Date",
        "document": "Grading rules", "fields": "Fields", "type": "Type", "unit": "Unit", "values": "Values",
        "required": "required", "rules": "Rules", "condition": "Condition", "effect": "Effect",
        "local_choice": "local choice", "bands": "Score bands", "min": "From (incl.)", "max": "To (excl.)",
        "intervals": "Inspection interval per level", "controls_by_level": "Controls and responsible tier per level",
        "derived": "Derived values", "applies_when": "Applies to",
        "whatif": "What if (change any field to re-grade)", "example": "Start from an example",
        "unknown": "(unknown)", "yes": "yes", "no": "no", "result": "Result", "measure": "Measure",
        "tier": "Tier", "modifiers": "Interval modifiers", "campaigns": "Campaigns", "method": "Method",
        "base": "Base", "basis_docs": "Basis documents", "version": "Version", "owner": "Owner",
        "raise": "raise {n}", "lower": "lower {n}", "at_least": "at least {level}",
        "diff_title": "Impact of a pack change", "old_pack": "Old pack", "new_pack": "New pack",
        "served": "served: {id}", "upload_yaml": "or upload YAML",
        "entities": "Registry (default: the last graded one)", "compare": "Compare", "matrix": "Transition matrix",
        "old_new": "old \\ new", "movers": "Entities that moved", "from": "From", "to": "To",
        "newly_fired": "Newly fired", "stopped": "Stopped firing", "workload": "Inspections per year",
        "workload_line": "{old:.1f} → {new:.1f} per year ({change:+.1f})", "population": "Population",
        "moved": "Moved", "up": "up", "down": "down", "error": "Error", "not_applicable": "not applicable",
        "no_pack": "no pack", "list_json": "JSON list", "no_events": "none", "legend": "Legend",
        "entity_page": "Entity", "fields_of": "Input fields", "missing": "missing", "overall_level": "overall level", "colon": ": ", "overdue": "(overdue)", "officer": "Officer", "status_open": "open",
        "status_overdue": "overdue", "applies_undecided": "applicability undecided",
        "mapping": "Header and value mapping (optional, YAML)", "strict": "strict (refuse columns that do not fit)",
        "type_number": "number", "type_integer": "integer", "type_boolean": "yes/no", "type_category": "category",
        "type_date": "date", "type_string": "text", "type_list": "list",
        "step_band": "score {score} is in [{lo}, {hi}) → {level}", "step_no_score": "no score (data missing) → {level}",
        "step_veto": "{rule} sets at least {level} (veto)", "step_after_vetoes": "most severe veto → {level}",
        "step_raise": "{rule} raises by {by}", "step_lower": "{rule} lowers by {by}",
        "step_shift": "net {net} → {level} (clamped, never below a veto)", "step_final": "final level: {level}",
        "advice": "Rectification", "advice_target": "target: {level}", "out_of_reach": "{level} cannot be reached by rectification:",
        "fix_action": "Fix", "fix_by": "By", "fix_cost": "Cost (yuan)", "fix_days": "Days",
        "on_the_spot": "on the spot", "after_fixes": "Afterwards", "advice_total": "total {cost} yuan, {days} days",
    },
}


class Words:
    """``t('key', **values)`` in one language; ``pick(text)`` chooses from ``{"zh": …, "en": …}``."""

    def __init__(self, lang: str):
        self.lang = lang if lang in WORDS else "zh"
        self.other = "en" if self.lang == "zh" else "zh"

    def __call__(self, key: str, **values: Any) -> str:
        text = WORDS[self.lang].get(key) or WORDS["zh"][key]
        return text.format(**values) if values else text

    def pick(self, text: Any) -> str:
        if not text:
            return ""
        if isinstance(text, str):
            return text
        if hasattr(text, "get"):
            return text.get(self.lang) or text.get(self.other) or ""
        return str(text)
