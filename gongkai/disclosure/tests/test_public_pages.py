import datetime as dt

import pytest
from django.test import Client

from gongkai.core.models import Role
from gongkai.disclosure import services
from gongkai.disclosure.tests.factories import draft, node, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(org, make_staff):
    unit = org("hyq-czj")
    node(unit, "gkzn")
    return unit, make_staff(unit, Role.EDITOR), make_staff(unit, Role.REVIEWER)


def test_unit_home_shows_guide_system_directory_reports_and_foi_entry(staff):
    unit, editor, reviewer = staff
    guide = published(editor, reviewer, unit, title="槐荫区财政局政府信息公开指南",
                      node=node(unit, "gkzn"))
    html = Client().get(f"/xxgk/{unit.code}/").content.decode()
    for text in ("政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报",
                 "依申请公开", "重点领域信息公开", guide.get_absolute_url(), "/ysqgk/"):
        assert text in html
    domain = Client().get(node(unit, "zdly").get_absolute_url()).content.decode()
    assert "财政预决算" in domain and "公共法律服务" in domain


def test_drafts_and_other_attributes_are_never_shown(staff):
    unit, editor, reviewer = staff
    secret = draft(editor, unit, title="内部草稿标题")
    on_request = published(editor, reviewer, unit, title="依申请公开的文件",
                           attribute="on_request", attribute_reason="art16_internal")
    c = Client()
    assert c.get(secret.get_absolute_url()).status_code == 404
    assert c.get(on_request.get_absolute_url()).status_code == 404
    listing = c.get("/xxgk/wj/").content.decode()
    assert "内部草稿标题" not in listing and "依申请公开的文件" not in listing
    assert "内部草稿标题" not in c.get(f"/xxgk/feed/{unit.code}/rss/").content.decode()


def test_detail_shows_index_box_corrections_and_print_view(staff):
    unit, editor, reviewer = staff
    doc = published(editor, reviewer, unit, keywords="供暖")
    services.update_document(actor=reviewer, document=doc, note="更正第二段的日期",
                             body="<p>各街道：请于12月1日前做好供暖保障。</p>")
    c = Client()
    html = c.get(doc.get_absolute_url()).content.decode()
    for text in ("索引号", doc.index_number, "发布机构", unit.name, "文号", "槐政办字〔2026〕12号",
                 "成文日期", "2026年11月20日", "发布日期", "主题分类", "有效性",
                 "更正/修改记录", "更正第二段的日期", "12月1日前"):
        assert text in html, text
    printed = c.get(f"/xxgk/doc/{doc.pk}/print/").content.decode()
    assert doc.index_number in printed and "12月1日前" in printed and "site-nav" not in printed


def test_withdrawn_page_stays_and_says_so_without_body(staff):
    unit, editor, reviewer = staff
    doc = published(editor, reviewer, unit, body="<p>原正文内容</p>")
    services.withdraw_document(actor=reviewer, document=doc, reason="已被新文件替代")
    r = Client().get(doc.get_absolute_url())
    html = r.content.decode()
    assert r.status_code == 200
    assert "撤回" in html and "已被新文件替代" in html and "原正文内容" not in html
    assert doc.get_absolute_url() not in Client().get("/xxgk/wj/").content.decode()


def test_filters_by_unit_year_topic_validity_doc_number_and_paging(staff, org, make_staff):
    unit, editor, reviewer = staff
    a = published(editor, reviewer, unit, title="甲文件", doc_type="normative",
                  validity="valid", written_date=dt.date(2025, 3, 1), topic="财政、金融、审计",
                  doc_number="槐财规〔2025〕1号")
    b = published(editor, reviewer, unit, title="乙文件", doc_type="normative",
                  validity="repealed", written_date=dt.date(2024, 3, 1),
                  doc_number="槐财规〔2024〕2号")
    other = org("hyq-wjj")
    c_doc = published(make_staff(other, Role.EDITOR), make_staff(other, Role.REVIEWER), other,
                      title="丙文件", written_date=dt.date(2025, 5, 1))
    c = Client()

    def found(**params):
        html = c.get("/xxgk/wj/", params).content.decode()
        return {d.title for d in (a, b, c_doc) if d.get_absolute_url() in html}

    assert found(org=unit.pk) == {"甲文件", "乙文件"}
    assert found(year="2025") == {"甲文件", "丙文件"}
    assert found(topic="财政、金融、审计") == {"甲文件"}
    assert found(validity="repealed") == {"乙文件"}
    assert found(doc_number="槐财规[2024]2号") == {"乙文件"}
    assert found(doc_number="槐财规") == {"甲文件", "乙文件"}
    r = c.get("/xxgk/wj/", {"year": "abc", "org": "99999"})
    assert r.status_code == 200 and "选择一个有效的选项" in r.content.decode()
    for i in range(21):
        published(editor, reviewer, unit, title=f"分页文件{i:02d}")
    page2 = c.get("/xxgk/wj/", {"org": unit.pk, "page": 2}).content.decode()
    assert "第 2 / 2 页" in page2


def test_policy_library_cleanup_view_lists_current_documents_since_2016(staff):
    unit, editor, reviewer = staff
    old = published(editor, reviewer, unit, title="2015年的规范性文件", doc_type="normative",
                    written_date=dt.date(2015, 5, 1))
    current = published(editor, reviewer, unit, title="2018年的规范性文件",
                        doc_type="normative", written_date=dt.date(2018, 5, 1))
    policy = published(editor, reviewer, unit, title="2020年的政策性文件", doc_type="policy",
                       written_date=dt.date(2020, 5, 1))
    repealed = published(editor, reviewer, unit, title="2019年已废止文件", doc_type="normative",
                         validity="repealed", written_date=dt.date(2019, 5, 1))
    html = Client().get("/xxgk/zcwj/", {"view": "xxyx"}).content.decode()
    assert current.get_absolute_url() in html and policy.get_absolute_url() in html
    assert old.get_absolute_url() not in html and repealed.get_absolute_url() not in html
    every = Client().get("/xxgk/zcwj/").content.decode()
    assert old.get_absolute_url() in every and repealed.get_absolute_url() in every


def test_gazette_issue_lists_its_documents(staff, make_staff):
    unit, editor, reviewer = staff
    doc = published(editor, reviewer, unit, title="刊载于公报的文件")
    coordinator = make_staff("hyq-zfb", Role.COORDINATOR)
    c = Client()
    c.force_login(coordinator)
    r = c.post("/xxgk/staff/gazette/", {"year": 2026, "number": 3, "documents": [doc.pk]})
    assert r.status_code == 302
    assert "2026年第3期" in Client().get("/xxgk/gb/").content.decode()
    html = Client().get("/xxgk/gb/2026/3/").content.decode()
    assert doc.get_absolute_url() in html
    assert "/xxgk/gb/2026/3/" in Client().get(doc.get_absolute_url()).content.decode()


def test_feeds_rss_and_atom_per_unit_and_node(staff):
    unit, editor, reviewer = staff
    published(editor, reviewer, unit, title="进入订阅的文件", node=node(unit, "czxx"))
    c = Client()
    rss = c.get(f"/xxgk/feed/{unit.code}/rss/")
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert "进入订阅的文件" in rss.content.decode()
    atom = c.get(f"/xxgk/feed/{unit.code}/czxx/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert "进入订阅的文件" in atom.content.decode()
    assert "进入订阅的文件" not in c.get(f"/xxgk/feed/{unit.code}/rsxx/rss/").content.decode()
    assert c.get("/xxgk/feed/no-such-unit/rss/").status_code == 404


def test_sitemaps_list_public_documents(staff):
    from gongkai.disclosure.sitemaps import sitemaps

    unit, editor, reviewer = staff
    doc = published(editor, reviewer, unit)
    hidden = draft(editor, unit)
    items = list(sitemaps["xxgk-documents"]().items())
    assert doc in items and hidden not in items


def test_portal_home_shows_latest_documents_and_interpretations(staff):
    unit, editor, reviewer = staff
    doc = published(editor, reviewer, unit, title="首页可见的最新文件")
    html = Client().get("/").content.decode()
    assert "首页可见的最新文件" in html and doc.get_absolute_url() in html
    assert "最新政策解读" in html


def test_document_list_filters_by_directory_node_across_and_within_units(staff, org, make_staff):
    unit, editor, reviewer = staff
    other = org("hyq-fgj")
    budget = published(editor, reviewer, unit, title="财政局预算公开", node=node(unit, "czxx"))
    domain = published(editor, reviewer, unit, title="财政预决算领域公开",
                       node=node(unit, "zdly-03"))
    fgj_budget = published(make_staff(other, Role.EDITOR), make_staff(other, Role.REVIEWER),
                           other, title="发改局财政信息", node=node(other, "czxx"))
    c = Client()
    html = c.get("/xxgk/wj/", {"node": "czxx"}).content.decode()
    assert budget.title in html and fgj_budget.title in html and domain.title not in html
    html = c.get("/xxgk/wj/", {"node": "czxx", "org": unit.pk}).content.decode()
    assert budget.title in html and fgj_budget.title not in html
    html = c.get("/xxgk/wj/", {"node": "zdly"}).content.decode()  # a node and what is below it
    assert domain.title in html and budget.title not in html
    assert "公开目录栏目" in html
    response = c.get("/xxgk/wj/", {"node": "no-such-node"})
    assert response.status_code == 200
    assert "部分筛选条件无效" in response.content.decode()
