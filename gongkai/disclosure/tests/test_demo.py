import io

import pytest
from django.test import Client

from gongkai.disclosure import demo
from gongkai.disclosure.models import Document, GazetteIssue, Interpretation, Regulation

pytestmark = pytest.mark.django_db


def test_quick_demo_loads_seed_plan_with_interpretation_and_is_idempotent(district):
    demo.load(io.StringIO(), quick=True)
    counts = (Document.objects.count(), Interpretation.objects.count(),
              Regulation.objects.count(), GazetteIssue.objects.count())
    seed = Document.objects.get(external_id=demo.SEED_ID)
    assert seed.doc_number == "槐政办字〔2021〕4号"
    assert seed.org.code == "hyq-zfb" and seed.written_date.isoformat() == "2021-06-23"
    assert seed.is_public() and "聚焦各项重点领域" in seed.body_text
    assert seed.public_interpretations().exists()
    assert Document.objects.public().filter(doc_type="normative").exclude(validity="").exists()
    assert Document.objects.public().count() >= 25
    assert Regulation.objects.count() >= 5
    demo.load(io.StringIO(), quick=True)
    assert (Document.objects.count(), Interpretation.objects.count(),
            Regulation.objects.count(), GazetteIssue.objects.count()) == counts
    html = Client().get("/xxgk/zcwj/", {"doc_number": "槐政办字[2021]4号"}).content.decode()
    assert seed.get_absolute_url() in html


def test_shipped_corpus_makes_a_living_site_without_anything_beside_the_checkout():
    """The demo corpus is package data: hundreds of notices, the laws the letters quote."""
    import gzip
    import json

    from django.conf import settings

    from gongkai.disclosure import importer

    base = settings.GONGKAI_CORPUS_DIR
    assert base.is_relative_to(settings.BASE_DIR / "gongkai")
    with gzip.open(base / "ncp_docs.jsonl.gz", "rt", encoding="utf-8") as fh:
        notices = [importer.read_ncp(json.loads(line)) for line in fh]
    assert len(notices) >= 200
    assert sum(1 for n in notices if n["doc_number"]) >= 50
    assert all(n["written"] for n in notices)
    with gzip.open(base / "laws.jsonl.gz", "rt", encoding="utf-8") as fh:
        laws = [json.loads(line) for line in fh]
    titles = {law["title"] for law in laws}
    assert len(titles) >= 100
    assert {"中华人民共和国政府信息公开条例", "中华人民共和国行政复议法",
            "中华人民共和国行政诉讼法"} <= titles
    plan = settings.GONGKAI_SEED_DIR / demo.SEED_FILE
    assert "政务公开" in plan.read_text(encoding="utf-8")


def test_quick_demo_search_finds_several_notices_and_sitemap_lists_them(
        district, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the search index follows commits
        demo.load(io.StringIO(), quick=True)
    html = Client().get("/search/", {"q": "小微企业 房租 减免"}).content.decode()
    found = [d for d in Document.objects.public() if d.get_absolute_url() in html]
    assert len(found) >= 3
    sitemap = Client().get("/sitemap.xml").content.decode()
    public = Document.objects.public()
    assert public.count() >= 25
    assert all(d.get_absolute_url() in sitemap for d in public)
    assert Regulation.objects.first().get_absolute_url() in sitemap


def test_ncp_doc_number_is_the_heading_number_not_a_cited_one():
    from gongkai.disclosure.importer import ncp_doc_number

    assert ncp_doc_number("北京市人民政府办公厅关于… 京政办发〔2020〕7号 各区人民政府") == \
        "京政办发〔2020〕7号"
    assert ncp_doc_number("关于转发的通知 根据《关于…的通知》（国办发〔2020〕6号）") == ""
    assert ncp_doc_number("关于复工的通知 " + "各单位" * 60 + "京政办发〔2020〕7号") == ""
