"""文号 parsing and normalizing, free of the ORM.

Agencies type the year bracket many ways: ``[2021]``, ``(2021)``, ``（2021）``, ``【2021】``,
``〔2021〕``, ``［2021］``, ``﹝2021﹞``, often with full-width digits. The canonical form is
``槐政办字〔2021〕4号``: issuer prefix, the year in 六角括号, the serial without leading zeros.
Two other official forms carry no bracketed year: an order, ``国务院令第711号`` (the
serial runs across years; ``中华人民共和国`` before the organ is dropped, as the government's
policy library cites it), and an announcement numbered by year, ``财政部 税务总局公告2020年第9号``
(organs separated by one space). A number that fits none of these is kept exactly as typed
and flagged as not valid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_OPEN = "[(（【〔［﹝{｛<《"
_CLOSE = "])）】〕］﹞}｝>》"
_PATTERN = re.compile(
    rf"^(?P<prefix>[^{re.escape(_OPEN)}\s\d]+?)\s*[{re.escape(_OPEN)}]\s*(?P<year>\d{{4}})\s*"
    rf"[{re.escape(_CLOSE)}]\s*第?\s*(?P<serial>\d{{1,6}})\s*号$"
)

_ORDER = re.compile(r"^(?:中华人民共和国)?(?P<prefix>[^\s\d第]+?令)第(?P<serial>\d{1,6})号$")
_ANNOUNCEMENT = re.compile(
    r"^(?P<prefix>[^\d]+?公告)\s*(?P<year>\d{4})\s*年\s*第\s*(?P<serial>\d{1,6})\s*号$")


@dataclass(frozen=True)
class DocNumber:
    raw: str
    text: str  # canonical form when valid, else ``raw`` stripped
    prefix: str
    year: int | None
    serial: int | None
    valid: bool


def parse(raw: str | None) -> DocNumber:
    """Parse a 文号; never raises. An empty string gives an empty, not-valid result."""
    raw = raw or ""
    typed = raw.strip()
    cleaned = re.sub(r"\s+", "", typed.translate(_FULLWIDTH_DIGITS))
    m = _PATTERN.match(cleaned)
    if not m:
        return _other_forms(raw, typed)
    year = int(m["year"])
    serial = int(m["serial"])
    if not (1949 <= year <= 2100) or serial == 0:
        return DocNumber(raw=raw, text=typed, prefix="", year=None, serial=None, valid=False)
    prefix = m["prefix"]
    return DocNumber(raw=raw, text=f"{prefix}〔{year}〕{serial}号", prefix=prefix, year=year,
                     serial=serial, valid=True)


def _other_forms(raw: str, typed: str) -> DocNumber:
    invalid = DocNumber(raw=raw, text=typed, prefix="", year=None, serial=None, valid=False)
    flat = typed.translate(_FULLWIDTH_DIGITS)
    m = _ORDER.match(re.sub(r"\s+", "", flat))
    if m and int(m["serial"]):
        serial = int(m["serial"])
        return DocNumber(raw=raw, text=f"{m['prefix']}第{serial}号", prefix=m["prefix"],
                         year=None, serial=serial, valid=True)
    m = _ANNOUNCEMENT.match(flat)
    if m and int(m["serial"]) and 1949 <= int(m["year"]) <= 2100:
        prefix = re.sub(r"\s+", " ", m["prefix"]).replace(" 公告", "公告")
        year, serial = int(m["year"]), int(m["serial"])
        return DocNumber(raw=raw, text=f"{prefix}{year}年第{serial}号", prefix=prefix,
                         year=year, serial=serial, valid=True)
    return invalid


def normalize(raw: str | None) -> str:
    """The canonical text of a 文号 (or the trimmed input when it does not parse)."""
    return parse(raw).text
