"""协办: co-handling units write their part, have it reviewed in their unit and submit it to
the lead unit; the lead cannot send the final reply for review while a part is
outstanding unless it records why; deadlines, reminders, permissions and audit."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.core.models import AuditEntry, Role
from gongkai.core.tests.helpers import one_page_pdf
from gongkai.interaction import reminders, services
from gongkai.interaction.models import CPStatus, Message, MStatus

pytestmark = pytest.mark.django_db

ROUTED = dt.date(2026, 11, 2)  # a Monday


@pytest.fixture
def co(make_staff):
    """The 财政局 and 司法局 as co-handlers: a handler and two reviewers at the 财政局."""
    return {"editor": make_staff("hyq-czj", Role.EDITOR, "czj_xxy"),
            "reviewer": make_staff("hyq-czj", Role.REVIEWER, "czj_shr_a"),
            "reviewer2": make_staff("hyq-czj", Role.REVIEWER, "czj_shr_b"),
            "sfj": make_staff("hyq-sfj", Role.EDITOR, "sfj_xxy")}


@pytest.fixture
def routed(people, org, letter):
    msg, _ = services.submit_message(data=letter, received=ROUTED)
    return services.route_message(actor=people["gkb"], message=msg, org=org("hyq-fgj"),
                                  co_orgs=[org("hyq-czj"), org("hyq-sfj")], on=ROUTED)


def _part(msg, code):
    return msg.co_parts.get(org__code=code)


def _submitted(co, part, text="财政局意见：补贴资金已拨付。"):
    part = services.save_part(actor=co["editor"], part=part, text=text)
    part = services.submit_part(actor=co["editor"], part=part)
    return services.approve_part(actor=co["reviewer"], part=part,
                                 revision=services.part_revision(part))


def test_routing_opens_a_part_per_co_handler_with_its_deadline(routed):
    parts = list(routed.co_parts.order_by("org__code"))
    assert [p.org.code for p in parts] == ["hyq-czj", "hyq-sfj"]
    assert all(p.status == CPStatus.OPEN for p in parts)
    assert parts[0].due_date == dt.date(2026, 11, 5)  # 3 working days, before the lead's 5
    assert routed.due_date == dt.date(2026, 11, 9)


def test_part_is_written_and_reviewed_inside_the_co_unit(people, co, routed):
    part = _part(routed, "hyq-czj")
    with pytest.raises(PermissionDenied):  # the lead unit cannot write another unit's part
        services.save_part(actor=people["editor"], part=part, text="代写")
    with pytest.raises(PermissionDenied):  # nor can another co-handler
        services.save_part(actor=co["sfj"], part=part, text="代写")
    with pytest.raises(ValidationError):
        services.save_part(actor=co["editor"], part=part, text="  ")
    part = services.save_part(actor=co["editor"], part=part, text="初稿")
    part = services.submit_part(actor=co["editor"], part=part)
    with pytest.raises(ValidationError):  # in review: no more edits
        services.save_part(actor=co["editor"], part=part, text="改")
    with pytest.raises(PermissionDenied):  # the lead's reviewer does not review it
        services.approve_part(actor=people["reviewer"], part=part,
                              revision=services.part_revision(part))
    part = services.return_part(actor=co["reviewer"], part=part, reason="请写明拨付日期")
    assert part.status == CPStatus.RETURNED
    part = services.save_part(actor=co["reviewer"], part=part, text="已于11月1日拨付")
    part = services.submit_part(actor=co["reviewer"], part=part)
    with pytest.raises(PermissionDenied):  # not by its writer
        services.approve_part(actor=co["reviewer"], part=part,
                              revision=services.part_revision(part))
    with pytest.raises(ValidationError):  # bound to the text seen
        services.approve_part(actor=co["reviewer2"], part=part, revision="0" * 64)
    part = services.approve_part(actor=co["reviewer2"], part=part,
                                 revision=services.part_revision(part))
    assert part.status == CPStatus.SUBMITTED and part.submitted_date
    actions = list(AuditEntry.objects.filter(target_id=str(routed.pk),
                                             action__startswith="hdjl.copart").values_list(
        "action", flat=True))
    assert {"hdjl.copart.save", "hdjl.copart.submit", "hdjl.copart.return",
            "hdjl.copart.approve"} <= set(actions)


def test_final_reply_waits_for_parts_unless_the_lead_records_why(people, co, routed):
    _submitted(co, _part(routed, "hyq-czj"))
    with pytest.raises(ValidationError) as exc:
        services.submit_reply(actor=people["editor"], message=routed, text="综合答复")
    assert "司法局" in exc.value.message_dict["outstanding_note"][0]
    assert "财政局" not in exc.value.message_dict["outstanding_note"][0]  # it submitted
    assert Message.objects.get(pk=routed.pk).status == MStatus.HANDLING
    reply = services.submit_reply(actor=people["editor"], message=routed, text="综合答复",
                                  outstanding_note="司法局电话告知无补充意见")
    assert reply.co_outstanding_note == "司法局电话告知无补充意见"
    entry = AuditEntry.objects.filter(action="hdjl.reply.submit").latest("pk")
    assert "司法局电话告知无补充意见" in entry.summary


def test_reply_goes_without_note_once_every_part_is_in(people, co, org, letter, make_staff):
    msg, _ = services.submit_message(data=letter, received=ROUTED)
    msg = services.route_message(actor=people["gkb"], message=msg, org=org("hyq-fgj"),
                                 co_orgs=[org("hyq-czj")], on=ROUTED)
    _submitted(co, _part(msg, "hyq-czj"))
    reply = services.submit_reply(actor=people["editor"], message=msg, text="综合答复")
    assert reply.co_outstanding_note == ""


def test_send_back_drops_open_parts_and_rerouting_keeps_submitted_ones(people, co, org,
                                                                        routed):
    _submitted(co, _part(routed, "hyq-czj"))
    msg = services.return_message(actor=people["editor"], message=routed, note="应由住建局主办")
    assert [p.org.code for p in msg.co_parts.all()] == ["hyq-czj"]
    msg = services.route_message(actor=people["gkb"], message=msg, org=org("hyq-fgj"),
                                 co_orgs=[org("hyq-czj")], on=ROUTED)
    assert msg.co_parts.get().status == CPStatus.SUBMITTED


def test_detail_page_shows_each_unit_only_what_it_may_see(people, co, routed, client_for,
                                                           make_staff):
    url = reverse("interaction:staff_detail", args=[routed.pk])
    part = _part(routed, "hyq-czj")
    services.save_part(actor=co["editor"], part=part, text="财政局内部草稿XYZ")
    services.submit_reply(actor=people["editor"], message=routed, text="主办单位待审答复ABC",
                          outstanding_note="先行提交")

    own = client_for(co["editor"]).get(url).content.decode()
    assert "财政局内部草稿XYZ" in own and "保存协办意见草稿" in own
    assert "主办单位待审答复ABC" not in own  # the lead's internal draft
    assert "13812345678" not in own  # the writer's contact data stays with the lead
    for who in (people["editor"], co["sfj"]):
        page = client_for(who).get(url).content.decode()
        assert "财政局内部草稿XYZ" not in page and "协办单位提交后可见" in page
    assert "主办单位待审答复ABC" in client_for(people["editor"]).get(url).content.decode()
    # a unit neither leading nor co-handling does not see the letter at all
    stranger = client_for(make_staff("hyq-mzj", Role.REVIEWER, "mzj_shr"))
    assert stranger.get(url).status_code == 403
    # another co-handler cannot act on the 财政局's part through the view
    r = client_for(co["sfj"]).post(reverse("interaction:staff_co_part",
                                           args=[routed.pk, part.pk]),
                                   {"action": "save", f"co{part.pk}-text": "冒充"})
    assert r.status_code == 403


def test_views_draft_review_and_attachment(people, co, routed, client_for, settings):
    part = _part(routed, "hyq-czj")
    url = reverse("interaction:staff_co_part", args=[routed.pk, part.pk])
    editor = client_for(co["editor"])
    bad = SimpleUploadedFile("意见.pdf", b"%PDF-1.4 garbage", content_type="application/pdf")
    r = editor.post(url, {"action": "save", f"co{part.pk}-text": "意见",
                          f"co{part.pk}-attachment": bad}, follow=True)
    assert "PDF" in r.content.decode() and r.status_code == 200
    part.refresh_from_db()
    assert part.status == CPStatus.OPEN and not part.attachment
    pdf = SimpleUploadedFile("张三的意见.pdf", one_page_pdf(), content_type="application/pdf")
    editor.post(url, {"action": "save", f"co{part.pk}-text": "财政局意见",
                      f"co{part.pk}-attachment": pdf})
    part.refresh_from_db()
    assert part.status == CPStatus.DRAFT and part.attachment
    assert "张三" not in part.attachment.name  # stored under a generated name
    download = reverse("interaction:staff_co_attachment", args=[routed.pk, part.pk])
    lead = client_for(people["editor"])
    assert lead.get(download).status_code == 404  # not before it is submitted
    assert editor.get(download).status_code == 200
    editor.post(url, {"action": "submit"})
    reviewer = client_for(co["reviewer"])
    page = reviewer.get(reverse("interaction:staff_detail", args=[routed.pk])).content.decode()
    assert "提交审核意见" in page
    from gongkai.interaction.services import coparts

    part.refresh_from_db()
    reviewer.post(url, {"action": "review", f"cr{part.pk}-decision": "approve",
                        f"cr{part.pk}-revision": coparts.part_revision(part)})
    part.refresh_from_db()
    assert part.status == CPStatus.SUBMITTED
    assert lead.get(download).status_code == 200
    page = lead.get(reverse("interaction:staff_detail", args=[routed.pk])).content.decode()
    assert "财政局意见" in page
    r = editor.post(url, {"action": "nonsense"}, follow=True)
    assert r.status_code == 200 and "未知操作" in r.content.decode()
    r = lead.post(reverse("interaction:staff_reply", args=[routed.pk]),
                  {"text": "综合答复"}, follow=True)
    assert "司法局" in r.content.decode()  # still outstanding: refused with the reason asked
    assert Message.objects.get(pk=routed.pk).status == MStatus.HANDLING


def test_reminders_for_co_parts(people, co, routed, client_for, monkeypatch):
    co["editor"].email = "czj@example.gov.cn"
    co["editor"].save()
    late_day = dt.date(2026, 11, 9)  # the part was due 5 November
    rows = {p.org.code: left for p, left in reminders.co_parts_due(late_day)}
    assert rows["hyq-czj"] < 0
    notes = reminders.workbench_notices(co["editor"], late_day)
    assert any("协办意见" in text and "已超期" in text for _, text, _ in notes)
    assert not any("协办意见" in t for _, t, _ in reminders.workbench_notices(
        people["editor"], late_day))  # not the lead unit's part to write
    reminders.run_daily(late_day)
    sent = [m for m in mail.outbox if "czj@example.gov.cn" in m.to]
    assert sent and "协办意见提交期限" in sent[0].body and "13812345678" not in sent[0].body
    _submitted(co, _part(routed, "hyq-czj"))
    assert "hyq-czj" not in {p.org.code for p, _ in reminders.co_parts_due(late_day)}


def test_queue_shows_the_co_handlers_own_part(people, co, routed, client_for, monkeypatch):
    from gongkai.interaction import staff_views

    monkeypatch.setattr(staff_views, "today", lambda: dt.date(2026, 11, 9))
    page = client_for(co["editor"]).get(reverse("interaction:staff_queue")).content.decode()
    assert routed.number in page and "本单位协办：待撰写，2026-11-05前提交" in page
    assert "协办已超期" in page
    lead = client_for(people["editor"]).get(reverse("interaction:staff_queue")).content.decode()
    assert routed.number in lead and "本单位协办" not in lead


def test_a_reopened_letter_gives_outstanding_parts_a_fresh_deadline(people, co, routed,
                                                                    monkeypatch):
    from gongkai.interaction.services import publication, replies

    _submitted(co, _part(routed, "hyq-czj"))
    monkeypatch.setattr(replies, "today", lambda: dt.date(2026, 11, 6))
    reply = services.submit_reply(actor=people["editor"], message=routed, text="答复",
                                  outstanding_note="司法局无意见")
    services.approve_reply(actor=people["reviewer"], reply=reply,
                           revision=services.reply_revision(reply))
    monkeypatch.setattr(publication, "today", lambda: dt.date(2026, 11, 16))
    services.rate_message(message=Message.objects.get(pk=routed.pk), rating="unsatisfied")
    dues = dict(routed.co_parts.values_list("org__code", "due_date"))
    assert dues["hyq-sfj"] == dt.date(2026, 11, 19)  # 3 working days after reopening
    assert dues["hyq-czj"] == dt.date(2026, 11, 5)  # submitted: left as it was
