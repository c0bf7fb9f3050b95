"""Public and staff pages: the journey through HTTP, bad input, honeypot, rate limit, scope."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.core.tests.helpers import one_page_pdf
from gongkai.interaction import services
from gongkai.interaction.models import Message, MStatus

pytestmark = pytest.mark.django_db


def _write(client, letter, **extra):
    data = dict(letter, **extra)
    return client.post(reverse("interaction:write"), data)


def test_write_track_reply_publish_rate_over_http(people, letter, client_for):
    citizen = Client()
    r = _write(citizen, letter)
    assert r.status_code == 200
    html = r.content.decode()
    number = re.search(r'id="hdjl-number">([^<]+)<', html).group(1)
    code = re.search(r'id="hdjl-code">([^<]+)<', html).group(1)
    msg = Message.objects.get(number=number)

    gkb = client_for(people["gkb"])
    org_id = people["editor"].staff_profile.org_id
    r = gkb.post(reverse("interaction:staff_route", args=[msg.pk]), {"org": org_id})
    assert r.status_code == 302
    msg.refresh_from_db()
    assert msg.status == MStatus.HANDLING

    editor = client_for(people["editor"])
    page = editor.get(reverse("interaction:staff_detail", args=[msg.pk])).content.decode()
    assert "13812345678" in page  # the handler sees the contact details to reply
    editor.post(reverse("interaction:staff_reply", args=[msg.pk]),
                {"text": "收费标准已备案，详见区发改局网站。"})
    reviewer = client_for(people["reviewer"])
    page = reviewer.get(reverse("interaction:staff_detail", args=[msg.pk])).content.decode()
    revision = re.search(r'name="revision" value="([0-9a-f]{64})"', page).group(1)
    reviewer.post(reverse("interaction:staff_review", args=[msg.pk]),
                  {"revision": revision, "decision": "approve"})
    reviewer.post(reverse("interaction:staff_publish", args=[msg.pk]), {})
    msg.refresh_from_db()
    assert msg.status == MStatus.ANSWERED and msg.published

    public = Client().get(reverse("interaction:exchange", args=[msg.pk])).content.decode()
    assert "收费标准已备案" in public and "张三" not in public and "13812345678" not in public

    r = citizen.post(reverse("interaction:track"), {"number": number, "code": code})
    assert "收费标准已备案" in r.content.decode()
    r = citizen.post(reverse("interaction:rate"),
                     {"number": number, "code": code, "rating": "satisfied"})
    assert "感谢您的评价" in r.content.decode()
    msg.refresh_from_db()
    assert msg.rating == "satisfied"


def test_queue_masks_writer_and_is_scoped(people, letter, org, client_for):
    msg, _ = services.submit_message(data=letter)
    services.route_message(actor=people["gkb"], message=msg, org=org("hyq-fgj"))
    page = client_for(people["editor"]).get(reverse("interaction:staff_queue")).content.decode()
    assert msg.number in page and "张*" in page and "张三" not in page
    other = client_for(people["other"])
    assert msg.number not in other.get(reverse("interaction:staff_queue")).content.decode()
    assert other.get(reverse("interaction:staff_detail", args=[msg.pk])).status_code == 403
    assert other.post(reverse("interaction:staff_reply", args=[msg.pk]),
                      {"text": "x"}).status_code == 403
    # only the coordinator routes and sees the dashboard
    ed = client_for(people["editor"])
    assert ed.get(reverse("interaction:staff_dashboard")).status_code == 403
    assert client_for(people["gkb"]).get(reverse("interaction:staff_dashboard")
                                         ).status_code == 200


def test_bad_input_gets_chinese_errors_and_nothing_saved(letter):
    c = Client()
    r = _write(c, letter, subject="", phone="", email="not-an-email", kind="??")
    page = r.content.decode()
    assert r.status_code == 200 and "请填写主题" in page and "电子邮箱" in page
    assert Message.objects.count() == 0
    r = _write(c, letter, body="长" * 6000)
    assert "不能超过5000字" in r.content.decode()
    assert Message.objects.count() == 0


def test_attachment_checked_by_content(letter):
    fake = SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    r = _write(Client(), letter, attachment=fake)
    assert "文件类型不支持" in r.content.decode()
    assert Message.objects.count() == 0


def test_honeypot_and_rate_limit(letter):
    c = Client()
    r = _write(c, letter, website="http://spam.example")
    assert r.status_code == 200 and Message.objects.count() == 0
    for _ in range(5):
        assert _write(c, letter).status_code == 200
    r = _write(c, letter)
    assert r.status_code == 429 and "提交过于频繁" in r.content.decode()
    assert Message.objects.count() == 5


def test_wrong_code_and_odd_query_params_never_fail(people, letter):
    msg, _ = services.submit_message(data=letter)
    c = Client()
    r = c.post(reverse("interaction:track"), {"number": msg.number, "code": "WRONG"})
    assert "不正确" in r.content.decode() and "小区停车" not in r.content.decode()
    r = c.post(reverse("interaction:rate"), {"number": msg.number, "code": "x",
                                             "rating": "bogus"})
    assert r.status_code == 200
    for url in [reverse("interaction:ask") + "?doc=abc&interp=-1",
                reverse("interaction:ask") + "?doc=99999999999999999999",
                reverse("interaction:statistics") + "?year=abc",
                reverse("interaction:statistics") + "?year=99999",
                reverse("interaction:exchanges") + "?q=%00<script>&page=zz",
                reverse("interaction:qa") + "?q=" + "x" * 500 + "&page=-3",
                reverse("interaction:home")]:
        assert Client().get(url).status_code == 200, url
    assert Client().get(reverse("interaction:exchange", args=[msg.pk])).status_code == 404


def test_messages_are_escaped(people, letter, org, client_for):
    letter["subject"] = "<script>alert(1)</script>"
    msg, _ = services.submit_message(data=letter)
    page = client_for(people["gkb"]).get(reverse("interaction:staff_detail", args=[msg.pk]))
    assert b"<script>alert(1)" not in page.content and b"&lt;script&gt;" in page.content


def test_statistics_page_lists_units(people, letter, org):
    msg, _ = services.submit_message(data=letter)
    services.route_message(actor=people["gkb"], message=msg, org=org("hyq-fgj"))
    page = Client().get(reverse("interaction:statistics")).content.decode()
    assert "区发展改革局" in page
    # the chart: one bar per unit, its length the count (no inline style: the CSP forbids it)
    assert re.search(r'<meter class="bar" min="0" max="1" value="1"', page)
    assert "style=" not in page.split("<main", 1)[-1]


def test_registry_entries():
    from gongkai.core import registry

    assert "interaction.messages_on_time" in registry.statistics()
    assert any(link.url == reverse("interaction:home") for link in registry.public_nav())


def test_ask_from_a_policy_page_suggests_its_drafting_unit(people, letter, org, client_for):
    from gongkai.disclosure.tests import factories

    doc = factories.published(people["editor"], people["reviewer"], org("hyq-fgj"))
    draft = factories.draft(people["editor"], org("hyq-fgj"), title="未发布的草稿")
    url = reverse("interaction:ask") + f"?doc={doc.pk}"
    page = Client().get(url).content.decode()
    assert doc.title in page and "槐荫区发展和改革局" in page
    # an unpublished document is not leaked through 「我要问」
    assert "未发布的草稿" not in Client().get(
        reverse("interaction:ask") + f"?doc={draft.pk}").content.decode()
    Client().post(url, letter)
    msg = Message.objects.get()
    assert msg.source == "ask" and msg.doc_id == doc.pk and msg.suggested_org == org("hyq-fgj")
    page = client_for(people["gkb"]).get(reverse("interaction:staff_detail", args=[msg.pk]))
    assert doc.title in page.content.decode()


def test_nul_bytes_in_queries_and_raw_posts(people, client_for):
    for url in [reverse("interaction:exchanges") + "?q=a%00b",
                reverse("interaction:qa") + "?q=%00"]:
        assert Client().get(url).status_code == 200
    gkb = client_for(people["gkb"])
    r = gkb.post(reverse("interaction:staff_topics"),
                 {"action": "assign", "term": "停\x00车", "deadline": "2027-01-10",
                  "org": people["editor"].staff_profile.org_id})
    assert r.status_code == 302
    from gongkai.interaction.models import TopicResponse

    assert TopicResponse.objects.get().term == "停车"


def test_qa_search_finds_a_typed_question_by_its_words(people, org):
    for question, answer in [("小区停车收费标准在哪里查询？", "在发改局网站价格公示栏目查询。"),
                             ("如何办理医保异地就医备案？", "通过国家医保服务平台App办理。")]:
        entry = services.create_qa(actor=people["editor"], org=org("hyq-fgj"),
                                   question=question, answer=answer)
        services.publish_qa(actor=people["reviewer"], entry=entry)
    draft = services.create_qa(actor=people["editor"], org=org("hyq-fgj"),
                               question="停车未发布的问答", answer="草稿")
    page = Client().get(reverse("interaction:qa") + "?q=我想问一下停车怎么收费").content.decode()
    assert "小区停车收费标准" in page and "医保" not in page and draft.question not in page
    page = Client().get(reverse("interaction:qa") + "?q=的").content.decode()
    assert "没有找到相关问答" in page


def test_attachment_only_for_staff_who_see_the_letter(people, letter, org, client_for):
    pdf = SimpleUploadedFile("scan.pdf", one_page_pdf(),
                             content_type="application/pdf")
    r = _write(Client(), letter, attachment=pdf)
    assert r.status_code == 200
    msg = Message.objects.get()
    assert msg.attachment
    services.route_message(actor=people["gkb"], message=msg, org=org("hyq-fgj"))
    url = reverse("interaction:staff_attachment", args=[msg.pk])
    r = client_for(people["editor"]).get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    assert client_for(people["other"]).get(url).status_code == 403
    assert Client().get(url).status_code == 302  # to the login page


def test_feeds_carry_only_published_items(people, letter, org):
    msg, _ = services.submit_message(data=letter)
    entry = services.create_qa(actor=people["editor"], org=org("hyq-fgj"), question="草稿问题",
                               answer="草稿答复")
    assert "小区停车" not in Client().get(reverse("interaction:exchanges_feed")).content.decode()
    assert "草稿问题" not in Client().get(reverse("interaction:qa_feed")).content.decode()
    services.publish_qa(actor=people["reviewer"], entry=entry)
    assert "草稿问题" in Client().get(reverse("interaction:qa_feed")).content.decode()
    assert msg.status == MStatus.NEW
