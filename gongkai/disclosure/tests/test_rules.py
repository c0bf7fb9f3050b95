import datetime as dt

from gongkai.core.workdays import Calendar
from gongkai.disclosure import rules
from gongkai.disclosure.indexnumber import format_index_number

CAL = Calendar()


def test_publish_by_is_twentieth_working_day_after_written_date():
    # 2021-06-23 (Wed); Dragon Boat Festival 2021-06-14 is before; 20 WD -> 2021-07-21
    assert rules.publish_by(CAL, dt.date(2021, 6, 23), None) == dt.date(2021, 7, 21)
    # National Day week is skipped, the 调休 Saturday 2021-10-09 counts:
    # 10-08, 10-09, 10-11, 10-12, 10-13
    assert rules.publish_by(CAL, dt.date(2021, 9, 30), 5) == dt.date(2021, 10, 13)


def test_timeliness_states():
    due = dt.date(2021, 7, 21)
    t = rules.timeliness
    assert t(CAL, due=due, published=dt.date(2021, 7, 21), today=dt.date(2021, 8, 1)) == \
        rules.ON_TIME
    assert t(CAL, due=due, published=dt.date(2021, 7, 22), today=dt.date(2021, 8, 1)) == \
        rules.PUBLISHED_LATE
    assert t(CAL, due=due, published=None, today=dt.date(2021, 7, 22)) == rules.LATE
    assert t(CAL, due=due, published=None, today=dt.date(2021, 7, 19)) == rules.SOON
    assert t(CAL, due=due, published=None, today=dt.date(2021, 6, 24)) == rules.OPEN
    assert t(CAL, due=None, published=None, today=dt.date(2021, 6, 24)) is None


def test_sync_rule_blocks_normative_without_interpretation_or_reason():
    base = dict(doc_type="normative", is_important=False, attribute="public",
                has_published_interpretation=False, publishing_interpretation=False, reason="")
    assert "三同步" in rules.sync_blocker(**base)
    assert rules.sync_blocker(**{**base, "publishing_interpretation": True}) is None
    assert rules.sync_blocker(**{**base, "has_published_interpretation": True}) is None
    assert rules.sync_blocker(**{**base, "reason": "内容简单，无需解读"}) is None
    assert rules.sync_blocker(**{**base, "reason": "   "}) is not None
    assert rules.sync_blocker(**{**base, "doc_type": "policy"}) is None
    assert rules.sync_blocker(**{**base, "doc_type": "policy", "is_important": True}) is not None
    assert rules.sync_blocker(**{**base, "attribute": "on_request"}) is None


def test_index_number_default_pattern():
    s = format_index_number("{credit_code}/{year}-{serial:05d}", credit_code="113701000041890665",
                            org_code="x", year=2025, serial=51)
    assert s == "113701000041890665/2025-00051"
    assert format_index_number("{org_code}-{year}{month:02d}-{serial}", credit_code="",
                               org_code="hyq", year=2021, month=10, serial=13) == "hyq-202110-13"
