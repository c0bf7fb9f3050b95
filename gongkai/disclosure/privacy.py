"""Personal-data scanner run before publishing, free of the ORM.

Finds 18-digit 居民身份证号 (birth date and GB 11643 check digit validated), mainland mobile
numbers, bank card numbers (16-19 digits passing Luhn) and e-mail addresses. Numbers glued to
other digits, letters, ``/`` or ``-`` are not taken apart, so 索引号 like
``113701000041890665/2025-00051``, 文号 and dates do not trigger. Hits carry a masked excerpt
only, so they can be shown and logged without repeating the personal data.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

KIND_LABELS = {
    "id_card": "居民身份证号",
    "mobile": "手机号码",
    "bank_card": "银行卡号",
    "email": "电子邮箱",
}

# Institutional mailboxes are published on purpose (contact points), not personal data.
DEFAULT_EMAIL_ALLOW_SUFFIXES = (".gov.cn", "@gov.cn")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

_EDGE_L = r"(?<![0-9A-Za-z/\-_.])"
_EDGE_R = r"(?![0-9A-Za-z/\-_])"
_ID_RE = re.compile(_EDGE_L + r"([1-8]\d{16}[0-9Xx])" + _EDGE_R)
_MOBILE_RE = re.compile(
    r"(?<![0-9A-Za-z/\-_.])(?:(?:\+|00)?86[ -]?)?(1[3-9]\d(?:[ -]?\d{4}){2})" + _EDGE_R
)
_CARD_RE = re.compile(_EDGE_L + r"([3-6]\d{3}(?:[ -]?\d{4}){2}(?:[ -]?\d{1,7}))" + _EDGE_R)
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")


@dataclass(frozen=True)
class Hit:
    kind: str
    start: int
    end: int
    masked: str

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


def id_card_valid(number: str) -> bool:
    """GB 11643-1999: 17 digits, a real birth date, and the check character."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if not (1900 <= born.year <= 2100):
        return False
    total = sum(int(c) * w for c, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def luhn_valid(digits: str) -> bool:
    if not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def mask(value: str, keep_start: int = 3, keep_end: int = 2) -> str:
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


def _mask_email(value: str) -> str:
    local, _, domain = value.partition("@")
    return (local[:1] + "***@" + domain) if local else "***@" + domain


def scan(text: str, email_allow_suffixes: tuple[str, ...] = DEFAULT_EMAIL_ALLOW_SUFFIXES
         ) -> list[Hit]:
    """Every personal-data hit in ``text``, in order of position, without overlaps."""
    text = text or ""
    hits: list[Hit] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    def add(kind: str, a: int, b: int, masked: str) -> None:
        hits.append(Hit(kind, a, b, masked))
        taken.append((a, b))

    for m in _ID_RE.finditer(text):
        if id_card_valid(m.group(1)):
            add("id_card", m.start(1), m.end(1), mask(m.group(1), 4, 4))
    for m in _EMAIL_RE.finditer(text):
        value = m.group(0)
        if value.lower().endswith(tuple(s.lower() for s in email_allow_suffixes)):
            continue
        if free(m.start(), m.end()):
            add("email", m.start(), m.end(), _mask_email(value))
    for m in _MOBILE_RE.finditer(text):
        digits = re.sub(r"[ -]", "", m.group(1))
        if len(digits) == 11 and free(m.start(1), m.end(1)):
            add("mobile", m.start(1), m.end(1), mask(digits, 3, 4))
    for m in _CARD_RE.finditer(text):
        digits = re.sub(r"[ -]", "", m.group(1))
        if 16 <= len(digits) <= 19 and luhn_valid(digits) and free(m.start(1), m.end(1)):
            add("bank_card", m.start(1), m.end(1), mask(digits, 4, 4))
    hits.sort(key=lambda h: h.start)
    return hits


def redact(text: str, hits: list[Hit] | None = None) -> str:
    """``text`` with every hit replaced by its masked form."""
    hits = scan(text) if hits is None else hits
    out, pos = [], 0
    for h in sorted(hits, key=lambda h: h.start):
        out.append(text[pos:h.start])
        out.append(h.masked)
        pos = h.end
    out.append(text[pos:])
    return "".join(out)


def summarize(hits: list[Hit]) -> str:
    """``"居民身份证号 1 处、手机号码 2 处"`` — safe for messages and the audit log."""
    counts: dict[str, int] = {}
    for h in hits:
        counts[h.kind] = counts.get(h.kind, 0) + 1
    return "、".join(f"{KIND_LABELS[k]} {n} 处" for k, n in counts.items())
