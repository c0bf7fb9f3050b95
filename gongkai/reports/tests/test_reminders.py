"""The 31 January deadline on the workbench and by mail."""

import datetime as dt

import pytest

from gongkai.core.models import Role
from gongkai.reports import reminders, review, services

D = dt.date


@pytest.fixture
def fgj_people(make_staff):
    editor = make_staff("hyq-fgj", Role.EDITOR)
    editor.email = "bianji@example.com"
    editor.save()
    return {"editor": editor, "reviewer": make_staff("hyq-fgj", Role.REVIEWER)}


def test_deadline_text_through_the_season(org, fgj_people):
    fgj = org("hyq-fgj")
    text = reminders.deadline_text(fgj, 2026, D(2026, 12, 6))
    assert "2027年1月31日前公布" in text and "2027年1月1日起方可发布" in text
    assert "第四十九条" in text and "未编制" in text
    assert "还剩10天" in reminders.deadline_text(fgj, 2026, D(2027, 1, 21))
    assert "已逾期3天" in reminders.deadline_text(fgj, 2026, D(2027, 2, 3))
    assert reminders.deadline_text(fgj, 2026, D(2026, 6, 1)) is None
    # The district government's own report is due on 31 March.
    assert "2027年3月31日前公布" in reminders.deadline_text(org("hyq"), 2026, D(2027, 1, 21))


def test_workbench_shows_the_units_deadline(client_for, fgj_people, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a: D(2027, 1, 21))
    page = client_for(fgj_people["editor"]).get("/staff/").content.decode()
    assert "2026年度政府信息公开工作年度报告须于2027年1月31日前公布" in page
    assert "还剩10天" in page


def test_mail_goes_out_on_reminder_days_and_stops_once_published(org, fgj_people, mailoutbox):
    fgj = org("hyq-fgj")
    assert reminders.send_deadline_reminders(D(2027, 1, 20)) == 0  # 11 days left: no mail
    assert reminders.send_deadline_reminders(D(2027, 1, 24)) >= 1  # 7 days left
    mine = [m for m in mailoutbox if "bianji@example.com" in m.to]
    assert len(mine) == 1 and "还剩7天" in mine[0].subject
    report = services.open_report(actor=fgj_people["editor"], org=fgj, year=2025)
    report = review.submit_report(actor=fgj_people["editor"], report=report)
    report = review.approve_report(actor=fgj_people["reviewer"], report=report)
    review.publish_report(actor=fgj_people["reviewer"], report=report)
    mailoutbox.clear()
    reminders.send_deadline_reminders(D(2026, 1, 24))  # the 2025 report, now published
    assert not [m for m in mailoutbox if "bianji@example.com" in m.to]
