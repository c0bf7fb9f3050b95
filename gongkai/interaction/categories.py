"""建议提案 answer categories: a local scheme set by GONGKAI_PROPOSAL_CATEGORIES.

The value is ``code=label`` pairs separated by ``;`` or ``,``, e.g. the default
``A=解决或采纳;B=正在解决或列入计划;C=留作参考``. Codes are one or two letters or digits.
A bad value stops start-up (``InteractionConfig.ready``) with a message naming it. Answers
recorded under a code the scheme no longer has keep showing, with their code.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT = "A=解决或采纳;B=正在解决或列入计划;C=留作参考"
_CODE = re.compile(r"^[A-Za-z0-9]{1,2}$")


@lru_cache(maxsize=8)
def parse(raw: str) -> tuple[tuple[str, str], ...]:
    """((code, label), …) of a scheme string; ImproperlyConfigured naming the bad part."""
    pairs: list[tuple[str, str]] = []
    for part in re.split(r"[;,；\n]", raw or ""):
        part = part.strip()
        if not part:
            continue
        code, sep, label = part.partition("=")
        code, label = code.strip(), label.strip()
        if not sep or not _CODE.match(code) or not label:
            raise ImproperlyConfigured(
                f"GONGKAI_PROPOSAL_CATEGORIES: {part!r} is not code=label "
                "(code: 1–2 letters or digits, label not empty), e.g. A=解决或采纳")
        if any(c == code for c, _ in pairs):
            raise ImproperlyConfigured(f"GONGKAI_PROPOSAL_CATEGORIES: code {code!r} is repeated")
        pairs.append((code, label))
    if not pairs:
        raise ImproperlyConfigured("GONGKAI_PROPOSAL_CATEGORIES is empty: give code=label pairs")
    return tuple(pairs)


def scheme() -> tuple[tuple[str, str], ...]:
    return parse(getattr(settings, "GONGKAI_PROPOSAL_CATEGORIES", DEFAULT) or DEFAULT)


def codes() -> list[str]:
    return [c for c, _ in scheme()]


def label(code: str) -> str:
    """「A类（解决或采纳）」; a code no longer in the scheme shows as itself, marked."""
    if not code:
        return ""
    for c, text in scheme():
        if c == code:
            return f"{c}类（{text}）"
    return f"{code}类（原分类，现行方案已无此类）"


def choices() -> list[tuple[str, str]]:
    return [(c, label(c)) for c in codes()]


def from_text(value) -> str:
    """A spreadsheet cell as a code: the code (any case), 「A类」, the label or the full
    label; ValueError (Chinese) if the scheme has no such category."""
    text = str(value or "").strip()
    if not text:
        return ""
    for c, name in scheme():
        if text in (c, f"{c}类", name, label(c)) or text.upper() == c.upper():
            return c
    raise ValueError(f"答复类别“{text[:20]}”不在本地分类方案中（可填："
                     + "、".join(codes()) + "）")
