"""The inspection's red line as a registered statistic: messages left unanswered for more
than three months, per unit and site-wide, as the supervision inspection reads it."""

import datetime as dt

import pytest

from gongkai.core import registry
from gongkai.interaction import services
from gongkai.interaction.models import Message

pytestmark = pytest.mark.django_db


def _answer(people, msg, day, monkeypatch):
    from gongkai.interaction.services import replies

    monkeypatch.setattr(replies, "today", lambda: day)
    reply = services.submit_reply(actor=people["editor"], message=msg, text="答复")
    services.approve_reply(actor=people["reviewer"], reply=reply,
                           revision=services.reply_revision(reply))


def test_unanswered_for_three_months_per_unit_and_site(people, org, letter, monkeypatch):
    stat = registry.statistics()["interaction.unanswered_3_months"]
    assert stat.label == "超过3个月未回复的留言" and stat.unit == "件"
    assert stat.higher_is_better is False
    compute = stat.compute
    fgj, czj = org("hyq-fgj"), org("hyq-czj")

    def received(day, unit=None):
        msg, _ = services.submit_message(data=letter, received=day)
        if unit is not None:
            msg = services.route_message(actor=people["gkb"], message=msg, org=unit, on=day)
        return msg

    old_fgj = received(dt.date(2026, 1, 10), fgj)  # never answered
    answered_late = received(dt.date(2026, 1, 12), fgj)
    _answer(people, answered_late, dt.date(2026, 4, 20), monkeypatch)
    received(dt.date(2026, 1, 10))  # never routed: counts site-wide only
    received(dt.date(2026, 2, 2), czj)  # three months not yet passed on 10 April
    start = dt.date(2026, 1, 1)

    # 10 April: three months after 10 January have passed, not after 12 January
    assert compute(fgj, start, dt.date(2026, 4, 9)) == 0
    assert compute(fgj, start, dt.date(2026, 4, 10)) == 1
    assert compute(None, start, dt.date(2026, 4, 10)) == 2
    assert compute(czj, start, dt.date(2026, 4, 10)) == 0
    # on 15 April the late one counts too; once its reply is sent (20 April) it does not
    assert compute(fgj, start, dt.date(2026, 4, 15)) == 2
    assert compute(fgj, start, dt.date(2026, 4, 20)) == 1
    # the 2 February message crosses the line on 2 May, not a day earlier
    assert compute(czj, start, dt.date(2026, 5, 1)) == 0
    assert compute(czj, start, dt.date(2026, 5, 2)) == 1
    # an aware datetime as the end works like its local date
    from django.utils import timezone

    end = timezone.make_aware(dt.datetime(2026, 4, 10, 12, 0))
    assert compute(fgj, start, end) == 1
    assert Message.objects.count() == 4
    assert not Message.objects.get(pk=old_fgj.pk).replies.exists()


def test_dashboard_warns_before_the_line_and_counts_per_unit(people, org, letter, client_for,
                                                             monkeypatch):
    from gongkai.interaction import staff_views, stats

    on = dt.date(2026, 4, 10)
    monkeypatch.setattr(staff_views, "today", lambda: on)
    over, _ = services.submit_message(data=dict(letter, subject="已超3个月的来信"),
                                      received=dt.date(2026, 1, 5))
    services.route_message(actor=people["gkb"], message=over, org=org("hyq-fgj"),
                           on=dt.date(2026, 1, 5))
    near, _ = services.submit_message(data=dict(letter, subject="快满3个月的来信"),
                                      received=dt.date(2026, 1, 20))
    services.submit_message(data=dict(letter, subject="刚收到的来信"), received=on)
    assert [(m.pk, line) for m, line in stats.approaching(on)] == [
        (near.pk, dt.date(2026, 4, 20))]
    assert stats.unanswered_by_unit(on) == {org("hyq-fgj").pk: 1}
    page = client_for(people["gkb"]).get("/hdjl/staff/dashboard/").content.decode()
    assert "2026-04-20满3个月" in page and "快满3个月的来信" in page
    assert "刚收到的来信" not in page.split("即将满3个月未回复")[1].split("</section>")[0]
    assert "全区超过3个月未回复的来信（含待分办）：1件" in page


def test_daily_mail_tells_the_office_what_is_about_to_cross_the_line(people, letter):
    from django.core import mail

    from gongkai.interaction import reminders

    people["gkb"].email = "gkb@example.gov.cn"
    people["gkb"].save()
    services.submit_message(data=dict(letter, subject="快满3个月的来信"),
                            received=dt.date(2026, 1, 20))
    reminders.run_daily(dt.date(2026, 4, 10))
    to_office = [m for m in mail.outbox if "gkb@example.gov.cn" in m.to]
    assert to_office and "0件来信超过3个月未回复，1件即将满3个月" in to_office[0].subject
    assert "2026-04-20满3个月" in to_office[0].body


def test_public_statistics_show_the_count_past_three_months(people, org, letter):
    from django.test import Client
    from django.utils import timezone

    today = timezone.localdate()
    old, _ = services.submit_message(data=letter, received=today - dt.timedelta(days=120))
    services.route_message(actor=people["gkb"], message=old, org=org("hyq-fgj"),
                           on=today - dt.timedelta(days=120))
    page = Client().get(f"/hdjl/tj/?year={old.received_date.year}").content.decode()
    assert "超过3个月未回复的来信：1件" in page
    assert Client().get("/hdjl/tj/?year=abc").status_code == 200


def test_a_letter_reopened_after_its_answer_is_not_an_alarm(people, org, letter, monkeypatch):
    from gongkai.interaction import stats
    from gongkai.interaction.services import publication

    msg, _ = services.submit_message(data=letter, received=dt.date(2026, 1, 5))
    msg = services.route_message(actor=people["gkb"], message=msg, org=org("hyq-fgj"),
                                 on=dt.date(2026, 1, 5))
    _answer(people, msg, dt.date(2026, 1, 8), monkeypatch)
    monkeypatch.setattr(publication, "today", lambda: dt.date(2026, 4, 8))
    msg = services.rate_message(message=Message.objects.get(pk=msg.pk), rating="unsatisfied")
    assert msg.status == "handling"  # reopened, but it was answered within three months
    assert stats.alarms(dt.date(2026, 4, 10)) == []
    assert stats.approaching(dt.date(2026, 3, 25)) == []
    compute = registry.statistics()["interaction.unanswered_3_months"].compute
    assert compute(None, dt.date(2026, 1, 1), dt.date(2026, 4, 10)) == 0
