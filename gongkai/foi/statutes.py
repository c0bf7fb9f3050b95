"""The statute excerpts that letters cite, loaded from ``data/statutes.json``.

The JSON holds verbatim article texts of 条例 (2019), 行政复议法 (2023) and 行政诉讼法
(2017) with their source; tests check that every citation a letter makes names an article
held here and that the words the letter relies on appear in it.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

_PATH = Path(__file__).with_name("data") / "statutes.json"

TIAOLI = "tiaoli"   # 中华人民共和国政府信息公开条例
FUYI = "fuyi"       # 中华人民共和国行政复议法
SUSONG = "susong"   # 中华人民共和国行政诉讼法


@cache
def _data() -> dict:
    return json.loads(_PATH.read_text(encoding="utf-8"))


def law_title(law: str) -> str:
    """``《中华人民共和国政府信息公开条例》``."""
    return _data()["laws"][law]["short"]


def article(law: str, number: str) -> str:
    """The verbatim text of one article, e.g. ``article(TIAOLI, "第十四条")``."""
    return _data()["articles"][law][number]


def articles(law: str) -> dict[str, str]:
    return dict(_data()["articles"][law])


def source(law: str) -> str:
    return _data()["laws"][law]["source"]
