"""Journey: a citizen comments on a draft by keyboard in 关怀版 (on article 3 and on the
whole); the period ends; the unit disposes each opinion and its 审核人 publishes the
意见采纳情况; the citizen finds their comment's disposition by code; the catalog item links
the consultation, the meeting and the resulting document."""

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from .helpers import assert_accessible, assert_fields_labelled, login, shot, tab_to

pytestmark = pytest.mark.browser


def _demo():
    from gongkai.participation import demo
    from gongkai.participation.models import Consultation

    demo.load(io.StringIO())
    by_phase = {c.phase(): c for c in Consultation.objects.all()}
    return by_phase["open"], by_phase["reported"]


def _comment_by_keyboard(page, body: str) -> str:
    tab_to(page, lambda f: f["name"] == "body")
    page.keyboard.type(body)
    tab_to(page, lambda f: f["text"] == "提交意见")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("意见已提交")
    return page.locator("#opinion-code").inner_text().strip()


def test_comment_dispose_publish_and_find_disposition(page, new_context):
    from gongkai.participation.models import Consultation

    open_now, finished = _demo()

    # The unit's page has a 公众参与 column: the open consultation first, then the
    # finished one's published 意见采纳情况.
    page.goto(reverse("disclosure:unit", args=["hyq-fgj"]))
    panel = page.locator("section.unit-panel").filter(
        has=page.get_by_role("heading", name="公众参与"))
    expect(panel.get_by_role("link").first).to_have_text(open_now.title)
    expect(panel).to_contain_text("征求意见中，")
    expect(panel.get_by_role("link", name=f"{finished.title}意见采纳情况")).to_have_attribute(
        "href", reverse("participation:feedback", args=[finished.pk]))
    assert_accessible(page)

    # The citizen switches to 关怀版 and reads the open draft, keyboard only.
    page.goto(reverse("participation:index"))
    tab_to(page, lambda f: f["text"].startswith("关怀版"))
    page.keyboard.press("Enter")
    expect(page.locator("body")).to_have_class(re.compile(r"\belder\b"))
    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == open_now.title)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(open_now.title)
    assert_fields_labelled(page)
    assert_accessible(page)
    tab_to(page, lambda f: f["text"] == "对第三条提意见", limit=80)
    page.keyboard.press("Enter")
    expect(page.get_by_label("针对")).to_have_value(
        str(open_now.articles.get(label="第三条").pk))
    shot(page, "participation-comment-article3")
    code = _comment_by_keyboard(page, "适老化改造补助建议覆盖独居老人。")

    page.goto(open_now.get_absolute_url())
    code_whole = _comment_by_keyboard(page, "总体支持，希望尽快实施。")
    assert code != code_whole

    # The period ends (the clock moves on).
    Consultation.objects.filter(pk=open_now.pk).update(
        ends_at=timezone.now() - dt.timedelta(seconds=1))
    staff = new_context().new_page()
    login(staff, "fgj_xxy")
    staff.goto(reverse("participation:staff_consultation", args=[open_now.pk]))
    for op in open_now.opinions.order_by("pk"):
        row = staff.locator(f"#op{op.pk}")
        if op.article and op.article.label == "第三条":
            row.get_by_label("处理结果").select_option(label="部分采纳")
            row.get_by_label("理由（将公开）").fill("独居老人纳入补助范围，标准另行制定。")
        else:
            row.get_by_label("处理结果").select_option(label="采纳")
        row.get_by_role("button", name="保存").click()
        expect(staff.get_by_role("status")).to_contain_text("已保存处理结果")
    staff.get_by_label("总体情况").fill("共收到意见3条，均已逐条研究处理。")
    staff.get_by_role("button", name="保存说明").click()
    staff.get_by_role("button", name="提交审核").click()
    expect(staff.get_by_role("status")).to_contain_text("采纳情况已提交审核")
    staff.get_by_role("button", name="退出登录").click()
    login(staff, "fgj_shr")
    staff.goto(reverse("participation:staff_consultation", args=[open_now.pk]))
    staff.get_by_role("button", name="审核通过并公布采纳情况").click()
    expect(staff.get_by_role("status")).to_contain_text("采纳情况已公布")
    shot(staff, "participation-staff-published")

    # The citizen finds their comment's disposition by its code.
    page.goto(reverse("participation:lookup"))
    page.get_by_label("意见查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    result = page.get_by_role("status").filter(has_text="查询结果")
    expect(result).to_contain_text("部分采纳")
    expect(result).to_contain_text("独居老人纳入补助范围")
    result.get_by_role("link", name="查看全部意见采纳情况").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("采纳情况")
    assert_accessible(page)

    # The finished decision's catalog item links each stage.
    page.goto(finished.decision.get_absolute_url())
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("区政府第30次常务会议")
    expect(timeline).to_contain_text("市民代表2名")
    expect(timeline.get_by_role("link", name="意见采纳情况")).to_have_attribute(
        "href", reverse("participation:feedback", args=[finished.pk]))
    result = finished.decision.stages.get(kind="result")
    expect(timeline.get_by_role("link", name="槐荫区公共停车场收费管理办法")).to_have_attribute(
        "href", reverse("disclosure:document", args=[result.doc_id]))
    assert_accessible(page)
    shot(page, "participation-decision-timeline")
    timeline.get_by_role("link", name="公开征求意见").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(finished.title)
    expect(page.locator("main")).to_contain_text("最终通过文本与征求意见稿对照")
    page.get_by_role("link", name="查看问卷调查结果").click()
    expect(page.get_by_role("heading", name=re.compile("调查结果"))).to_be_visible()
    assert_accessible(page)
    shot(page, "participation-survey-results")

    # A new stage (专家论证) of the open decision: the 信息员 records it, it is not public
    # until the unit's 审核人 — not its author — publishes it from the review list.
    item = open_now.decision
    staff.get_by_role("button", name="退出登录").click()
    login(staff, "fgj_xxy")
    staff.goto(reverse("participation:staff_item", args=[item.pk]))
    staff.get_by_label("环节（必填）").select_option(label="专家论证")
    staff.get_by_label("标题", exact=True).fill("养老服务专家论证会")
    staff.get_by_label("情况说明").fill("邀请5名专家论证，建议明确补助资金来源。")
    staff.get_by_role("button", name="保存并提交审核").click()
    expect(staff.get_by_role("status")).to_contain_text("审核通过发布后才在公开页面显示")
    expect(staff.locator("ol.stages")).to_contain_text("待审核")
    assert_fields_labelled(staff)
    page.goto(item.get_absolute_url())
    expect(page.locator("main")).not_to_contain_text("养老服务专家论证会")
    staff.get_by_role("button", name="退出登录").click()
    login(staff, "fgj_shr")
    staff.goto(reverse("participation:staff_index"))
    staff.get_by_role("link", name=re.compile("养老服务专家论证会")).click()
    staff.get_by_role("button", name="审核通过并发布").click()
    expect(staff.get_by_role("status")).to_contain_text("已审核发布")
    page.goto(item.get_absolute_url())
    expect(page.locator("ol.timeline")).to_contain_text("邀请5名专家论证")
