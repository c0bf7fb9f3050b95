import datetime as dt

from gongkai.core.calendar import get_calendar
from gongkai.core.models import AuditEntry, Role


def test_coordinator_marks_a_holiday_and_the_arithmetic_follows(make_staff, client_for):
    c = client_for(make_staff("hyq-zfb", Role.COORDINATOR))
    assert get_calendar().is_workday(dt.date(2027, 1, 4))
    page = c.get("/staff/calendar/").content.decode()
    assert "2027 年：" in page and "尚未导入通知" in page
    response = c.post("/staff/calendar/", {"mark-date": "2027-01-04", "mark-kind": "holiday",
                                           "mark-name": "假日"}, follow=True)
    assert "已将 2027-01-04 设为休息日" in response.content.decode()
    assert not get_calendar().is_workday(dt.date(2027, 1, 4))
    assert AuditEntry.objects.filter(action="calendar.mark").count() == 1


def test_a_bad_date_is_a_chinese_error_and_keeps_the_name(make_staff, client_for):
    c = client_for(make_staff("hyq-zfb", Role.COORDINATOR))
    response = c.post("/staff/calendar/", {"mark-date": "2027-02-30", "mark-kind": "holiday",
                                           "mark-name": "春节"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "请输入有效日期" in page
    assert 'value="春节"' in page


def test_declaring_a_year_complete_removes_the_warning(make_staff, client_for):
    c = client_for(make_staff("hyq-zfb", Role.COORDINATOR))
    assert get_calendar().warnings(dt.date(2027, 1, 1), dt.date(2027, 2, 1))
    c.post("/staff/calendar/", {"year-year": "2027", "year-source": "国办发明电〔2026〕1号"})
    assert get_calendar().warnings(dt.date(2027, 1, 1), dt.date(2027, 2, 1)) == []


def test_undoing_a_mark_restores_the_package_data(make_staff, client_for):
    c = client_for(make_staff("hyq-zfb", Role.COORDINATOR))
    c.post("/staff/calendar/", {"mark-date": "2026-10-10", "mark-kind": "holiday"})
    assert not get_calendar().is_workday(dt.date(2026, 10, 10))
    c.post("/staff/calendar/", {"unmark": "2026-10-10"})
    assert get_calendar().is_workday(dt.date(2026, 10, 10))  # the official 调休 Saturday


def test_editors_cannot_post_calendar_changes(make_staff, client_for):
    c = client_for(make_staff("hyq-fgj", Role.EDITOR))
    response = c.post("/staff/calendar/", {"mark-date": "2027-01-04", "mark-kind": "holiday"})
    assert response.status_code == 403
    assert get_calendar().is_workday(dt.date(2027, 1, 4))
