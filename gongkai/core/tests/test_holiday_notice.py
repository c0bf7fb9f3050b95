"""The State Council's holiday notice: parsed without a database, imported with one."""

import contextlib
import datetime as dt
import io
from pathlib import Path

import pytest
from chinese_calendar import constants as official
from django.core.management import call_command

from gongkai.core.calendar import get_calendar
from gongkai.core.holiday_notice import NoticeError, parse
from gongkai.core.models import AuditEntry, CalendarDay, CalendarYear, Role
from gongkai.core.workdays import Calendar, statutory_holidays

D = dt.date
NOTICES = Path(__file__).parent / "notices"
HALF = str.maketrans({"（": "(", "）": ")", "：": ":", "，": ",", "。": ".", "；": ";",
                      "、": ","})


def published(year: int) -> str:
    return (NOTICES / f"{year}.txt").read_text(encoding="utf-8")


def half_width(text: str) -> str:
    # How the notice looks when retyped: ASCII brackets, colons, commas and full stops —
    # but the item numbers keep their 、 ("一、元旦"), as on every reprint.
    lines = []
    for line in text.splitlines():
        head, sep, rest = line.strip().partition("、")
        if sep and head in "一二三四五六七八九十" and rest:
            lines.append(head + "、" + rest.translate(HALF))
        else:
            lines.append(line.translate(HALF))
    return "\n".join(lines)


@pytest.mark.parametrize("year", [2025, 2026])
@pytest.mark.parametrize("variant", [lambda t: t, half_width], ids=["full", "half"])
def test_published_notices_give_exactly_the_official_calendar(year, variant):
    notice = parse(variant(published(year)))
    assert notice.year == year
    # chinesecalendar carries the same notices: weekday holidays and 调休 workdays agree.
    assert {d for d in notice.holidays if d.weekday() < 5} == {
        d for d in official.holidays if d.year == year and d.weekday() < 5}
    assert set(notice.workdays) == {d for d in official.workdays if d.year == year}
    assert notice.number == {2025: "国办发明电〔2024〕12号", 2026: "国办发明电〔2025〕7号"}[year]


def test_the_2025_notice_reads_ranges_merged_items_and_single_days():
    notice = parse(published(2025))
    assert notice.holidays[D(2025, 1, 1)] == "元旦"  # 放假1天，不调休
    assert D(2025, 1, 2) not in notice.holidays
    # 5月31日（周六）至6月2日（周一）: a range across months.
    assert [d for d in notice.holidays if notice.holidays[d] == "端午节"] == [
        D(2025, 5, 31), D(2025, 6, 1), D(2025, 6, 2)]
    assert notice.holidays[D(2025, 10, 8)] == "国庆节、中秋节"
    assert notice.workdays[D(2025, 9, 28)] == notice.workdays[D(2025, 10, 11)]
    assert "2025-06-02 周一 放假 端午节" in notice.lines()


FUTURE = """国务院办公厅关于2031年部分节假日安排的通知
　　经国务院批准，现将2031年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
　　一、元旦：1月1日（周三）放假1天，不调休。
　　二、春节：1月22日（农历除夕、周三）至29日（农历正月初七、周三）放假调休，共8天。1月19日（周日）、2月8日（周六）上班。
　　三、清明节：4月5日（周六）至7日（周一）放假，共3天。
　　四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
　　五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
　　六、中秋节：10月1日至8日放假调休，共8天。9月28日（星期日）、10月11日（星期六）上班。
"""


def test_a_future_notice_written_in_the_same_style_is_read():
    notice = parse(FUTURE)
    assert notice.year == 2031 and notice.number == ""
    assert len(notice.holidays) == 1 + 8 + 3 + 5 + 3 + 8
    assert sorted(notice.workdays) == [D(2031, 1, 19), D(2031, 2, 8), D(2031, 4, 27),
                                       D(2031, 9, 28), D(2031, 10, 11)]


@pytest.mark.parametrize(("text", "words"), [
    ("", "为空"),
    ("关于做好2026年元旦春节期间有关工作的通知\n一、加强值班：各单位要安排好值班。", "不是"),
    ("国务院办公厅关于2027年部分节假日安排的通知\n各单位请注意安全。", "条目"),
    (FUTURE.replace("1月1日（周三）", "1月1日（周四）"), "星期不符"),
    (FUTURE.replace("5月31日", "5月32日"), "不存在"),
    (FUTURE.replace("4月27日（周日）", "5月2日"), "既放假又上班"),
    (FUTURE.replace("三、清明节：4月5日（周六）至7日（周一）放假", "三、清明节：另行通知"),
     "没有找到放假日期"),
])
def test_a_text_that_is_not_a_notice_is_refused_in_chinese(text, words):
    with pytest.raises(NoticeError) as exc:
        parse(text)
    assert words in str(exc.value)


def test_without_a_notice_the_statutory_holidays_and_weekends_are_assumed():
    assert statutory_holidays(2027) == {
        D(2027, 1, 1): "元旦", D(2027, 2, 5): "春节", D(2027, 2, 6): "春节",
        D(2027, 2, 7): "春节", D(2027, 2, 8): "春节", D(2027, 4, 5): "清明节",
        D(2027, 5, 1): "劳动节", D(2027, 5, 2): "劳动节", D(2027, 6, 9): "端午节",
        D(2027, 9, 15): "中秋节", D(2027, 10, 1): "国庆节", D(2027, 10, 2): "国庆节",
        D(2027, 10, 3): "国庆节"}
    cal = Calendar()
    # Received 2026-12-06: 19 working days left in December, the 20th is not 元旦.
    assert cal.add(D(2026, 12, 6), 20) == D(2027, 1, 4)
    assert "2027" in cal.warnings(D(2026, 12, 6), D(2027, 1, 4))[0]
    assert cal.day_name(D(2027, 2, 5)) == "春节"
    # A year declared complete no longer uses the statute: its marks are the whole truth.
    assert Calendar(complete_years=frozenset({2027})).is_workday(D(2027, 1, 1))


def run_cli(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            call_command("workdays", *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exc:
        status = exc.code
    return status, out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_cli_imports_a_notice_replacing_earlier_marks_and_prints_what_it_set(tmp_path):
    CalendarDay.objects.create(date=D(2031, 3, 3), is_workday=False, name="旧标记")
    path = tmp_path / "notice.txt"
    path.write_text(half_width(FUTURE), encoding="utf-8")
    assert run_cli("add", "2030-12-31", "1")[1].strip() == "2031-01-02"
    status, out, err = run_cli("import-notice", str(path))
    assert status == 0, err
    assert "2031-01-19 周日 上班 春节调休上班" in out and "放假28天" in out
    assert not CalendarDay.objects.filter(date=D(2031, 3, 3)).exists()
    assert CalendarYear.objects.get(year=2031).source.startswith("国务院办公厅关于2031年")
    entry = AuditEntry.objects.get(action="calendar.import_notice")
    assert entry.changes["2031-03-03"]["after"] is None
    status, out, err = run_cli("add", "2031-01-18", "1")
    assert (status, out.strip(), err) == (0, "2031-01-19", "")  # 调休 Sunday, no warning


@pytest.mark.django_db
def test_cli_refuses_a_text_that_is_not_a_notice_and_changes_nothing(tmp_path):
    CalendarDay.objects.create(date=D(2031, 3, 3), is_workday=False, name="旧标记")
    path = tmp_path / "notice.txt"
    path.write_text(FUTURE.replace("5月31日", "5月32日"), encoding="utf-8")
    status, out, err = run_cli("import-notice", str(path))
    assert status == 2 and out == ""
    assert "不存在" in err and len(err.strip().splitlines()) == 1
    assert CalendarDay.objects.filter(date__year=2031).count() == 1
    assert not CalendarYear.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_importing_a_notice_recomputes_running_applications(make_staff,
                                                           django_capture_on_commit_callbacks):
    from django.core import mail

    from gongkai.core.calendar_services import import_holiday_notice
    from gongkai.foi.tests.factories import registered

    fgj, gkb = make_staff("hyq-fgj", Role.EDITOR), make_staff("hyq", Role.COORDINATOR)
    fgj.email = "fgj-handler@example.org"
    fgj.save(update_fields=["email"])
    app, _ = registered(fgj, received=D(2026, 12, 6))
    assert app.answer_due == D(2027, 1, 4) and "2027" in app.clock_warnings[0]
    notice = published(2026).replace("2026", "2027").replace("2025", "2026")
    # A made-up 2027 notice whose 元旦 is 1 to 3 January and 4 January a 调休 workday
    # keeps the date; one that gives 1-4 January off moves it.
    notice = notice.replace("1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。",
                            "1月1日（周五）至4日（周一）放假调休，共4天。")
    notice = "\n".join(line for line in notice.splitlines() if "、春节" not in line[:6]
                       and not line.strip().startswith(("三", "四", "五", "六", "七")))
    with django_capture_on_commit_callbacks(execute=True):
        import_holiday_notice(actor=gkb, text=notice)
    app.refresh_from_db()
    assert app.answer_due == D(2027, 1, 5) and app.clock_warnings == []
    assert app.events.filter(kind="recomputed").exists()
    assert not get_calendar().is_workday(D(2027, 1, 4))
    # The handling unit is told which due date moved (numbers and dates, no personal data).
    told = [m for m in mail.outbox if "fgj-handler@example.org" in m.to]
    assert len(told) == 1 and app.number in told[0].body
    assert "2027-01-04 → 2027-01-05" in told[0].body


@pytest.mark.django_db
def test_only_coordinators_import_notices(make_staff):
    from django.core.exceptions import PermissionDenied

    from gongkai.core.calendar_services import import_holiday_notice

    with pytest.raises(PermissionDenied):
        import_holiday_notice(actor=make_staff("hyq-fgj", Role.EDITOR), text=FUTURE)
    assert not CalendarYear.objects.exists()


@pytest.mark.django_db
def test_calendar_page_pastes_previews_then_confirms(make_staff, client_for):
    c = client_for(make_staff("hyq-zfb", Role.COORDINATOR))
    page = c.post("/staff/calendar/", {"notice-text": FUTURE, "action": "preview"})
    html = page.content.decode()
    assert page.status_code == 200 and "确认导入" in html and "2031-01-19" in html
    assert not CalendarYear.objects.exists()  # a preview saves nothing
    done = c.post("/staff/calendar/", {"notice-text": FUTURE, "action": "confirm"}, follow=True)
    assert "放假28天" in done.content.decode()
    assert CalendarYear.objects.filter(year=2031).exists()
    assert AuditEntry.objects.filter(action="calendar.import_notice").count() == 1


@pytest.mark.django_db
def test_calendar_page_shows_a_chinese_error_and_keeps_the_text(make_staff, client_for):
    c = client_for(make_staff("hyq-zfb", Role.COORDINATOR))
    bad = FUTURE.replace("1月1日（周三）", "1月1日（周四）")
    page = c.post("/staff/calendar/", {"notice-text": bad, "action": "confirm"})
    html = page.content.decode()
    assert page.status_code == 200 and "与实际星期不符" in html
    assert "1月1日（周四）" in html  # nothing typed is lost
    assert not CalendarDay.objects.exists() and not CalendarYear.objects.exists()
    editor = client_for(make_staff("hyq-fgj", Role.EDITOR))
    assert editor.post("/staff/calendar/", {"notice-text": FUTURE,
                                            "action": "confirm"}).status_code == 403


@pytest.mark.django_db
def test_cli_reads_the_notice_from_standard_input(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(published(2026)))
    status, out, err = run_cli("import-notice", "-")
    assert status == 0, err
    assert out.startswith("国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）")
    assert "2026-10-10 周六 上班 国庆节调休上班" in out
    assert CalendarDay.objects.filter(date__year=2026).count() == 33 + 6
