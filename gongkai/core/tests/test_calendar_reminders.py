"""November/December: the coordinators are told when next year's notice is missing."""

import datetime as dt

from gongkai.core import reminders
from gongkai.core.models import CalendarYear, Role

D = dt.date


def test_missing_notice_is_shown_to_coordinators_and_mailed_on_mondays(
        make_staff, client_for, mailoutbox, monkeypatch):
    from django.utils import timezone

    coordinator = make_staff("hyq-zfb", Role.COORDINATOR)
    coordinator.email = "gkb@example.com"
    coordinator.save()
    assert reminders.missing_notice_year(D(2026, 10, 30)) is None
    assert reminders.missing_notice_year(D(2026, 11, 2)) == 2027
    assert reminders.send_notice_reminder(D(2026, 11, 3)) == 0  # a Tuesday
    assert reminders.send_notice_reminder(D(2026, 11, 2)) == 1
    assert mailoutbox[-1].to == ["gkb@example.com"]
    assert "2027年节假日安排通知尚未导入" in mailoutbox[-1].subject
    monkeypatch.setattr(timezone, "localdate", lambda *a: D(2026, 12, 6))
    page = client_for(coordinator).get("/staff/").content.decode()
    assert "2027年节假日安排通知" in page and "尚未导入" in page
    editor_page = client_for(make_staff("hyq-fgj", Role.EDITOR)).get("/staff/").content.decode()
    assert "节假日安排通知" not in editor_page
    CalendarYear.objects.create(year=2027, source="国务院办公厅关于2027年部分节假日安排的通知")
    assert reminders.missing_notice_year(D(2026, 12, 7)) is None
    assert reminders.send_notice_reminder(D(2026, 12, 7)) == 0
