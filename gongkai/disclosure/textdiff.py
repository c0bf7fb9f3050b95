"""What changed between two official texts, free of the ORM.

Lines are matched first; a changed line paired with its replacement also gets a
character-level diff, so a changed punctuation mark or number is visible at once.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from difflib import SequenceMatcher

MAX_CHAR_DIFF = 4000  # longer lines are shown whole
MIN_SIMILARITY = 0.5  # less similar lines are shown whole: fragments would not help


@dataclass(frozen=True)
class Row:
    op: str  # "del" (only in the old text) or "ins" (only in the new text)
    segments: tuple[tuple[bool, str], ...]  # (changed, text)

    @property
    def text(self) -> str:
        return "".join(t for _, t in self.segments)

    def html(self) -> str:
        """Escaped HTML of the line, changed parts in <del> or <ins>."""
        tag = "del" if self.op == "del" else "ins"
        return "".join(f"<{tag}>{html.escape(t)}</{tag}>" if changed else html.escape(t)
                       for changed, t in self.segments)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _pair(old: str, new: str) -> tuple[Row, Row]:
    if len(old) + len(new) > MAX_CHAR_DIFF:
        return Row("del", ((True, old),)), Row("ins", ((True, new),))
    sm = SequenceMatcher(None, old, new, autojunk=False)
    if sm.quick_ratio() < MIN_SIMILARITY or sm.ratio() < MIN_SIMILARITY:
        return Row("del", ((True, old),)), Row("ins", ((True, new),))
    a, b = [], []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            a.append((False, old[i1:i2]))
            b.append((False, new[j1:j2]))
        else:
            if i2 > i1:
                a.append((True, old[i1:i2]))
            if j2 > j1:
                b.append((True, new[j1:j2]))
    return Row("del", tuple(a)), Row("ins", tuple(b))


def diff(old_text: str, new_text: str) -> list[Row]:
    """Changed lines only, in reading order."""
    a, b = _lines(old_text), _lines(new_text)
    rows: list[Row] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        old_block, new_block = a[i1:i2], b[j1:j2]
        paired = min(len(old_block), len(new_block)) if tag == "replace" else 0
        for k in range(paired):
            d, i = _pair(old_block[k], new_block[k])
            rows += [d, i]
        rows += [Row("del", ((True, line),)) for line in old_block[paired:]]
        rows += [Row("ins", ((True, line),)) for line in new_block[paired:]]
    return rows
