"""The anonymous read API: public data only, filters, paging, conditional GET, errors."""

import pytest
from django.test import Client

from gongkai.disclosure.models import GazetteIssue, Regulation, RegulationVersion

pytestmark = pytest.mark.django_db


def chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def get(path, **headers):
    return Client().get(path, **headers)


def test_documents_list_only_public_with_catalogue_fields(catalogue):
    r = get("/api/v1/documents/")
    assert r.status_code == 200
    rows = r.json()["results"]
    titles = [row["title"] for row in rows]
    assert catalogue["public"].title in titles
    assert "内部草稿标题" not in titles and "依申请公开的文件" not in titles
    row = rows[titles.index(catalogue["public"].title)]
    assert row["doc_number"] == "槐财发〔2026〕3号"
    assert row["index_number"] == catalogue["public"].index_number != ""
    assert row["unit"] == {"code": "hyq-czj", "name": catalogue["unit"].name}
    assert row["validity"] == "valid" and row["validity_label"] == "有效"
    assert row["node"]["code"] == "gkzn"
    assert row["url"].endswith(catalogue["public"].get_absolute_url())


def test_document_detail_has_body_interpretations_but_not_unpublished(catalogue):
    doc = catalogue["public"]
    data = get(f"/api/v1/documents/{doc.pk}/").json()
    assert "专项资金" in data["title"] and data["body"]
    titles = [i["title"] for i in data["interpretations"]]
    assert titles == ["图解：专项资金管理办法"]
    for other in ("draft", "on_request"):
        r = get(f"/api/v1/documents/{catalogue[other].pk}/")
        assert r.status_code == 404
        body = r.json()
        assert body["code"] == "not_found" and body["details"] is None
        assert chinese(body["message"])


def test_interpretations_only_published(catalogue):
    rows = get("/api/v1/interpretations/").json()["results"]
    assert [r["title"] for r in rows] == ["图解：专项资金管理办法"]
    assert rows[0]["documents"][0]["id"] == catalogue["public"].pk
    assert get(f"/api/v1/interpretations/{catalogue['hidden_interpretation'].pk}/"
               ).status_code == 404


def test_filters_and_bad_filter_values(catalogue):
    assert len(get("/api/v1/documents/?unit=hyq-czj&doc_type=normative").json()["results"]) == 1
    assert get("/api/v1/documents/?unit=hyq-fgj").json()["results"] == []
    assert get("/api/v1/documents/?year=1999").json()["results"] == []
    assert len(get("/api/v1/documents/?updated_since=2000-01-01").json()["results"]) == 1
    assert get("/api/v1/documents/?updated_since=2999-01-01").json()["results"] == []
    node_id = catalogue["public"].node_id
    assert len(get(f"/api/v1/documents/?node={node_id}").json()["results"]) == 1
    for query, field in (("unit=nope", "unit"), ("year=abc", "year"),
                         ("updated_since=yesterday", "updated_since"),
                         ("validity=maybe", "validity"), ("node=999999", "node"),
                         ("year=99999999999999999999", "year")):
        r = get(f"/api/v1/documents/?{query}")
        assert r.status_code == 400, query
        body = r.json()
        assert body["code"] == "invalid" and "请求参数有误" in body["message"]
        assert field in body["details"]


def test_cursor_pagination_walks_everything(catalogue):
    from gongkai.disclosure.tests.factories import published

    for i in range(4):
        published(catalogue["editor"], catalogue["reviewer"], catalogue["unit"],
                  title=f"第{i}号通知", doc_number="")
    seen, url = [], "/api/v1/documents/?page_size=2"
    while url:
        data = get(url).json()
        seen += [r["id"] for r in data["results"]]
        url = data["next"]
    assert len(seen) == 5 == len(set(seen))
    assert get("/api/v1/documents/?cursor=garbage").status_code == 404


def test_etag_and_last_modified_give_304(catalogue):
    path = f"/api/v1/documents/{catalogue['public'].pk}/"
    first = get(path)
    assert first["ETag"] and first["Last-Modified"]
    again = get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    listing = get("/api/v1/documents/")
    assert get("/api/v1/documents/", HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 304
    # A change makes the old ETag stale.
    from gongkai.disclosure.tests.factories import published

    published(catalogue["editor"], catalogue["reviewer"], catalogue["unit"], title="新文件",
              doc_number="")
    assert get("/api/v1/documents/", HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 200


def test_cors_is_read_only():
    r = Client().options("/api/v1/documents/", HTTP_ORIGIN="https://example.org",
                         HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
    assert "POST" not in r.get("Access-Control-Allow-Methods", "")
    g = Client().get("/api/v1/units/", HTTP_ORIGIN="https://example.org")
    assert g["Access-Control-Allow-Origin"] == "*"


def test_units_nodes_gazette_regulations(catalogue):
    assert "hyq-czj" in [u["code"] for u in get("/api/v1/units/?page_size=100").json()["results"]]
    nodes = get("/api/v1/nodes/?unit=hyq-czj&page_size=100").json()["results"]
    assert "gkzn" in [n["code"] for n in nodes]
    GazetteIssue.objects.create(year=2026, number=1, is_published=True).documents.add(
        catalogue["public"], catalogue["draft"])
    GazetteIssue.objects.create(year=2026, number=2, is_published=False)
    issues = get("/api/v1/gazette/").json()["results"]
    assert [i["number"] for i in issues] == [1]
    assert [d["id"] for d in issues[0]["documents"]] == [catalogue["public"].pk]
    reg = Regulation.objects.create(title="中华人民共和国政府信息公开条例", collection="行政法规")
    RegulationVersion.objects.create(regulation=reg, body="第一条 为了……", is_current=True)
    listed = get("/api/v1/regulations/?q=公开条例").json()["results"]
    assert listed[0]["title"] == reg.title and "body" not in listed[0]["versions"][0]
    detail = get(f"/api/v1/regulations/{reg.pk}/").json()
    assert detail["versions"][0]["body"].startswith("第一条")


def test_unknown_paths_and_methods_answer_in_the_error_shape():
    r = get("/api/v2/whatever")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    r = Client().post("/api/v1/documents/", data="{}", content_type="application/json")
    assert r.status_code == 405 and r.json()["code"] == "method_not_allowed"
    assert chinese(r.json()["message"])
    r = get("/api/v1/documents/abc/")
    assert r.status_code == 404 and r.json()["code"] == "not_found"


def test_nul_bytes_are_refused_not_crashing_postgresql(catalogue):
    # Found by schemathesis on PostgreSQL: text with NUL cannot reach the database.
    for path in ("/api/v1/foi/statistics/?year=2026&unit=a%00b", "/api/v1/documents/?topic=%00",
                 "/api/v1/regulations/?q=%00", "/api/v1/nodes/?unit=x%00"):
        r = get(path)
        assert r.status_code == 400, path
        assert r.json()["code"] == "invalid"
    assert Client().get("/api/export/regulations.csv?q=%00").status_code == 200


def test_anonymous_rate_limit_answers_429_in_the_error_shape(monkeypatch):
    from gongkai.api.throttles import AnonApiThrottle

    monkeypatch.setattr(AnonApiThrottle, "THROTTLE_RATES", {"anon_api": "2/min"})
    codes = [get("/api/v1/units/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    # A forged X-Forwarded-For does not buy a fresh allowance.
    r = get("/api/v1/units/", HTTP_X_FORWARDED_FOR="10.9.8.7")
    assert r.status_code == 429 and r.json()["code"] == "throttled"
    assert "请求过于频繁" in r.json()["message"] and r["Retry-After"]
