"""区长信箱 end to end through the services: write, route, reply, review, publish, rate."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.models import AuditEntry
from gongkai.interaction import services, stats
from gongkai.interaction.crypto import decrypt, tracking_hash
from gongkai.interaction.models import Message, MStatus, QStatus, RStatus

pytestmark = pytest.mark.django_db


def _routed(people, org, letter, on=None):
    msg, _ = services.submit_message(data=letter)
    return services.route_message(actor=people["gkb"], message=msg, org=org("hyq-fgj"), on=on)


def test_full_exchange(people, org, letter):
    msg, code = services.submit_message(data=letter)
    assert msg.status == MStatus.NEW and msg.number.startswith("XX")
    # personal data is encrypted at rest, readable with the key
    raw = Message.objects.filter(pk=msg.pk).values("name_enc", "phone_enc").get()
    assert "张三" not in raw["name_enc"] and "13812345678" not in raw["phone_enc"]
    assert decrypt(raw["name_enc"]) == "张三"
    assert msg.tracking_code_hash == tracking_hash(code)

    msg = services.route_message(actor=people["gkb"], message=msg, org=org("hyq-fgj"),
                                 co_orgs=[org("hyq-czj")], on=dt.date(2026, 11, 6))
    assert msg.status == MStatus.HANDLING and msg.due_date == dt.date(2026, 11, 13)
    assert list(msg.co_orgs.all()) == [org("hyq-czj")]

    # the co-handler (财政局) has not submitted its part: the lead says why it goes ahead
    reply = services.submit_reply(actor=people["editor"], message=msg,
                                  text="经核实，该小区停车收费标准已于2025年备案。",
                                  outstanding_note="财政局电话告知无补充意见")
    # the writer cannot approve; a reviewer of the unit can, bound to the text seen
    with pytest.raises(PermissionDenied):
        services.approve_reply(actor=people["other"], reply=reply,
                               revision=services.reply_revision(reply))
    with pytest.raises(services.StaleRevision):
        services.approve_reply(actor=people["reviewer"], reply=reply, revision="0" * 64)
    services.approve_reply(actor=people["reviewer"], reply=reply,
                           revision=services.reply_revision(reply))
    msg.refresh_from_db()
    reply.refresh_from_db()
    assert msg.status == MStatus.ANSWERED and reply.status == RStatus.SENT
    assert reply.reviewed_by == people["reviewer"]

    services.publish_message(actor=people["reviewer2"], message=msg)
    msg.refresh_from_db()
    assert msg.published

    msg = services.rate_message(message=msg, rating="satisfied")
    assert msg.rating == "satisfied"
    with pytest.raises(ValidationError):
        services.rate_message(message=msg, rating="basic")
    actions = set(AuditEntry.objects.filter(target_id=str(msg.pk)).values_list("action",
                                                                                flat=True))
    assert {"hdjl.message.submit", "hdjl.message.route", "hdjl.reply.submit",
            "hdjl.reply.approve", "hdjl.message.publish", "hdjl.message.rate"} <= actions
    # no personal data in the audit log
    assert not AuditEntry.objects.filter(changes__icontains="13812345678").exists()


def test_writer_cannot_review_own_reply(people, org, letter):
    msg = _routed(people, org, letter)
    reply = services.submit_reply(actor=people["reviewer"], message=msg, text="答复")
    with pytest.raises(PermissionDenied):
        services.approve_reply(actor=people["reviewer"], reply=reply,
                               revision=services.reply_revision(reply))


def test_returned_reply_goes_back_to_handling(people, org, letter):
    msg = _routed(people, org, letter)
    reply = services.submit_reply(actor=people["editor"], message=msg, text="初稿")
    with pytest.raises(ValidationError):
        services.return_reply(actor=people["reviewer"], reply=reply, reason=" ")
    services.return_reply(actor=people["reviewer"], reply=reply, reason="请补充收费依据")
    msg.refresh_from_db()
    assert msg.status == MStatus.HANDLING
    second = services.submit_reply(actor=people["editor"], message=msg, text="第二稿")
    assert msg.replies.count() == 2 and second.status == RStatus.PENDING


def test_other_unit_cannot_reply_and_only_coordinator_routes(people, org, letter):
    msg, _ = services.submit_message(data=letter)
    with pytest.raises(PermissionDenied):
        services.route_message(actor=people["editor"], message=msg, org=org("hyq-fgj"))
    msg = services.route_message(actor=people["gkb"], message=msg, org=org("hyq-fgj"))
    with pytest.raises(PermissionDenied):
        services.submit_reply(actor=people["other"], message=msg, text="不是我们的")


def test_send_back_and_merge(people, org, letter):
    msg = _routed(people, org, letter)
    with pytest.raises(ValidationError):
        services.return_message(actor=people["editor"], message=msg, note="")
    msg = services.return_message(actor=people["editor"], message=msg, note="应由住建局办理")
    assert msg.status == MStatus.NEW and msg.org is None and msg.due_date is None
    dup, _ = services.submit_message(data=letter)
    dup = services.merge_message(actor=people["gkb"], message=dup, into=msg)
    assert dup.status == MStatus.MERGED and dup.merged_into == msg
    with pytest.raises(ValidationError):
        services.merge_message(actor=people["gkb"], message=msg, into=msg)


def test_publish_needs_consent_and_privacy_check(people, org, letter):
    letter["consent"] = "none"
    msg = _routed(people, org, letter)
    reply = services.submit_reply(actor=people["editor"], message=msg, text="已答复")
    services.approve_reply(actor=people["reviewer"], reply=reply,
                           revision=services.reply_revision(reply))
    with pytest.raises(services.PublishBlocked):
        services.publish_message(actor=people["reviewer"], message=msg)

    letter["consent"] = "named"
    letter["body"] = "我的电话13912345678，身份证370104199001011234，请回电。"
    msg = _routed(people, org, letter)
    reply = services.submit_reply(actor=people["editor"], message=msg, text="已电话联系")
    services.approve_reply(actor=people["reviewer"], reply=reply,
                           revision=services.reply_revision(reply))
    with pytest.raises(services.PublishBlocked) as exc:
        services.publish_message(actor=people["reviewer"], message=msg)
    assert "个人信息" in exc.value.messages[0]
    services.publish_message(actor=people["reviewer"], message=msg,
                             privacy_reason="来信人要求公开联系方式")
    msg.refresh_from_db()
    assert msg.published


def test_unsatisfied_reopens_once(people, org, letter):
    msg = _routed(people, org, letter)
    for round_ in (1, 2):
        reply = services.submit_reply(actor=people["editor"], message=msg, text=f"第{round_}次答复")
        services.approve_reply(actor=people["reviewer"], reply=reply,
                               revision=services.reply_revision(reply))
        msg = services.rate_message(message=Message.objects.get(pk=msg.pk),
                                    rating="unsatisfied")
        if round_ == 1:
            assert msg.status == MStatus.HANDLING and msg.reopened and msg.due_date
            assert msg.rating == ""
    assert msg.status == MStatus.ANSWERED and msg.rating == "unsatisfied"


def test_bad_input_is_refused_with_chinese_messages(letter):
    letter.update(subject="", phone="", email="", kind="x" * 3)
    with pytest.raises(ValidationError) as exc:
        services.submit_message(data=letter)
    errors = exc.value.message_dict
    assert set(errors) >= {"subject", "phone", "kind"}
    assert Message.objects.count() == 0


def test_statistics_and_alarm(people, org, letter, monkeypatch):
    from gongkai.interaction.services import replies

    def reply_on(msg, day):
        monkeypatch.setattr(replies, "today", lambda: day)
        reply = services.submit_reply(actor=people["editor"], message=msg, text="答复")
        services.approve_reply(actor=people["reviewer"], reply=reply,
                               revision=services.reply_revision(reply))

    on_time, _ = services.submit_message(data=letter, received=dt.date(2026, 11, 2))
    on_time = services.route_message(actor=people["gkb"], message=on_time, org=org("hyq-fgj"),
                                     on=dt.date(2026, 11, 2))
    reply_on(on_time, dt.date(2026, 11, 4))  # 2 working days
    services.rate_message(message=Message.objects.get(pk=on_time.pk), rating="basic")
    late, _ = services.submit_message(data=letter, received=dt.date(2026, 1, 5))
    late = services.route_message(actor=people["gkb"], message=late, org=org("hyq-fgj"),
                                  on=dt.date(2026, 1, 5))
    reply_on(late, dt.date(2026, 1, 19))  # 10 working days, due was 12 Jan
    old, _ = services.submit_message(data=letter, received=dt.date(2026, 1, 10))
    fgj = org("hyq-fgj")
    year = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert stats.received(fgj, *year) == 2
    assert stats.on_time_share(fgj, *year) == 50.0
    assert stats.median_days(fgj, *year) == 6.0
    assert stats.satisfaction(fgj, *year) == 100.0
    assert stats.on_time_share(org("hyq-czj"), *year) is None  # no data, not zero
    alarms = stats.alarms(dt.date(2026, 4, 10))
    assert [m.pk for m in alarms] == [old.pk]
    assert stats.alarms(dt.date(2026, 4, 9)) == []


def test_qa_from_message_is_anonymised_and_reviewed(people, org, letter):
    letter["body"] = "我是张三，电话13812345678，请问停车收费标准？"
    msg = _routed(people, org, letter)
    reply = services.submit_reply(actor=people["editor"], message=msg, text="标准见备案文件。")
    services.approve_reply(actor=people["reviewer"], reply=reply,
                           revision=services.reply_revision(reply))
    entry = services.qa_from_message(actor=people["editor"], message=msg)
    assert "张三" not in entry.question and "13812345678" not in entry.question
    with pytest.raises(PermissionDenied):
        services.publish_qa(actor=people["editor"], entry=entry)
    services.publish_qa(actor=people["reviewer"], entry=entry)
    entry.refresh_from_db()
    assert entry.status == QStatus.PUBLISHED
    entry.valid_until = dt.date(2026, 1, 1)
    entry.save()
    assert services.flag_stale_qa(on=dt.date(2026, 1, 2)) == 1
    entry.refresh_from_db()
    assert entry.status == QStatus.FLAGGED


def test_approved_reply_is_mailed_to_the_writer_only_after_review(people, org, letter,
                                                                  django_capture_on_commit_callbacks):
    from django.core import mail

    letter["email"] = "zhangsan@example.com"
    msg = _routed(people, org, letter)
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.submit_reply(actor=people["editor"], message=msg, text="答复全文")
    assert mail.outbox == []  # nothing leaves before review
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_reply(actor=people["reviewer"], reply=reply,
                               revision=services.reply_revision(reply))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["zhangsan@example.com"] and "答复全文" in mail.outbox[0].body
