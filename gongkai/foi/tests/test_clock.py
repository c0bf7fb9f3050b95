"""The statutory clock: RULES.md §2 counting convention, no database."""

import datetime as dt

import pytest

from gongkai.core.workdays import Calendar
from gongkai.foi.clock import (
    PAUSE_CONSULT_AGENCY,
    PAUSE_CONSULT_THIRD_PARTY,
    PAUSE_FEE,
    ClockError,
    ClockInput,
    Extension,
    Pause,
    compute,
    remaining_workdays,
)

CAL = Calendar()
D = dt.date


def run(received, **kw):
    return compute(ClockInput(received=received, **kw), CAL)


def test_answer_due_is_the_20th_working_day_after_receipt():
    r = run(D(2026, 11, 2))
    assert r.correction_notice_due == D(2026, 11, 11)
    assert r.answer_due == D(2026, 11, 30)
    assert r.warnings == []
    assert "2026年11月30日" in r.explanation()[0]


def test_receipt_day_is_not_counted_even_on_a_weekend():
    # Received on Saturday 2026-11-07: day 1 is Monday 11-09.
    r = run(D(2026, 11, 7))
    assert r.correction_notice_due == D(2026, 11, 17)
    assert r.answer_due == D(2026, 12, 4)


def test_national_day_holidays_are_skipped():
    # 2026-09-30 received; Oct 1-7 holiday; Oct 10 (Saturday) is a 调休 working day.
    r = run(D(2026, 9, 30))
    # Oct 8, 9, 10 (调休), 12..15 = 7 days; 16 = 8, 19..23 = 13, 26..30 = 18, Nov 2, 3 = 20
    assert r.correction_notice_due == D(2026, 10, 15)
    assert r.answer_due == D(2026, 11, 3)


def test_tiaoxiu_saturday_counts_as_a_working_day():
    # Received Friday 2026-10-09; Saturday 10-10 is a 调休 working day and is day 1.
    r = run(D(2026, 10, 9))
    assert CAL.is_workday(D(2026, 10, 10))
    assert r.correction_notice_due == D(2026, 10, 19)


def test_spring_festival_pushes_the_due_date():
    # 2026-02-13 (Fri) received; 02-14 (Sat) is 调休 work; 02-15..23 holiday; 02-28 (Sat) work.
    r = run(D(2026, 2, 13))
    # 14 (调休) = 1, 24..27 = 5, 28 (调休) = 6, Mar 2 = 7; Mar 3..6 = 11, 9..13 = 16, 16..19 = 20
    assert r.correction_notice_due == D(2026, 3, 2)
    assert r.answer_due == D(2026, 3, 19)


def test_pause_excludes_days_after_its_start_through_its_end():
    r = run(D(2026, 11, 2), pauses=(Pause(PAUSE_CONSULT_THIRD_PARTY, D(2026, 11, 10),
                                          D(2026, 11, 20)),))
    assert r.answer_due == D(2026, 12, 10)
    step = r.steps[-1]
    assert step.added == 8
    assert "8个" in step.text and "2026年12月10日" in step.text


def test_third_party_answer_is_due_15_working_days_after_the_letter():
    r = run(D(2026, 11, 2), pauses=(Pause(PAUSE_CONSULT_THIRD_PARTY, D(2026, 11, 10)),))
    assert r.consultation_dues[0][1] == D(2026, 12, 1)


def test_running_pause_gives_a_provisional_due_date():
    data = ClockInput(received=D(2026, 11, 2),
                      pauses=(Pause(PAUSE_CONSULT_AGENCY, D(2026, 11, 10)),))
    r = compute(data, CAL, as_of=D(2026, 11, 13))
    assert r.provisional
    assert r.answer_due == D(2026, 12, 3)  # 3 WD paused so far
    assert "尚未结束" in r.steps[-1].text


def test_two_pauses_add_up():
    r = run(D(2026, 11, 2), pauses=(
        Pause(PAUSE_CONSULT_THIRD_PARTY, D(2026, 11, 3), D(2026, 11, 5)),
        Pause(PAUSE_FEE, D(2026, 11, 9), D(2026, 11, 10)),
    ))
    assert [s.added for s in r.steps[1:]] == [2, 1]
    assert r.answer_due == CAL.add(D(2026, 11, 30), 3)


def test_fee_wait_pauses_and_sets_the_payment_deadline():
    r = run(D(2026, 11, 2), pauses=(Pause(PAUSE_FEE, D(2026, 11, 16), D(2026, 11, 18)),))
    assert r.fee_payment_due == D(2026, 12, 14)
    assert r.answer_due == D(2026, 12, 2)


def test_pause_ending_on_its_start_day_adds_nothing():
    r = run(D(2026, 11, 2), pauses=(Pause(PAUSE_FEE, D(2026, 11, 16), D(2026, 11, 16)),))
    assert r.answer_due == D(2026, 11, 30)


def test_pause_over_a_weekend_only_adds_working_days():
    r = run(D(2026, 11, 2), pauses=(Pause(PAUSE_FEE, D(2026, 11, 13), D(2026, 11, 15)),))
    assert r.steps[-1].added == 0
    assert r.answer_due == D(2026, 11, 30)


def test_extension_adds_working_days_after_the_due_date_in_force():
    r = run(D(2026, 11, 2), extension=Extension(20, D(2026, 11, 20)))
    assert r.answer_due == D(2026, 12, 28)
    assert "延长答复期限20个工作日" in r.steps[-1].text


def test_extension_after_a_pause_counts_from_the_moved_due_date():
    r = run(D(2026, 11, 2),
            pauses=(Pause(PAUSE_CONSULT_THIRD_PARTY, D(2026, 11, 10), D(2026, 11, 20)),),
            extension=Extension(5, D(2026, 12, 10)))
    assert r.answer_due == D(2026, 12, 17)


def test_extension_may_be_approved_on_the_due_date_itself():
    r = run(D(2026, 11, 2), extension=Extension(1, D(2026, 11, 30)))
    assert r.answer_due == D(2026, 12, 1)


def test_correction_restarts_the_answer_period_from_the_corrected_application():
    r = run(D(2026, 11, 2), correction_notice=D(2026, 11, 5),
            correction_deadline=D(2026, 11, 20), correction_received=D(2026, 11, 12))
    assert r.start == D(2026, 11, 12)
    assert r.answer_due == CAL.add(D(2026, 11, 12), 20) == D(2026, 12, 10)
    assert [s.label for s in r.steps] == ["收到申请", "补正通知", "收到补正材料"]


def test_waiting_for_correction_has_no_answer_date_yet():
    r = run(D(2026, 11, 2), correction_notice=D(2026, 11, 5),
            correction_deadline=D(2026, 11, 20))
    assert r.waiting_for_correction
    assert r.answer_due is None
    assert r.correction_deadline == D(2026, 11, 20)


def test_late_correction_notice_is_flagged():
    r = run(D(2026, 11, 2), correction_notice=D(2026, 11, 12),
            correction_received=D(2026, 11, 13))
    assert any("晚于" in n for n in r.notes)


def test_year_without_calendar_data_warns_and_counts_statutory_holidays():
    r = run(D(2026, 12, 15))
    # Dec 16..31 = 12 WD, then 2027 without its notice: 元旦 (Jan 1) by statute, weekends.
    assert r.answer_due == D(2027, 1, 13)
    assert len(r.warnings) == 1 and "2027年" in r.warnings[0]


def test_known_years_from_a_coordinator_silence_the_warning():
    cal = Calendar(overrides={D(2027, 1, 1): False}, complete_years=frozenset({2027}))
    r = compute(ClockInput(received=D(2026, 12, 15)), cal)
    assert r.warnings == []
    assert r.answer_due == D(2027, 1, 13)


def test_year_end_crossing_inside_known_years():
    r = run(D(2025, 12, 20))
    # 2026-01-01..03 holiday, 01-04 (Sun) 调休 working day.
    assert r.answer_due == D(2026, 1, 19)
    assert r.warnings == []


@pytest.mark.parametrize("kw, english", [
    ({"extension": Extension(21, D(2026, 11, 10))}, "1-20"),
    ({"extension": Extension(0, D(2026, 11, 10))}, "1-20"),
    ({"extension": Extension(5, D(2026, 12, 1))}, "after the due date"),
    ({"pauses": (Pause(PAUSE_FEE, D(2026, 11, 20), D(2026, 11, 10)),)}, "ends before"),
    ({"pauses": (Pause(PAUSE_FEE, D(2026, 11, 5), D(2026, 11, 12)),
                 Pause(PAUSE_CONSULT_THIRD_PARTY, D(2026, 11, 10), D(2026, 11, 20)))},
     "overlap"),
    ({"pauses": (Pause(PAUSE_FEE, D(2026, 11, 5)),
                 Pause(PAUSE_CONSULT_THIRD_PARTY, D(2026, 11, 10), D(2026, 11, 20)))},
     "still running"),
    ({"pauses": (Pause(PAUSE_FEE, D(2026, 10, 30), D(2026, 11, 3)),)}, "before the answer"),
    ({"pauses": (Pause(PAUSE_FEE, D(2026, 12, 1), D(2026, 12, 3)),)}, "after the due date"),
    ({"pauses": (Pause("holiday", D(2026, 11, 5), D(2026, 11, 6)),)}, "unknown pause"),
    ({"correction_received": D(2026, 11, 5)}, "without a correction notice"),
    ({"correction_notice": D(2026, 11, 5), "correction_received": D(2026, 11, 4)},
     "before the notice"),
    ({"correction_notice": D(2026, 10, 30)}, "before the receipt"),
    ({"correction_notice": D(2026, 11, 5), "correction_deadline": D(2026, 11, 5)},
     "not after the notice"),
    ({"extension": Extension(5, D(2026, 11, 12)),
      "pauses": (Pause(PAUSE_FEE, D(2026, 11, 10)),)}, "during a running pause"),
])
def test_invalid_sequences_raise_a_clear_error(kw, english):
    with pytest.raises(ClockError) as exc:
        run(D(2026, 11, 2), **kw)
    assert english in exc.value.english
    assert str(exc.value)  # a Chinese message for the page


def test_pause_before_the_restarted_period_is_rejected():
    with pytest.raises(ClockError):
        run(D(2026, 11, 2), correction_notice=D(2026, 11, 3), correction_received=D(2026, 11, 9),
            pauses=(Pause(PAUSE_FEE, D(2026, 11, 5), D(2026, 11, 6)),))


def test_remaining_workdays_counts_down_and_goes_negative():
    assert remaining_workdays(CAL, D(2026, 11, 27), D(2026, 11, 30)) == 1
    assert remaining_workdays(CAL, D(2026, 11, 30), D(2026, 11, 30)) == 0
    assert remaining_workdays(CAL, D(2026, 12, 2), D(2026, 11, 30)) == -2


def test_as_json_has_the_cli_fields():
    assert run(D(2026, 11, 2)).as_json() == {
        "received": "2026-11-02", "correction_notice_due": "2026-11-11",
        "answer_due": "2026-11-30", "warnings": []}
