"""Done means: staff take a 规范性文件 from draft to a published page with its interpretation,
and a citizen finds it through the directory, the filters and the feed."""

import pytest
from django.test import Client

from gongkai.core.models import Role
from gongkai.disclosure.models import Document, Interpretation, Status
from gongkai.disclosure.tests.factories import hidden, seed

pytestmark = pytest.mark.django_db


def test_normative_document_from_draft_to_citizen(org, make_staff, client_for):
    unit = org("hyq-fgj")
    seed(unit)
    node = unit.xxgk_nodes.get(code="gfxwj")
    editor = client_for(make_staff(unit, Role.EDITOR))
    reviewer = client_for(make_staff(unit, Role.REVIEWER))

    # 1. the editor drafts a 规范性文件 (the 文号 typed with square brackets)
    r = editor.post("/xxgk/staff/new/", {
        "title": "槐荫区促进数字经济发展若干措施", "doc_number": "槐发改规[2026]3号",
        "written_date": "2026-11-20", "node": node.pk, "topic": "国民经济管理、国有资产监管",
        "genre": "规定", "attribute": "public", "doc_type": "normative", "validity": "valid",
        "effective_date": "2027-01-01", "body": "第一条 为促进数字经济发展，制定本措施。",
    })
    assert r.status_code == 302, r.content.decode()[:2000]
    doc = Document.objects.get(title="槐荫区促进数字经济发展若干措施")
    assert doc.doc_number == "槐发改规〔2026〕3号" and doc.status == Status.DRAFT
    assert editor.post(f"/xxgk/staff/{doc.pk}/submit/").status_code == 302

    # 2. publishing without an interpretation is refused, in place, nothing lost
    page = reviewer.get(f"/xxgk/staff/{doc.pk}/review/").content.decode()
    r = reviewer.post(f"/xxgk/staff/{doc.pk}/review/", {
        "pub-submit": "1", "pub-revision": hidden(page, "pub-revision")})
    assert r.status_code == 200
    assert "三同步" in r.content.decode()
    doc.refresh_from_db()
    assert doc.status == Status.PENDING

    # 3. the editor adds an interpretation (a draft, linked to the document)
    r = editor.post("/xxgk/staff/interpretations/new/", {
        "title": "《槐荫区促进数字经济发展若干措施》解读", "kind": "text",
        "documents": [doc.pk], "body": "一、出台背景……", "media_url": "",
    })
    assert r.status_code == 302, r.content.decode()[:2000]
    it = Interpretation.objects.get(title__startswith="《槐荫区促进数字经济")
    assert it.status == Status.DRAFT

    # 4. the reviewer publishes both in one action
    page = reviewer.get(f"/xxgk/staff/{doc.pk}/review/").content.decode()
    r = reviewer.post(f"/xxgk/staff/{doc.pk}/review/", {
        "pub-submit": "1", "pub-with_interpretations": [it.pk],
        "pub-revision": hidden(page, "pub-revision"),
        "pub-interpretation_revisions": hidden(page, "pub-interpretation_revisions")})
    assert r.status_code == 302, r.content.decode()[:3000]
    doc.refresh_from_db()
    it.refresh_from_db()
    assert doc.is_public() and it.is_public()
    assert doc.index_number.startswith(unit.credit_code + "/2026-")

    # 5. a citizen finds it through the directory, the filters and the feed
    citizen = Client()
    home = citizen.get(f"/xxgk/{unit.code}/").content.decode()
    assert node.get_absolute_url() in home
    listing = citizen.get(node.get_absolute_url()).content.decode()
    assert doc.get_absolute_url() in listing
    filtered = citizen.get("/xxgk/zcwj/", {"validity": "valid", "year": "2026",
                                          "doc_number": "槐发改规(2026)3号"}).content.decode()
    assert doc.get_absolute_url() in filtered
    wrong = citizen.get("/xxgk/zcwj/", {"validity": "repealed"}).content.decode()
    assert doc.get_absolute_url() not in wrong
    feed = citizen.get(f"/xxgk/feed/{unit.code}/{node.code}/rss/").content.decode()
    assert "槐荫区促进数字经济发展若干措施" in feed
    page = citizen.get(doc.get_absolute_url()).content.decode()
    for text in (doc.index_number, "槐发改规〔2026〕3号", "2026年11月20日", "有效",
                 it.get_absolute_url()):
        assert text in page
    assert doc.get_absolute_url() in citizen.get(it.get_absolute_url()).content.decode()
