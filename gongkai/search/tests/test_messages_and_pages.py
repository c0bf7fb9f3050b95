"""What the search page says about its results (the OR note, nothing found, approximate
pages), 一号答 answers above the documents, and the service pages other apps put in the
search (依申请公开 guide, 公开指南/制度, 公开年报)."""

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.disclosure.tests.factories import published
from gongkai.search.snippets import snippet
from gongkai.search.tests.compilers import compile_with

NOTE = "没有同时包含全部检索词的结果足够多"


def test_or_note_only_when_partial_matches_are_listed(org, fgj_staff, indexed):
    editor, reviewer = fgj_staff
    with indexed():
        both = published(editor, reviewer, org("hyq-fgj"), title="冬季供暖补贴发放通知",
                         doc_number="")
    # One entry holds both words, fewer than the AND minimum: the OR fallback runs, but
    # lists nothing more, so the page must not say it does.
    html = Client().get("/search/", {"q": "供暖 补贴"}).content.decode()
    assert both.get_absolute_url() in html
    assert "找到 <strong>1</strong> 条结果" in html and NOTE not in html
    with indexed():
        part = published(editor, reviewer, org("hyq-fgj"), title="冬季供暖保障工作方案",
                         doc_number="")
    html = Client().get("/search/", {"q": "供暖 补贴"}).content.decode()
    assert part.get_absolute_url() in html
    assert "找到 <strong>2</strong> 条结果" in html and NOTE in html


def test_nothing_found_gives_one_message_with_next_steps(db):
    html = Client().get("/search/", {"q": "供暖补贴"}).content.decode()
    assert html.count("没有找到相关文件") == 1
    assert "找到 <strong>0</strong>" not in html and NOTE not in html
    assert f'href="{reverse("foi:guide")}"' in html  # 依申请公开
    assert f'href="{reverse("interaction:qa")}"' in html  # 一号答


def test_nothing_found_under_a_filter_offers_clearing_it(org, fgj_staff, indexed):
    editor, reviewer = fgj_staff
    with indexed():
        published(editor, reviewer, org("hyq-fgj"), title="优化营商环境若干措施",
                  doc_number="", written_date=dt.date(2025, 3, 1))
    html = Client().get("/search/", {"q": "营商环境", "year": "2024"}).content.decode()
    assert "没有找到相关文件" in html
    assert '<a href="?q=%E8%90%A5%E5%95%86%E7%8E%AF%E5%A2%83">去掉筛选条件</a>' in html


def test_an_approximate_page_says_so(org, fgj_staff, indexed, monkeypatch):
    from gongkai.search import result_cache
    from gongkai.search.backends import base

    editor, reviewer = fgj_staff
    with indexed():
        published(editor, reviewer, org("hyq-fgj"), title="供暖通知", doc_number="")
    exact = Client().get("/search/", {"q": "供暖"}).content.decode()
    assert "近似排序" not in exact
    real = base.SearchBackend.search

    def from_top_lists(self, *args, **kwargs):
        results = real(self, *args, **kwargs)
        results.approximate = True  # as _fast_page reports a page it could not prove
        return results

    monkeypatch.setattr(base.SearchBackend, "search", from_top_lists)
    result_cache.bump()  # other code, same data: the page kept a moment ago must not be served
    html = Client().get("/search/", {"q": "供暖"}).content.decode()
    assert "近似排序" in html and "找到 <strong>1</strong> 条结果" in html


def test_exact_results_are_not_flagged_approximate(org, fgj_staff, indexed):
    from gongkai.search.backends import get_backend

    editor, reviewer = fgj_staff
    with indexed():
        for i in range(3):
            published(editor, reviewer, org("hyq-fgj"), title=f"供暖通知{i}", doc_number="")
    results = get_backend().search("供暖")
    assert results.total == 3 and not results.approximate and not results.partial_matches


def test_qa_answer_comes_first_labelled(org, fgj_staff, indexed):
    from gongkai.interaction.models import QAEntry, QStatus

    editor, reviewer = fgj_staff
    with indexed():
        doc = published(editor, reviewer, org("hyq-fgj"), title="居民供暖补贴申领办法",
                        doc_number="")
    qa = QAEntry.objects.create(question="供暖补贴怎么申领？", answer="持身份证到街道办理。",
                                org=org("hyq-fgj"), status=QStatus.PUBLISHED,
                                published_at=timezone.now())
    QAEntry.objects.create(question="供暖补贴草稿问题", answer="未发布", org=org("hyq-fgj"))
    html = Client().get("/search/", {"q": "供暖补贴怎么申领"}).content.decode()
    qa_url = reverse("interaction:qa_detail", args=[qa.pk])
    assert qa_url in html and "一号答" in html and "持身份证到街道办理" in html
    assert html.index(qa_url) < html.index(doc.get_absolute_url())
    assert "供暖补贴草稿问题" not in html


def test_qa_needs_more_than_one_shared_word_of_a_long_question(org, db):
    from gongkai.interaction.models import QAEntry, QStatus

    QAEntry.objects.create(question="停车收费标准是什么？", answer="见物价备案。",
                           org=org("hyq-fgj"), status=QStatus.PUBLISHED)
    html = Client().get("/search/", {"q": "老旧小区加装电梯补贴标准"}).content.decode()
    assert "停车收费标准" not in html


def _report(org, **kw):
    from gongkai.reports.models import AnnualReport, ReportStatus

    return AnnualReport.objects.create(org=org, year=2025, status=ReportStatus.PUBLISHED,
                                       published_at=timezone.now(), **kw)


def test_how_to_apply_finds_the_guide_first(org, fgj_staff, indexed):
    from gongkai.disclosure.services.directory import ensure_directory
    from gongkai.search.indexing import reindex_all

    editor, reviewer = fgj_staff
    with indexed():
        published(editor, reviewer, org("hyq-fgj"), title="关于申请政府信息公开的答复",
                  body="<p>你单位于2026年3月2日申请公开的信息，经检索本机关没有制作或保存，"
                  "根据《中华人民共和国政府信息公开条例》第三十六条第四项，告知如下：该政府信息不存在。"
                  "如对本答复不服，可以自收到之日起六十日内申请行政复议，或者六个月内提起行政诉讼。</p>",
                  doc_number="")
        for topic in ("冬季供暖", "道路养护", "垃圾分类", "老旧小区改造", "义务教育招生",
                      "医疗保障"):  # an index where the query's words are not everywhere
            published(editor, reviewer, org("hyq-fgj"), title=f"关于做好{topic}工作的通知",
                      doc_number="")
    ensure_directory(org("hyq-fgj"))
    _report(org("hyq-fgj"), overview="本年度共收到政府信息公开申请12件，均按期答复。")
    counts = reindex_all(workers=0)
    assert counts["foi-guide"] == 1 and counts["xxgk-guide"] >= 2
    guide = f'href="{reverse("foi:guide")}"'
    for q in ("怎么申请政府信息公开", "如何申请公开政府信息", "依申请公开"):
        html = Client().get("/search/", {"q": q}).content.decode()
        first = html.index('<li class="hit')
        assert guide in html[first:html.index('<li class="hit', first + 1)], q
        assert '<span class="badge badge-kind">办事指南</span>' in html[first:]
    html = Client().get("/search/", {"q": "冬季供暖工作"}).content.decode()
    assert guide not in html[html.index("<h1>站内搜索"):html.index("</main>")]


def test_unit_guide_and_report_pages_are_found_and_labelled(org, indexed):
    from gongkai.disclosure.models import DirectoryNode, NodeKind
    from gongkai.disclosure.services.directory import ensure_directory
    from gongkai.search.indexing import reindex_all

    fgj = org("hyq-fgj")
    ensure_directory(fgj)
    report = _report(fgj, overview="本年度重点推进优化营商环境信息公开，完善目录编制。",
                     problems="依申请公开答复质量有待提高。")
    reindex_all(workers=0)
    html = Client().get("/search/", {"q": "营商环境 目录编制"}).content.decode()
    assert report.get_absolute_url() in html and "公开年报" in html
    guide = DirectoryNode.objects.get(org=fgj, kind=NodeKind.GUIDE)
    html = Client().get("/search/", {"q": f"{fgj.name}政府信息公开指南"}).content.decode()
    assert guide.get_absolute_url() in html


def test_unpublished_report_is_not_public(org, db):
    from gongkai.reports.models import AnnualReport
    from gongkai.search.indexing import reindex_all

    AnnualReport.objects.create(org=org("hyq-fgj"), year=2025,
                                overview="草稿里的营商环境目录编制")
    reindex_all(workers=0)
    html = Client().get("/search/", {"q": "营商环境 目录编制"}).content.decode()
    assert "草稿里的" not in html


def test_snippets_leave_out_table_figures():
    text = ("二、主动公开政府信息情况 0000000 1 0 0 0 0 0 0 三、收到和处理政府信息公开申请情况 "
            "本年度收到申请 12 件，咨询电话 0531-87654321。" + "其他说明。" * 30)
    html = str(snippet(text, ["申请"], width=80))
    assert "0000000" not in html and "0 0 0 0" not in html
    assert "<mark>申请</mark>" in html
    assert "0531-87654321" in str(snippet(text, ["咨询电话"], width=80))


def test_report_entry_follows_publication_and_reopening(org, indexed):
    from gongkai.reports.models import AnnualReport, ReportStatus

    with indexed():
        report = AnnualReport.objects.create(org=org("hyq-fgj"), year=2025,
                                             overview="重点推进营商环境目录编制。")
    html = Client().get("/search/", {"q": "营商环境 目录编制"}).content.decode()
    assert report.get_absolute_url() not in html  # a draft is not public
    with indexed():
        report.status, report.published_at = ReportStatus.PUBLISHED, timezone.now()
        report.save()
    html = Client().get("/search/", {"q": "营商环境 目录编制"}).content.decode()
    assert report.get_absolute_url() in html and "公开年报" in html
    with indexed():
        report.status = ReportStatus.DRAFT  # reopened for a correction: its page is 404
        report.save()
    html = Client().get("/search/", {"q": "营商环境 目录编制"}).content.decode()
    assert report.get_absolute_url() not in html


def test_unit_guide_page_follows_its_guide_document(org, fgj_staff, indexed):
    from gongkai.disclosure.models import DirectoryNode, NodeKind
    from gongkai.disclosure.services.directory import ensure_directory

    editor, reviewer = fgj_staff
    ensure_directory(org("hyq-fgj"))
    guide = DirectoryNode.objects.get(org=org("hyq-fgj"), kind=NodeKind.GUIDE)
    with indexed():
        published(editor, reviewer, org("hyq-fgj"), title="发改局公开指南（2026年版）",
                  body="<p>本机关信息公开工作机构：办公室，受理时间：工作日上午。</p>",
                  node=guide, doc_number="")
    html = Client().get("/search/", {"q": "信息公开工作机构 受理时间"}).content.decode()
    assert f'href="{guide.get_absolute_url()}"' in html
    assert '<span class="badge badge-kind">办事指南</span>' in html


def test_a_page_from_the_top_lists_is_flagged_on_its_results(db, settings):
    """The fast path's approximate page says so in the results the view receives (not only
    on the backend object), and its total is still the counted one."""
    from gongkai.search.backends import IndexEntry, get_backend
    from gongkai.search.tests.test_impact import _corpus

    settings.GONGKAI_SEARCH_LIST_MIN_DF = 5
    settings.GONGKAI_SEARCH_LIST_SIZE = 15
    backend = get_backend()
    backend.clear()
    same = [IndexEntry(object_id=i, title="防控通知", body="企业，疫情，房租")
            for i in range(1, 31)]
    others = _corpus(70, seed=5)
    for e in others:
        e.object_id += 100
    backend.index(same + others)
    compile_with(backend, _few_matches=lambda *args: None)  # about the lists
    page = backend.search("防控", limit=10)
    assert page.approximate
    compile_with(backend, _fast_page=lambda *a, **k: None)
    full = backend.search("防控", limit=10)
    assert not full.approximate
    assert page.total == full.total and not page.total_capped


def test_figures_are_dropped_exactly_as_one_pass_over_the_whole_text_would():
    """_drop_figures tries the figures pattern only inside runs of digits and separators
    (gongkai/search/snippets.py); the text it gives must be the one a plain pass gives."""
    import random
    import re

    from gongkai.search import snippets

    def reference(text: str) -> str:
        def repl(m: re.Match) -> str:
            before = m.string[max(0, m.start() - 4):m.start()].rstrip()
            if m.group(0).isdigit() and before.endswith(snippets._KEEP_AFTER):
                return m.group(0)
            return " … "

        return " ".join(snippets._FIGURES.sub(repl, text).split())

    rnd = random.Random(16)
    alphabet = "0123456789１..%% ||,，、电话：-号码其他年月日ab\n"
    texts = ["二、主动公开政府信息情况 0000000 1 0 0 0 0 0 0 三、电话：05318765432 共 12 件"]
    texts += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 60)))
              for _ in range(20000)]
    for text in texts:
        assert snippets._drop_figures(text) == reference(text), repr(text)
    assert snippets._drop_figures(texts[0]) == (
        "二、主动公开政府信息情况 … … 三、电话：05318765432 共 12 件")


def test_a_published_report_is_found_by_its_text_and_no_snippet_shows_its_figures(
        org, make_staff, indexed):
    import re

    from gongkai.core.models import Role
    from gongkai.disclosure.models import Document
    from gongkai.reports import review, services
    from gongkai.reports.tests.helpers import load_fixture

    editor, reviewer = make_staff("hyq-fgj", Role.EDITOR), make_staff("hyq-fgj", Role.REVIEWER)
    load_fixture(org("hyq-fgj"))
    with indexed():
        report = services.open_report(actor=editor, org=org("hyq-fgj"), year=2024)
        report.overview = "本年度发改局深化政务公开标准化规范化建设。"
        report.save()
        report = review.submit_report(actor=editor, report=report)
        report = review.approve_report(actor=reviewer, report=report)
        report = review.publish_report(actor=reviewer, report=report)
    # The document in the 公开年报 node carries the tables, flattened into runs of figures.
    body = Document.objects.get(pk=report.document_id).body_text
    assert re.search(r"\d(\s*\d){6,}", body)
    # One report, one result: its document (the page the 公开目录 lists), not the report
    # page beside it.
    doc_url = Document.objects.get(pk=report.document_id).get_absolute_url()
    for q in ("政务公开标准化规范化", "2024年度报告", "政府信息公开工作年度报告"):
        html = Client().get("/search/", {"q": q}).content.decode()
        hits = re.findall(r'<li class="hit.*?<a href="([^"]+)"', html, re.S)
        assert hits.count(doc_url) == 1, (q, hits)
        assert report.get_absolute_url() not in hits, (q, hits)
    for q in ("政府信息公开申请情况", "行政复议 行政诉讼", "主动公开政府信息情况"):
        html = Client().get("/search/", {"q": q}).content.decode()
        snippets = re.findall(r'<p class="snippet">(.*?)</p>', html, re.S)
        assert snippets, q
        for s in snippets:
            assert not re.search(r"\d(\s*\d){6,}", re.sub(r"<[^>]+>", "", s)), (q, s)


def test_demo_load_indexes_the_registered_pages(org):
    import io

    from gongkai.disclosure.services.directory import ensure_directory
    from gongkai.search import demo
    from gongkai.search.backends import get_backend

    ensure_directory(org("hyq-fgj"))
    out = io.StringIO()
    demo.load(out)
    assert "1 foi-guide" in out.getvalue()
    kinds = {h.kind for h in get_backend().search("政府信息公开指南", limit=50).hits}
    assert {"foi-guide", "xxgk-guide"} <= kinds
    demo.load(io.StringIO())  # again: replaced, not duplicated
    hits = get_backend().search("依申请公开", limit=50).hits
    assert [h.kind for h in hits].count("foi-guide") == 1
