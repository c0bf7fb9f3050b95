"""信息处理费 tiers (国办函〔2020〕109号), no database."""

from decimal import Decimal

import pytest

from gongkai.foi import fees


@pytest.mark.parametrize("nth, expected", [
    (1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (35, 200), (40, 200), (41, 300),
    (50, 300), (51, 400),
])
def test_per_item_fee_follows_the_monthly_tiers(nth, expected):
    assert fees.per_item_fee(nth) == Decimal(expected)


def test_35_applications_in_a_month_cost_3000_together():
    assert fees.per_item_total(35) == Decimal(3000)
    assert fees.per_item_total(10) == Decimal(0)


@pytest.mark.parametrize("pages, expected", [
    (0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740), (250, 4700),
])
def test_per_page_fee_is_progressive(pages, expected):
    assert fees.per_page_fee(pages) == Decimal(expected)


def test_one_application_is_never_charged_both_ways():
    with pytest.raises(fees.FeeError, match="不能同时"):
        fees.fee(method=fees.PER_PAGE, nth=12, pages=50)


def test_bad_inputs_are_rejected():
    with pytest.raises(fees.FeeError):
        fees.per_item_fee(0)
    with pytest.raises(fees.FeeError):
        fees.per_page_fee(-1)
    with pytest.raises(fees.FeeError):
        fees.fee(method=fees.PER_ITEM)


def test_explanation_shows_the_arithmetic():
    text = fees.explain(method=fees.PER_PAGE, pages=250)
    assert "70页×10元" in text and "50页×40元" in text and "4700元" in text
    assert "第35件" in fees.explain(method=fees.PER_ITEM, nth=35)
