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


def test_workbench_reminds_the_unit_of_proposals_and_topics_due(people, org):
    from gongkai.interaction.models import Proposal
    from gongkai.interaction.reminders import workbench_notices
    from gongkai.interaction.services import topics as topic_services

    today = dt.date(2026, 6, 10)
    base = dict(kind="npc", year=2026, org=org("hyq-fgj"), assigned_date=dt.date(2026, 3, 1))
    Proposal.objects.create(number="1", title="将到期", deadline=dt.date(2026, 6, 20), **base)
    Proposal.objects.create(number="2", title="已超期", deadline=dt.date(2026, 6, 1), **base)
    Proposal.objects.create(number="3", title="还早", deadline=dt.date(2026, 9, 1), **base)
    Proposal.objects.create(number="4", title="已答复", deadline=dt.date(2026, 6, 1),
                            answered_date=dt.date(2026, 5, 1), category="A", **base)
    topic_services.assign_topic(actor=people["gkb"], term="停车", org=org("hyq-fgj"),
                                deadline=dt.date(2026, 6, 9))
    texts = [(level, text) for level, text, _ in workbench_notices(people["editor"], today)]
    assert ("info", "建议提案 2026年第1号：办理期限 2026-06-20（剩余10天）") in texts
    assert ("warning", "建议提案 2026年第2号：办理期限 2026-06-01（已超期9天）") in texts
    assert ("warning", "热点回应「停车」：回应期限 2026-06-09（已超期1天）") in texts
    assert not any("第3号" in t or "第4号" in t for _, t in texts)
    assert workbench_notices(people["other"], today) == []  # another unit's
