"""26+1+n 标准目录: reading catalog rows (CSV/XLSX) and their 公开时限. No database.

Columns follow the national standard catalogs (国务院部门 26 个试点领域):
公开事项（一级、二级）, 公开内容（要素）, 公开依据, 公开时限, 公开主体, 公开渠道和载体,
公开对象, 公开方式, 公开层级.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field

COLUMNS = {  # header text → field
    "领域": "domain", "一级事项": "item1", "二级事项": "item2", "公开内容": "content",
    "公开依据": "basis", "公开时限": "time_limit", "公开主体": "subject",
    "公开渠道和载体": "channels", "公开对象": "audience", "公开方式": "mode",
    "公开层级": "tier", "栏目地址": "node_urls",
}
REQUIRED = ("domain", "item1", "content", "time_limit")
AUDIENCES = {"全社会": "public", "特定群体": "group"}
MODES = {"主动": "active", "主动公开": "active", "依申请": "request", "依申请公开": "request"}
TIERS = {"区级": "district", "区": "district", "街道": "subdistrict", "乡镇（街道）": "subdistrict",
         "区级、街道": "both", "区级/街道": "both"}


@dataclass
class Row:
    line: int
    values: dict[str, str] = field(default_factory=dict)


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _header_map(header: list[str]) -> dict[int, str]:
    out = {}
    for i, h in enumerate(header):
        h = re.sub(r"[\s（(].*$", "", (h or "").strip()) if h else ""
        for title, name in COLUMNS.items():
            if h == title or h.startswith(title):
                out[i] = name
                break
    return out


def _rows(table: list[list[str]]) -> Parsed:
    parsed = Parsed()
    if not table:
        parsed.errors.append("文件为空。")
        return parsed
    cols = _header_map(table[0])
    missing = [t for t, n in COLUMNS.items() if n in REQUIRED and n not in cols.values()]
    if missing:
        parsed.errors.append("表头缺少：" + "、".join(missing))
        return parsed
    for n, raw in enumerate(table[1:], start=2):
        values = {name: str(raw[i]).strip() if i < len(raw) and raw[i] is not None else ""
                  for i, name in cols.items()}
        if not any(values.values()):
            continue
        problems = [f"缺少{t}" for t, name in COLUMNS.items()
                    if name in REQUIRED and not values.get(name)]
        for key, table_ in (("audience", AUDIENCES), ("mode", MODES), ("tier", TIERS)):
            v = values.get(key, "")
            if v and v not in table_:
                problems.append(f"{key}「{v[:20]}」无效，可填：{'、'.join(table_)}")
            else:
                values[key] = table_.get(v, "")
        if values.get("time_limit") and period_days(values["time_limit"]) is None:
            problems.append(f"公开时限「{values['time_limit'][:30]}」无法识别")
        if problems:
            parsed.errors.append(f"第{n}行：" + "；".join(problems))
        else:
            parsed.rows.append(Row(n, values))
    return parsed


def read(data: bytes, filename: str) -> Parsed:
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            ws = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        except Exception:
            return Parsed(errors=["无法读取该 XLSX 文件。"])
        table = [["" if c is None else str(c) for c in row]
                 for row in ws.iter_rows(values_only=True)]
        return _rows(table)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            return Parsed(errors=["文件编码无法识别，请使用 UTF-8 或 GBK 编码的 CSV。"])
    return _rows(list(csv.reader(io.StringIO(text))))


def period_days(text: str) -> int | None:
    """The longest gap (calendar days) a column may go without new content, from a 公开时限.

    「信息形成或变更之日起20个工作日内」 → 28; 「每季度」 → 92; 「实时」「及时」 → 28 (the
    statutory 20 working days); None when the text names no period.
    """
    t = text.replace(" ", "")
    if m := re.search(r"(\d+)个?工作日", t):
        return math.ceil(int(m.group(1)) * 7 / 5)
    if m := re.search(r"(\d+)[日天]", t):
        return int(m.group(1))
    for words, days in ((("每月", "月度"), 31), (("每季度", "季度"), 92),
                        (("每半年", "半年"), 183), (("每年", "年度", "年底"), 366),
                        (("实时", "及时", "长期", "动态"), 28)):
        if any(w in t for w in words):
            return days
    return None
