"""信息处理费 (国办函〔2020〕109号), free of the ORM. Amounts are Decimal yuan.

Both methods are 超额累进: each tier's rate applies to the part inside the tier.
按件 (per item): by the applicant's count of applications in a calendar month — 1-10 free,
11-30 100 元/件, then tiers of 10 each 100 元 more (31-40: 200, 41-50: 300 …).
按量 (per volume): by pages of one application — 1-30 free, 31-100 10 元/页,
101-200 20 元/页, 201+ 40 元/页. One application is charged by one method only.
"""

from __future__ import annotations

from decimal import Decimal

PER_ITEM = "per_item"
PER_PAGE = "per_page"
METHODS = {PER_ITEM: "按件计收", PER_PAGE: "按量计收"}

FREE_ITEMS = 10
PAGE_TIERS = ((30, Decimal(0)), (100, Decimal(10)), (200, Decimal(20)), (None, Decimal(40)))


class FeeError(ValueError):
    pass


def per_item_fee(nth: int) -> Decimal:
    """The fee for an applicant's ``nth`` application in one calendar month."""
    if not isinstance(nth, int) or nth < 1:
        raise FeeError("申请序号必须是正整数。")
    if nth <= FREE_ITEMS:
        return Decimal(0)
    if nth <= 30:
        return Decimal(100)
    return Decimal(100) * (2 + (nth - 31) // 10)


def per_item_total(count: int) -> Decimal:
    """What ``count`` applications in one month cost together."""
    if not isinstance(count, int) or count < 0:
        raise FeeError("申请件数不能为负数。")
    return sum((per_item_fee(k) for k in range(1, count + 1)), Decimal(0))


def per_page_fee(pages: int) -> Decimal:
    """The fee for one application of ``pages`` pages (A4 sides)."""
    if not isinstance(pages, int) or pages < 0:
        raise FeeError("页数不能为负数。")
    total = Decimal(0)
    lower = 0
    for upper, rate in PAGE_TIERS:
        top = pages if upper is None else min(pages, upper)
        if top > lower:
            total += (top - lower) * rate
        if upper is None or pages <= upper:
            break
        lower = upper
    return total


def fee(*, method: str, nth: int | None = None, pages: int | None = None) -> Decimal:
    """The fee of one application by exactly one method."""
    if nth is not None and pages is not None:
        raise FeeError("同一申请只能选择按件或按量一种方式计收，不能同时适用。")
    if method == PER_ITEM:
        if nth is None:
            raise FeeError("按件计收需要当月申请序号。")
        return per_item_fee(nth)
    if method == PER_PAGE:
        if pages is None:
            raise FeeError("按量计收需要页数。")
        return per_page_fee(pages)
    raise FeeError("未知的计费方式。")


def explain(*, method: str, nth: int | None = None, pages: int | None = None) -> str:
    """A Chinese sentence with the basis and the arithmetic."""
    amount = fee(method=method, nth=nth, pages=pages)
    if method == PER_ITEM:
        return (f"按件计收：本申请为申请人本自然月第{nth}件申请，按国办函〔2020〕109号标准"
                f"收取{yuan(amount)}元。")
    parts = []
    lower = 0
    for upper, rate in PAGE_TIERS:
        top = pages if upper is None else min(pages, upper)
        if top > lower and rate:
            parts.append(f"{top - lower}页×{rate}元")
        if upper is None or pages <= upper:
            break
        lower = upper
    detail = "＋".join(parts) if parts else "30页以内免费"
    return f"按量计收：共{pages}页，{detail}，合计{yuan(amount)}元。"


def yuan(amount: Decimal) -> str:
    """``200`` for whole yuan, ``12.50`` otherwise."""
    q = amount.quantize(Decimal("0.01"))
    return str(q.to_integral_value()) if q == q.to_integral_value() else str(q)


# ---------------------------------------------------------------- when the notice arrived

ONLINE = "online"
IN_PERSON = "in_person"
POST = "post"


def notice_received(*, delivery: str, sent, delivered=None, mail_days: int = 5):
    """The day the applicant received the 收费通知 and whether it is only estimated.

    109号: the applicant pays within 20 WD counted from the day after receiving the notice.
    Online or in person the notice arrives the day it is sent; by post it arrives on the
    recorded delivery (签收) date, estimated as ``mail_days`` calendar days after sending
    until that date is known.
    """
    import datetime as dt

    if delivery in (ONLINE, IN_PERSON):
        return sent, False
    if delivery != POST:
        raise FeeError("未知的送达方式。")
    if delivered is not None:
        if delivered < sent:
            raise FeeError("送达日期不能早于收费通知日期。")
        return delivered, False
    return sent + dt.timedelta(days=mail_days), True
