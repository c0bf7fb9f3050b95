"""Journey 3: an 信息员 drafts a 规范性文件; publication is refused without a 政策解读 (三同步);
she adds one; the 审核人 publishes both in one action; the public pages show both."""

import re

import pytest
from playwright.sync_api import expect

from .helpers import assert_accessible, assert_fields_labelled, login, shot

pytestmark = pytest.mark.browser

TITLE = "槐荫区既有住宅加装电梯管理办法"
NUMBER = "槐政办规〔2026〕2号"
INTERPRETATION = f"《{TITLE}》政策解读"


def _select_containing(select, text):
    options = select.locator("option").all_inner_texts()
    select.select_option(label=next(o for o in options if o.strip().endswith(text)))


def _draft(editor):
    main = editor.locator("main")
    main.get_by_role("link", name=re.compile("^主动公开")).first.click()
    editor.get_by_role("link", name="起草新信息").click()
    assert_fields_labelled(editor)
    assert_accessible(editor)
    editor.get_by_label("标题").fill(TITLE)
    editor.get_by_label("文号").fill("槐政办规[2026]2号")  # typed with ASCII brackets
    editor.get_by_label("成文日期").fill("2026-11-20")
    _select_containing(editor.get_by_label("公开目录栏目"), "行政规范性文件")
    editor.get_by_label("体裁").select_option(label="办法")
    editor.get_by_label("文件类型").select_option(label="行政规范性文件")
    editor.get_by_label("登记号").fill("HYDR-2026-0002")
    editor.get_by_label("有效性").select_option(label="有效")
    editor.get_by_label("施行日期").fill("2027-01-01")
    editor.get_by_label("正文").fill(
        "<p>第一条 为规范既有住宅加装电梯工作，方便群众出行，制定本办法。</p>"
        "<p>第二条 加装电梯应当经本单元房屋专有部分面积占比三分之二以上的业主同意。</p>")
    editor.get_by_role("button", name="保存").click()
    expect(editor.get_by_role("status")).to_contain_text("草稿已保存")
    expect(editor.locator("main")).to_contain_text("三同步")
    expect(editor.locator("main")).to_contain_text(NUMBER)  # stored in the canonical form
    editor.get_by_role("button", name="提交审核").click()
    expect(editor.get_by_role("status")).to_contain_text("已提交审核")


def _open_for_review(reviewer):
    reviewer.goto("/staff/")
    reviewer.locator("main").get_by_role("link", name=re.compile("^待我审核")).first.click()
    reviewer.get_by_role("link", name=TITLE).click()
    expect(reviewer.get_by_role("heading", level=1)).to_contain_text(TITLE)


def test_normative_document_needs_interpretation_then_both_published(page, new_context):
    from gongkai.core.models import Organization
    from gongkai.disclosure import services

    office = Organization.objects.get(code="hyq-zfb")
    services.seed_directory(actor=None, org=office, check_permission=False)  # 公开目录

    editor = page
    login(editor, "zfb_xxy")
    _draft(editor)

    # The reviewer tries to publish it alone and is refused; she returns it to the drafter.
    reviewer = new_context().new_page()
    login(reviewer, "zfb_shr")
    _open_for_review(reviewer)
    assert_fields_labelled(reviewer)
    assert_accessible(reviewer)
    reviewer.get_by_role("button", name="审核通过并发布").click()
    expect(reviewer.get_by_role("alert")).to_contain_text("须与政策解读同步发布")
    shot(reviewer, "journey3-publish-refused")
    reviewer.get_by_role("region", name="退回修改").get_by_label("理由").fill(
        "请补充政策解读后再提交。")
    reviewer.get_by_role("button", name="退回起草人").click()
    expect(reviewer.get_by_role("status")).to_contain_text("已退回起草人")

    # The drafter sees why, writes the interpretation linked to the document, resubmits.
    editor.reload()
    expect(editor.locator("main")).to_contain_text("请补充政策解读后再提交")
    editor.get_by_role("link", name="为本文件添加解读").click()
    expect(editor.get_by_label("标题")).to_have_value(INTERPRETATION)
    expect(editor.get_by_label("解读的文件")).to_have_value(re.compile(r"\d+"))
    editor.get_by_label("解读形式").select_option(label="文字解读")
    editor.get_by_label("正文").fill(
        "<h2>一、制定背景</h2><p>我区老旧住宅多，老年人上下楼困难。</p>"
        "<h2>二、主要内容</h2><p>明确了业主同意比例、审批流程和资金补贴。</p>")
    editor.get_by_role("button", name="保存").click()
    expect(editor.get_by_role("status")).to_contain_text("解读已保存")
    editor.get_by_role("navigation", name="工作台导航").get_by_role("link", name="工作台").click()
    editor.locator("main").get_by_role("link", name=re.compile("^主动公开")).first.click()
    editor.get_by_role("link", name=TITLE).click()
    editor.get_by_role("button", name="提交审核").click()
    expect(editor.get_by_role("status")).to_contain_text("已提交审核")

    # The reviewer publishes the document and its interpretation in the same action.
    _open_for_review(reviewer)
    reviewer.get_by_label(INTERPRETATION).check()
    reviewer.get_by_role("button", name="审核通过并发布").click()
    expect(reviewer.get_by_role("status")).to_contain_text("已发布")
    shot(reviewer, "journey3-reviewer-published")

    # The public sees both, each linking to the other.
    citizen = new_context().new_page()
    citizen.goto("/xxgk/zcwj/")
    citizen.get_by_role("link", name=TITLE).click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(citizen.locator("main")).to_contain_text(NUMBER)
    expect(citizen.locator("main")).to_contain_text("有效")
    expect(citizen.locator("main")).to_contain_text("三分之二以上的业主同意")
    assert_accessible(citizen)
    shot(citizen, "journey3-public-document")
    citizen.get_by_role("region", name="政策解读").get_by_role(
        "link", name=re.compile(re.escape(INTERPRETATION))).click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text(INTERPRETATION)
    expect(citizen.locator("main").get_by_role("link", name=TITLE)).to_be_visible()
    shot(citizen, "journey3-public-interpretation")
