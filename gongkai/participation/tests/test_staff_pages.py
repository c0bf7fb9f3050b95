"""Staff pages: drafting from a DOCX upload, review, catalog and stages through the forms."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.core.models import AuditEntry
from gongkai.participation.models import Catalog, Consultation, Review
from gongkai.participation.services.catalog import catalog_revision
from gongkai.participation.services.consultations import consultation_revision

pytestmark = pytest.mark.django_db


def _docx(lines) -> bytes:
    from docx import Document

    d = Document()
    for line in lines:
        d.add_paragraph(line)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def test_draft_from_docx_then_review_and_publish(staff, client_for):
    ed, rv = client_for(staff["editor"]), client_for(staff["reviewer"])
    data = {"title": "槐荫区行政执法公示办法（征求意见稿）", "draft_text": "",
            "starts_at": "2030-01-01T09:00", "ends_at": "2030-02-01T09:00",
            "contact": "电话：0531-00000000",
            "draft_file": SimpleUploadedFile("draft.docx", _docx(
                ["第一章 总则", "第一条 为推行行政执法公示制度，制定本办法。",
                 "第二条 执法信息应当在作出决定之日起七个工作日内公示。",
                 "公示内容包括执法主体。"]))}
    r = ed.post(reverse("participation:staff_consultation_new"), data)
    assert r.status_code == 302, r.content.decode()[:2000]
    c = Consultation.objects.get()
    assert [a.label for a in c.articles.all()] == ["第一条", "第二条"]
    assert c.articles.get(label="第二条").paragraphs()[1] == "公示内容包括执法主体。"
    ed.post(reverse("participation:staff_consultation_action", args=[c.pk, "submit"]))
    page = rv.get(reverse("participation:staff_consultation", args=[c.pk])).content.decode()
    assert consultation_revision(c) in page and "审核通过并发布" in page
    rv.post(reverse("participation:staff_consultation_action", args=[c.pk, "publish"]),
            {"revision": consultation_revision(c)})
    c.refresh_from_db()
    assert c.review_status == Review.PUBLISHED
    assert c.starts_at.isoformat().startswith("2030-01-01T01:00")  # 09:00 Shanghai = 01:00 UTC


def test_bad_uploads_and_bad_dates_get_chinese_errors(staff, client_for):
    ed = client_for(staff["editor"])
    url = reverse("participation:staff_consultation_new")
    base = {"title": "t", "draft_text": "", "starts_at": "2030-01-01T09:00",
            "ends_at": "2030-02-01T09:00"}
    r = ed.post(url, base | {"draft_file": SimpleUploadedFile("x.docx", b"not a docx")})
    assert r.status_code == 200 and "无法读取上传的DOCX文件" in r.content.decode()
    r = ed.post(url, base | {"draft_file": SimpleUploadedFile("x.exe", b"MZ")})
    assert "DOCX" in r.content.decode()
    r = ed.post(url, base | {"draft_text": "第一条 甲。", "ends_at": "2029-01-01T09:00"})
    assert "截止时间须晚于开始时间" in r.content.decode()
    assert not Consultation.objects.exists()


def test_catalog_through_staff_pages(staff, client_for, publish):
    ed, rv = client_for(staff["editor"]), client_for(staff["reviewer"])
    r = ed.post(reverse("participation:staff_catalogs"), {"year": "2026"})
    cat = Catalog.objects.get()
    assert r.status_code == 302
    act = reverse("participation:staff_catalog_action", args=[cat.pk, "add"])
    ed.post(act, {"title": "停车收费调整", "undertaker": "区发改局", "procedures": ["public"]})
    ed.post(reverse("participation:staff_catalog_action", args=[cat.pk, "submit"]))
    rv.post(reverse("participation:staff_catalog_action", args=[cat.pk, "publish"]),
            {"revision": catalog_revision(cat)})
    cat.refresh_from_db()
    assert cat.is_published and len(cat.snapshot) == 1
    item = cat.items.get()
    c = publish()
    r = ed.post(reverse("participation:staff_item", args=[item.pk]),
                {"kind": "consultation", "consultation": str(c.pk)})
    assert r.status_code == 302
    r = ed.post(reverse("participation:staff_item", args=[item.pk]), {"kind": "expert"})
    assert "未开展的环节须填写理由" in r.content.decode()
    for name in ["staff_index", "staff_overdue", "staff_catalogs"]:
        assert ed.get(reverse(f"participation:{name}")).status_code == 200
    assert ed.get(reverse("participation:staff_catalog", args=[cat.pk])).status_code == 200
    for fmt in ["docx", "pdf", "xlsx"]:
        assert ed.get(reverse("participation:catalog_export", args=[cat.pk, fmt])
                      ).status_code == 200
    assert AuditEntry.objects.filter(action__startswith="gzcy.").count() >= 5


def test_reviewer_sees_what_waits_for_review(staff, client_for):
    import datetime as dt

    from django.utils import timezone

    from gongkai.core.models import Organization
    from gongkai.participation import services

    now = timezone.now()
    c = services.create_consultation(
        actor=staff["editor"], org=Organization.objects.get(code="hyq-sfj"),
        data={"title": "待审的办法", "draft_text": "第一条 甲。", "starts_at": now,
              "ends_at": now + dt.timedelta(days=30)})
    services.submit_consultation(actor=staff["editor"], consultation=c)
    page = client_for(staff["reviewer"]).get(reverse("participation:staff_index"))
    assert "待我审核" in page.content.decode() and "待审的办法" in page.content.decode()
    other = client_for(staff["other_reviewer"]).get(reverse("participation:staff_index"))
    assert "待审的办法" not in other.content.decode()


def test_staff_actions_with_garbage_never_500(staff, client_for, publish):
    c = publish(start=-40, days=30)
    ed = client_for(staff["editor"])
    junk = {"opinion": "x\x00", "group": "99999999999", "disposition": "maybe",
            "reason": "\x00" * 5, "revision": "'; drop", "title": "", "opinions": ["a", "1"],
            "kind": "nope", "text": "", "options": "", "received_at": "yesterday",
            "channel": "online", "body": "", "final_text": "", "final_url": "javascript:x"}
    for action in ["submit", "publish", "return", "enter", "hide", "group", "dispose",
                   "report", "report_submit", "report_publish", "report_return", "final",
                   "question", "bogus"]:
        r = ed.post(reverse("participation:staff_consultation_action", args=[c.pk, action]),
                    junk)
        assert r.status_code in (302, 404), (action, r.status_code)
    cat = Catalog.objects.create(org=c.org, year=2026)
    for action in ["add", "drop", "submit", "publish", "return", "bogus"]:
        r = ed.post(reverse("participation:staff_catalog_action", args=[cat.pk, action]),
                    {"item": "z", "reason": "", "revision": "", "title": ""})
        assert r.status_code in (302, 404), (action, r.status_code)
    assert ed.get(reverse("participation:staff_consultation", args=[c.pk]),
                  {"q": "\x00%"}).status_code == 200
