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


def _shipped_policies():
    import gzip
    import json

    from django.conf import settings

    with gzip.open(settings.GONGKAI_CORPUS_DIR / "policies.jsonl.gz", "rt",
                   encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def test_each_shipped_policy_number_and_day_is_printed_in_its_own_promulgation_line():
    """Never invented: the 文号 and the day are the ones the text's header prints."""
    import datetime as dt
    import re

    from gongkai.disclosure import docnumber

    policies = _shipped_policies()
    assert len(policies) >= 200
    assert len({p["doc_number"] for p in policies}) == len(policies)
    for p in policies:
        n = docnumber.parse(p["doc_number"])
        assert n.valid and n.text == p["doc_number"] and n.prefix == f"{p['issuer']}令"
        day = dt.date.fromisoformat(p["date"])
        header = p["header"].translate(str.maketrans("０１２３４５６７８９", "0123456789"))
        printed = [re.sub(r"\s|中华人民共和国", "", ln) for ln in header.splitlines()
                   if ln.startswith(f"{day.year}年{day.month}月{day.day}日")]
        assert any(f"{p['issuer']}令第{n.serial}号" in ln for ln in printed), p["title"]
    assert policies[0]["title"] == "中华人民共和国政府信息公开条例"
    assert (policies[0]["doc_number"], policies[0]["date"]) == ("国务院令第711号", "2019-04-03")


def test_demo_publishes_hundreds_of_superior_policies_with_real_numbers_and_days(district):
    import datetime as dt

    from django.utils import timezone

    out = io.StringIO()
    demo._seed_directories(out)
    demo._superior_policies(out, quick=False)
    docs = Document.objects.public().filter(external_id__startswith="policy:")
    assert docs.count() >= 200
    today = timezone.localdate()
    for doc in docs:
        assert doc.doc_number_valid and doc.issuer and doc.doc_type == "policy"
        assert doc.node.name == "上级政策文件" and doc.node.parent.code == "zcwj"
        assert doc.org.code == "hyq-zfb"
        assert doc.written_date < today - dt.timedelta(days=300)
        assert timezone.localtime(doc.published_at).date() == doc.written_date
    spot = {d.doc_number: d for d in docs.filter(doc_number__in=[
        "国务院令第711号", "国务院令第722号", "国家市场监督管理总局令第49号"])}
    assert spot["国务院令第711号"].title == "中华人民共和国政府信息公开条例"
    assert spot["国务院令第711号"].written_date == dt.date(2019, 4, 3)
    assert spot["国务院令第722号"].title == "优化营商环境条例"
    assert spot["国务院令第722号"].written_date == dt.date(2019, 10, 22)
    assert spot["国家市场监督管理总局令第49号"].issuer == "国家市场监督管理总局"
    demo._superior_policies(out, quick=False)  # idempotent
    assert Document.objects.filter(external_id__startswith="policy:").count() == docs.count()


def test_a_superior_policy_page_names_its_issuer_and_links_its_law(district):
    demo.load(io.StringIO(), quick=True)
    doc = Document.objects.public().get(doc_number="国务院令第711号")
    html = Client().get(doc.get_absolute_url()).content.decode()
    assert "<dt>发文机关</dt><dd>国务院</dd>" in html
    assert "<dd>国务院令第711号</dd>" in html and "2019年4月3日" in html
    law = Regulation.objects.get(title="中华人民共和国政府信息公开条例")
    assert law.get_absolute_url() in html
    assert "第一条 为了保障公民、法人和其他组织依法获取政府信息" in html
    listing = Client().get("/xxgk/zcwj/", {"doc_number": "中华人民共和国国务院令第711号"})
    assert doc.get_absolute_url() in listing.content.decode()
    node = Client().get(doc.node.get_absolute_url()).content.decode()
    assert doc.get_absolute_url() in node
    other = Document.objects.public().exclude(title__in=Regulation.objects.values("title"))
    page = Client().get(other.first().get_absolute_url()).content.decode()
    assert "本文件已收入法规库" not in page


def test_ncp_doc_number_is_the_heading_number_not_a_cited_one():
    from gongkai.disclosure.importer import ncp_doc_number

    assert ncp_doc_number("北京市人民政府办公厅关于… 京政办发〔2020〕7号 各区人民政府") == \
        "京政办发〔2020〕7号"
    assert ncp_doc_number("关于转发的通知 根据《关于…的通知》（国办发〔2020〕6号）") == ""
    assert ncp_doc_number("关于复工的通知 " + "各单位" * 60 + "京政办发〔2020〕7号") == ""


def test_ncp_heading_numbers_in_other_printed_forms():
    from gongkai.disclosure.importer import ncp_doc_number

    assert ncp_doc_number("关于切实为基层减负的通知 肺炎机制发﹝2020﹞21号 各省") == \
        "肺炎机制发〔2020〕21号"
    assert ncp_doc_number("关于阶段性减免企业社会保险费的通知人社部发〔2020〕11号 各省") == \
        "人社部发〔2020〕11号"
    assert ncp_doc_number("关于…税收政策的公告 财政部\xa0税务总局公告2020年第8号 为") == \
        "财政部 税务总局公告2020年第8号"
    assert ncp_doc_number("江西省疫情防控应急指挥部令第13号 各市") == \
        "江西省疫情防控应急指挥部令第13号"
    assert ncp_doc_number("关于…的通知 根据《办法》（公告2015年第102号）") == ""
    assert ncp_doc_number("关于…的通知 按照津卫医政【2020】100号要求") == ""
