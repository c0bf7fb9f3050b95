"""Evaluation arithmetic: indicator values → a 100-point score. Plain data, no database.

Each indicator has a weight and a ``full`` value (the value that earns the whole weight;
below it points fall linearly to 0 at ``zero``). Indicators without data (None: the app
is not installed or has nothing for the unit) are left out and the remaining weights are
scaled up to 100, so a missing app costs a unit nothing. Overrides go in
``settings.GONGKAI_SUPERVISION_WEIGHTS`` as ``{key: {"weight": .., "full": .., "zero": ..}}``.
"""

from __future__ import annotations

from dataclasses import dataclass

# key → weight (points out of 100), full marks at, zero at. Shares are percentages.
DEFAULT_WEIGHTS: dict[str, dict[str, float]] = {
    "disclosure.on_time_share": {"weight": 20, "full": 100, "zero": 60},  # 条例第二十六条
    "disclosure.sync_share": {"weight": 10, "full": 100, "zero": 50},  # 三同步
    # 目录栏目更新及时 (19号: 动态类 2 周, 其他 6 个月; 空白栏目不及时)
    "disclosure.directory_fresh_share": {"weight": 10, "full": 100, "zero": 50},
    "foi.on_time_share": {"weight": 15, "full": 100, "zero": 80},
    "foi.corrected_count": {"weight": 10, "full": 0, "zero": 3},  # fewer is better
    "foi.quality_score": {"weight": 5, "full": 100, "zero": 60},  # 抽检
    "participation.feedback_on_time_share": {"weight": 5, "full": 100, "zero": 50},
    "interaction.messages_on_time": {"weight": 5, "full": 100, "zero": 50},
    "supervision.findings_on_time": {"weight": 15, "full": 100, "zero": 50},
    # 19号 百分制扣分得分 of the unit's findings in the period; 60 is 19号's pass line.
    # (A 单项否决 finding is not a weight: it fails the unit, see services/evaluation.py.)
    "supervision.inspection_score": {"weight": 10, "full": 100, "zero": 60},
    "supervision.progress_share": {"weight": 10, "full": 100, "zero": 0},
    # share (%) of the period's 分级分类 sessions meant for the unit's people it attended
    "supervision.training": {"weight": 5, "full": 100, "zero": 0},
    "manual.third_party": {"weight": 5, "full": 100, "zero": 0},  # 第三方评估（百分制）
    "manual.special_review": {"weight": 5, "full": 100, "zero": 0},  # 专项评议（百分制）
}
# 通报: at or above praise → 表扬; below criticise → 通报批评 with 限期整改.
THRESHOLDS = {"praise": 90.0, "criticise": 60.0}


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    value: float | None
    weight: float
    points: float | None  # None: no data


def fraction(value: float, full: float, zero: float) -> float:
    """Share of the weight earned by ``value``, 0..1, linear between zero and full."""
    if full == zero:
        return 1.0 if value == full else 0.0
    share = (value - zero) / (full - zero)
    return max(0.0, min(1.0, share))


def evaluate(values: dict[str, float | None], labels: dict[str, str] | None = None,
             weights: dict[str, dict[str, float]] | None = None) -> tuple[float, list[Line]]:
    """(total out of 100, one line per weighted indicator)."""
    weights = weights or DEFAULT_WEIGHTS
    labels = labels or {}
    lines: list[Line] = []
    earned = available = 0.0
    for key, w in weights.items():
        if not w.get("weight"):
            continue
        value = values.get(key)
        if value is None:
            lines.append(Line(key, labels.get(key, key), None, w["weight"], None))
            continue
        pts = w["weight"] * fraction(float(value), w["full"], w["zero"])
        earned += pts
        available += w["weight"]
        lines.append(Line(key, labels.get(key, key), float(value), w["weight"], round(pts, 2)))
    total = 100.0 * earned / available if available else 0.0
    return round(total, 1), lines


def rank(totals: dict[int, float], vetoed: set | frozenset = frozenset()) -> dict[int, int]:
    """Competition ranking (1, 2, 2, 4) by total, highest first; a unit failed by a
    单项否决 ranks after every unit that was not, whatever its points."""
    def key(k):
        return (k not in vetoed, totals[k])

    ordered = sorted((key(k) for k in totals), reverse=True)
    return {k: ordered.index(key(k)) + 1 for k in totals}


def verdict(total: float, thresholds: dict[str, float] | None = None, *,
            vetoed: bool = False) -> str:
    t = thresholds or THRESHOLDS
    if vetoed:
        return "criticise"  # 单项否决: fails, however many points
    if total >= t["praise"]:
        return "praise"
    if total < t["criticise"]:
        return "criticise"
    return ""
