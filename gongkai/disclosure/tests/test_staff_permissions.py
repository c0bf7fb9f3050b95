import pytest

from gongkai.core.models import Role
from gongkai.disclosure import services
from gongkai.disclosure.models import Document, Interpretation, Status
from gongkai.disclosure.tests.factories import draft, hidden, node

pytestmark = pytest.mark.django_db

STAFF_URLS = ["/xxgk/staff/", "/xxgk/staff/new/", "/xxgk/staff/review/", "/xxgk/staff/sync/",
              "/xxgk/staff/timeliness/", "/xxgk/staff/interpretations/",
              "/xxgk/staff/directory/", "/xxgk/staff/gazette/"]


@pytest.fixture
def fgj(org, make_staff):
    unit = org("hyq-fgj")
    return unit, make_staff(unit, Role.EDITOR), make_staff(unit, Role.REVIEWER)


def test_anonymous_users_are_sent_to_login(client, fgj):
    unit, editor, _ = fgj
    doc = draft(editor, unit)
    for url in STAFF_URLS + [f"/xxgk/staff/{doc.pk}/", f"/xxgk/staff/{doc.pk}/review/"]:
        r = client.get(url)
        assert r.status_code == 302 and "/staff/login/" in r["Location"], url
    assert client.post(f"/xxgk/staff/{doc.pk}/submit/").status_code == 302
    doc.refresh_from_db()
    assert doc.status == Status.DRAFT


def test_staff_pages_are_private(fgj, client_for):
    unit, editor, _ = fgj
    r = client_for(editor).get("/xxgk/staff/")
    assert r.status_code == 200
    assert "no-store" in r["Cache-Control"] and "noindex" in r["X-Robots-Tag"]


def test_other_units_staff_see_nothing_and_get_404(fgj, make_staff, client_for):
    unit, editor, _ = fgj
    doc = draft(editor, unit, title="发改局内部草稿")
    outsider = client_for(make_staff("hyq-czj", Role.REVIEWER))
    assert "发改局内部草稿" not in outsider.get("/xxgk/staff/").content.decode()
    assert outsider.get(f"/xxgk/staff/{doc.pk}/").status_code == 404
    assert outsider.get(f"/xxgk/staff/{doc.pk}/review/").status_code == 404
    assert outsider.post(f"/xxgk/staff/{doc.pk}/submit/").status_code == 404
    r = outsider.post(f"/xxgk/staff/{doc.pk}/", {"title": "篡改"})
    assert r.status_code == 404
    doc.refresh_from_db()
    assert doc.title == "发改局内部草稿" and doc.status == Status.DRAFT


def test_editor_cannot_review_or_publish(fgj, client_for):
    unit, editor, _ = fgj
    other_editor_doc = draft(editor, unit)
    services.submit_document(actor=editor, document=other_editor_doc)
    c = client_for(editor)
    assert c.get(f"/xxgk/staff/{other_editor_doc.pk}/review/").status_code == 403
    assert c.post(f"/xxgk/staff/{other_editor_doc.pk}/review/",
                  {"pub-submit": "1", "pub-sync_reason": "x"}).status_code == 403
    assert Document.objects.get(pk=other_editor_doc.pk).status == Status.PENDING
    assert "暂无待审核" in c.get("/xxgk/staff/review/").content.decode()


def test_reviewer_queue_excludes_own_drafts(fgj, make_staff, client_for):
    unit, editor, reviewer = fgj
    mine = draft(reviewer, unit, title="审核人自己起草的")
    services.submit_document(actor=reviewer, document=mine)
    theirs = draft(editor, unit, title="信息员起草的")
    services.submit_document(actor=editor, document=theirs)
    html = client_for(reviewer).get("/xxgk/staff/review/").content.decode()
    assert "信息员起草的" in html and "审核人自己起草的" not in html
    r = client_for(reviewer).post(f"/xxgk/staff/{mine.pk}/review/", {
        "pub-submit": "1", "pub-sync_reason": "x",
        "pub-revision": services.document_revision(mine)})
    assert r.status_code == 403
    assert Document.objects.get(pk=mine.pk).status == Status.PENDING


def test_directory_and_gazette_are_for_the_coordinator(fgj, make_staff, client_for):
    unit, _, reviewer = fgj
    c = client_for(reviewer)
    assert c.get("/xxgk/staff/directory/").status_code == 403
    assert c.get("/xxgk/staff/gazette/").status_code == 403
    coord = client_for(make_staff("hyq-zfb", Role.COORDINATOR))
    r = coord.post("/xxgk/staff/directory/", {"org": unit.code, "seed": "1"})
    assert r.status_code == 302
    assert unit.xxgk_nodes.filter(code="zdly-26", name="公共法律服务").exists()
    n = unit.xxgk_nodes.get(code="tzgg")
    r = coord.post(f"/xxgk/staff/directory/?org={unit.code}&node={n.pk}", {
        "org": unit.code, "node": n.pk, "name": "通知公告", "code": "tzgg", "kind": "documents",
        "time_limit_wd": 30, "sort_order": 5, "is_active": "on"})
    assert r.status_code == 200 and "20" in r.content.decode()
    n.refresh_from_db()
    assert n.time_limit_wd == 5
    r = coord.post(f"/xxgk/staff/directory/?org={unit.code}&node={n.pk}", {
        "org": unit.code, "node": n.pk, "name": "通知公告", "code": "tzgg", "kind": "documents",
        "time_limit_wd": 3, "sort_order": 5, "is_active": "on"})
    assert r.status_code == 302
    n.refresh_from_db()
    assert n.time_limit_wd == 3


def test_edit_form_errors_are_shown_in_place_and_input_kept(fgj, client_for):
    unit, editor, _ = fgj
    node(unit, "jgzn")
    c = client_for(editor)
    r = c.post("/xxgk/staff/new/", {"title": "保留我输入的标题", "written_date": "不是日期",
                                    "attribute": "not_public", "doc_type": "policy",
                                    "genre": "通知", "body": "正文"})
    html = r.content.decode()
    assert r.status_code == 200
    assert "error-summary" in html and "保留我输入的标题" in html
    assert "依申请公开或不予公开须选择法定依据" in html
    assert not Document.objects.filter(title="保留我输入的标题").exists()


def test_interpretation_of_another_unit_cannot_be_opened(fgj, make_staff, client_for):
    unit, editor, reviewer = fgj
    doc = draft(editor, unit)
    it = services.save_interpretation(actor=editor, org=unit, title="解读", kind="text",
                                      body="b", documents=[doc])
    outsider = client_for(make_staff("hyq-wjj", Role.REVIEWER))
    assert outsider.get(f"/xxgk/staff/interpretations/{it.pk}/").status_code == 404
    assert outsider.post(f"/xxgk/staff/interpretations/{it.pk}/",
                         {"publish": "1"}).status_code == 404
    assert Interpretation.objects.get(pk=it.pk).status == Status.DRAFT
    # the drafter cannot publish their own interpretation; another reviewer can
    seen = services.interpretation_revision(it)
    r = client_for(editor).post(f"/xxgk/staff/interpretations/{it.pk}/",
                                {"publish": "1", "revision": seen})
    assert r.status_code == 403
    assert Interpretation.objects.get(pk=it.pk).status == Status.DRAFT
    page = client_for(reviewer).get(f"/xxgk/staff/interpretations/{it.pk}/").content.decode()
    client_for(reviewer).post(f"/xxgk/staff/interpretations/{it.pk}/",
                              {"publish": "1", "revision": hidden(page, "revision")})
    assert Interpretation.objects.get(pk=it.pk).status == Status.PUBLISHED
