"""Reading JSON Lines for `gongkai documents import`, free of the ORM.

Each reader turns one decoded line into a plain dict the import service understands, or
raises ``LineError`` with a message; the command reports it with the line number and goes on.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import re
from collections.abc import Iterator

from gongkai.disclosure import docnumber

FORMATS = ("gongkai", "laws", "ncp")

ATTRIBUTES = {"public": "public", "主动公开": "public", "on_request": "on_request",
              "依申请公开": "on_request", "not_public": "not_public", "不予公开": "not_public",
              "": "public"}
VALIDITIES = {"": "", "valid": "valid", "有效": "valid", "现行有效": "valid",
              "amended": "amended", "已修改": "amended", "repealed": "repealed",
              "已废止": "repealed", "废止": "repealed", "expired": "expired", "已失效": "expired",
              "失效": "expired"}
_CN_DATE = re.compile(r"(20\d{2}|19\d{2})年(\d{1,2})月(\d{1,2})日")


class LineError(ValueError):
    pass


def open_lines(path: str) -> Iterator[tuple[int, str]]:
    """(line number, text) of a UTF-8 JSON Lines file, gzip when it says so."""
    with open(path, "rb") as raw:
        magic = raw.read(2)
    opener = gzip.open if magic == b"\x1f\x8b" else open
    with opener(path, "rb") as fh:
        for number, line in enumerate(io.TextIOWrapper(fh, encoding="utf-8",
                                                       errors="strict"), 1):
            if line.strip():
                yield number, line


def parse_date(value, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise LineError(f"{field}: expected a date string like 2021-06-23")
    text = value.strip()
    try:
        if len(text) > 10:
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        return dt.date.fromisoformat(text)
    except ValueError:
        m = _CN_DATE.fullmatch(text)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                pass
        raise LineError(f"{field}: not a date: {text[:30]!r}") from None


def _str(obj: dict, key: str, limit: int, required: bool = False) -> str:
    value = obj.get(key)
    if value is None:
        value = ""
    if not isinstance(value, str | int):
        raise LineError(f"{key}: expected text")
    value = str(value).strip()
    if required and not value:
        raise LineError(f"{key} is required")
    if len(value) > limit:
        raise LineError(f"{key}: longer than {limit} characters")
    return value


def read_gongkai(obj) -> dict:
    if not isinstance(obj, dict):
        raise LineError("expected a JSON object")
    attribute = _str(obj, "attribute", 20)
    if attribute not in ATTRIBUTES:
        raise LineError(f"attribute: unknown value {attribute!r}")
    validity = _str(obj, "validity", 20)
    if validity not in VALIDITIES:
        raise LineError(f"validity: unknown value {validity!r}")
    rec = {
        "external_id": _str(obj, "external_id", 100, required=True),
        "org": _str(obj, "org", 64),
        "title": _str(obj, "title", 300, required=True),
        "body": obj.get("body") if isinstance(obj.get("body"), str) else None,
        "doc_number": _str(obj, "doc_number", 100),
        "issuer": _str(obj, "issuer", 100),
        "written": parse_date(obj.get("written"), "written"),
        "published": parse_date(obj.get("published"), "published"),
        "category": _str(obj, "category", 100),
        "attribute": ATTRIBUTES[attribute],
        "attribute_reason": _str(obj, "attribute_reason", 30),
        "validity": VALIDITIES[validity],
        "doc_type": _str(obj, "doc_type", 20),
    }
    if rec["body"] is None:
        raise LineError("body is required (text or HTML)")
    if rec["attribute"] != "public" and not rec["attribute_reason"]:
        raise LineError("attribute 依申请公开/不予公开 needs attribute_reason (条例 Art. 14-16)")
    if rec["validity"] and not rec["doc_type"]:
        rec["doc_type"] = "normative"
    return rec


# A 文号 such as 京政办发〔2020〕7号 (any year bracket but round ones, spaces allowed), an
# announcement number such as 财政部 税务总局公告2020年第8号, or an order such as
# 江西省…指挥部令第13号. Not glued to a longer word — except right after the title's last word
# (…的通知人社部发〔2020〕11号) — nor followed by one, and not in brackets or after a quoted
# title: （…号）, 《…》…号 and 按照…号要求 cite another document.
_TITLE_END = "|".join(f"(?<={w})" for w in ("通知", "公告", "通告", "意见", "决定", "办法",
                                            "方案", "措施", "规定", "细则"))
_NOT_GLUED = rf"(?:(?<![》\u4e00-\u9fa5（(【\[])|{_TITLE_END})"
_ORGAN = r"[\u4e00-\u9fa5]{0,12}[部局署委院会厅办府行室]"
_DOC_NUMBER = re.compile(
    _NOT_GLUED + r"([\u4e00-\u9fa5]{1,10}\s*[〔﹝［\[【]\s*(?:19|20)\d{2}\s*[〕﹞］\]】]\s*"
    r"第?\s*\d{1,4}\s*号"
    rf"|(?:{_ORGAN}[ \u3000\xa0]*){{1,4}}公告\s*(?:19|20)\d{{2}}\s*年\s*第\s*\d{{1,4}}\s*号"
    r"|[\u4e00-\u9fa5]{2,30}令\s*第\s*\d{1,4}\s*号)"
    r"(?![\u4e00-\u9fa5])")  # …号要求: a number cited in a sentence


def ncp_doc_number(text: str) -> str:
    """The notice's own 文号: one printed in its heading (the first 160 characters), where
    the printed notice carries it; numbers further down cite other documents. Returned in
    its canonical form (docnumber), or ``""``."""
    m = _DOC_NUMBER.search(text[:160])
    if not m:
        return ""
    parsed = docnumber.parse(m[1])
    return parsed.text if parsed.valid else ""


def read_ncp(obj) -> dict:
    """NCPPolicies: the title is the text before the first space; the first Chinese date
    in the text is taken as the date it was written and published."""
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or not obj.get("docid"):
        raise LineError("expected {\"docid\", \"text\"}")
    text = obj["text"].strip()
    title, _, rest = text.partition(" ")
    title = title.strip().rstrip(".。…")
    if not title or len(title) > 300:
        raise LineError("no usable title before the first space")
    m = _CN_DATE.search(text)
    day = None
    if m:
        try:
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            day = None
    day = day or dt.date(2020, 2, 1)
    paras = [p.strip() for p in re.split(r"\s{2,}|(?<=[。；！])\s+", rest) if p.strip()]
    return {
        "external_id": f"ncp:{obj['docid']}"[:100], "org": "", "title": title,
        "body": "\n".join(paras), "doc_number": ncp_doc_number(text), "written": day,
        "published": day,
        "category": "通知公告", "attribute": "public", "attribute_reason": "",
        "validity": "", "doc_type": "policy",
    }


def read_law(obj) -> dict:
    if not isinstance(obj, dict) or not obj.get("title") or not isinstance(obj.get("body"), str):
        raise LineError("expected {\"id\", \"title\", \"date\", \"header\", \"body\"}")
    header = obj.get("header") or ""
    header = re.sub(r"^#\s*.*\n*", "", header).strip()  # the title line repeats the title
    return {
        "external_id": f"law:{obj.get('id')}" if obj.get("id") else None,
        "title": str(obj["title"]).strip()[:300],
        "collection": str(obj.get("collection") or "").split("/")[-1][:100],
        "date": parse_date(obj.get("date"), "date"),
        "header": header,
        "body": re.sub(r"^#+\s*", "", obj["body"], flags=re.M),
        "source_path": str(obj.get("source_path") or "")[:300],
    }


READERS = {"gongkai": read_gongkai, "ncp": read_ncp, "laws": read_law}


def read_line(fmt: str, line: str) -> dict:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise LineError(f"not valid JSON ({exc.msg})") from None
    return READERS[fmt](obj)
