import datetime as dt

import pytest
from django.core import mail

from gongkai.interaction import services
from gongkai.interaction.models import QStatus
from gongkai.interaction.reminders import run_daily

pytestmark = pytest.mark.django_db


def test_daily_mails_units_and_coordinators_without_personal_data(people, org, letter):
    for u in people.values():
        u.email = f"{u.username}@hy.gov.cn"
        u.save()
    msg, _ = services.submit_message(data=letter, received=dt.date(2026, 11, 2))
    services.route_message(actor=people["gkb"], message=msg, org=org("hyq-fgj"),
                           on=dt.date(2026, 11, 2))
    old, _ = services.submit_message(data=letter, received=dt.date(2026, 7, 1))
    result = run_daily(today=dt.date(2026, 11, 16))
    assert result["due"] == 1 and result["alarms"] == 1
    subjects = {m.subject: m for m in mail.outbox}
    unit_mail = next(m for s, m in subjects.items() if "即将到期或已超期" in s)
    assert "fgj_xxy@hy.gov.cn" in unit_mail.to and msg.number in unit_mail.body
    assert "已超期" in unit_mail.body
    alarm = next(m for s, m in subjects.items() if "超过3个月" in s)
    assert alarm.to == ["gkb@hy.gov.cn"] and old.number in alarm.body
    assert all("张三" not in m.body and "13812345678" not in m.body for m in mail.outbox)


def test_daily_flags_answers_resting_on_repealed_policy(people, org):
    from gongkai.disclosure.tests import factories

    doc = factories.published(people["editor"], people["reviewer"], org("hyq-fgj"))
    entry = services.create_qa(actor=people["editor"], org=org("hyq-fgj"), question="问",
                               answer="答", doc_ids=[doc.pk])
    services.publish_qa(actor=people["reviewer"], entry=entry)
    type(doc).objects.filter(pk=doc.pk).update(validity="repealed")
    assert run_daily()["flagged"] == 1
    entry.refresh_from_db()
    assert entry.status == QStatus.FLAGGED and "废止" in entry.flag_reason
