"""Evaluation arithmetic and the 19号 checks (no database)."""

import datetime as dt

import pytest

from gongkai.supervision import checks, scoring
from gongkai.supervision.crawl import CrawlResult, Page, parse_dates

W = {"a": {"weight": 60, "full": 100, "zero": 50}, "b": {"weight": 40, "full": 0, "zero": 4}}


def test_missing_indicator_contributes_nothing_not_zero():
    total, lines = scoring.evaluate({"a": 100, "b": None}, weights=W)
    assert total == 100.0
    assert [ln.points for ln in lines] == [60.0, None]
    total, _ = scoring.evaluate({"a": 75, "b": 2}, weights=W)
    assert total == pytest.approx((30 + 20) / 100 * 100)


def test_lower_is_better_and_bounds():
    assert scoring.fraction(0, full=0, zero=4) == 1.0
    assert scoring.fraction(8, full=0, zero=4) == 0.0
    assert scoring.fraction(40, full=100, zero=50) == 0.0
    assert scoring.evaluate({}, weights=W)[0] == 0.0


def test_rank_and_verdict():
    assert scoring.rank({1: 90, 2: 95, 3: 90, 4: 10}) == {2: 1, 1: 2, 3: 2, 4: 4}
    assert scoring.verdict(95) == "praise"
    assert scoring.verdict(59.9) == "criticise"
    assert scoring.verdict(75) == ""


def test_dates_in_chinese_and_iso():
    assert parse_dates("发布 2021-06-23，成文2021年6月1日，2021-13-40") == [
        dt.date(2021, 6, 23), dt.date(2021, 6, 1)]


def _result(pages, links=None, sources=None):
    r = CrawlResult("http://x/")
    r.pages = {p.url: p for p in pages}
    r.links = links or {p.url: (p.status, "") for p in pages}
    r.sources = sources or {}
    return r


def test_stale_blank_broken_privacy_words_and_score():
    today = dt.date(2021, 12, 31)
    pages = [
        Page("http://x/", 200, 0.1, "首页", "要闻 2021-12-20", dates=[dt.date(2021, 12, 20)]),
        Page("http://x/xxgk/hyq-czj/gzdt/", 200, 0.1, "工作动态", "2021-11-01",
             dates=[dt.date(2021, 11, 1)]),
        Page("http://x/xxgk/hyq-czj/ghjh/", 200, 16.0, "规划计划", "2021-01-02",
             dates=[dt.date(2021, 1, 2)]),
        Page("http://x/xxgk/hyq-czj/tjxx/", 200, 0.1, "统计信息", "2021-09-22",
             dates=[dt.date(2021, 9, 22)]),
        Page("http://x/xxgk/hyq-fgj/zcwj/", 200, 0.1, "政策文件", "暂无信息 槐荫区政府"),
        Page("http://x/xxgk/hyq-fgj/", 200, 0.1, "发改局", "联系 13800138000 槐阴区",
             dates=[dt.date(2021, 12, 30)]),
        Page("http://x/xxgk/hyq-fgj/jg/", 200, 0.1, "机构", "", is_container=True),
    ]
    links = {p.url: (200, "") for p in pages}
    links["http://x/xxgk/doc/999/"] = (404, "Not Found")
    r = _result(pages, links, {"http://x/xxgk/doc/999/": ["http://x/xxgk/hyq-czj/gzdt/"]})
    issues = checks.check(r, today=today, words=[("typo", "槐阴区", "槐荫区")])
    kinds = {(i.kind, i.org_code) for i in issues}
    assert ("stale_dynamic", "hyq-czj") in kinds  # 动态 60 days old
    assert ("stale_column", "hyq-czj") in kinds  # 规划计划: 363 days > 6 months
    assert not any(i.url.endswith("/tjxx/") for i in issues)  # 100 days: within 6 months
    assert ("slow", "hyq-czj") in kinds
    assert ("blank_column", "hyq-fgj") in kinds
    assert ("broken_link", "hyq-czj") in kinds
    assert ("personal_data", "hyq-fgj") in kinds
    assert ("typo", "hyq-fgj") in kinds
    assert not any(i.kind == "stale_home" for i in issues)
    assert not any(i.url.endswith("/jg/") for i in issues)  # a container is not blank
    veto, score = checks.score(issues)
    assert veto is True
    assert score == 100 - sum(i.deduction for i in issues)
    again = checks.check(r, today=today, words=[("typo", "槐阴区", "槐荫区")])
    assert [i.key for i in again] == [i.key for i in issues]  # stable keys for 再核查
