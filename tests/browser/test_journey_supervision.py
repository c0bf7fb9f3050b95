"""Journey: the 公开办 imports the seed work plan; a unit reports progress with evidence; an
inspection finds a stale column and a broken link; the unit answers and fixes them; the
re-check closes both; the half-year evaluation scores the unit; the 通报 is generated and
approved by the 区政府办公室's 审核人 (not its drafter)."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .helpers import assert_accessible, assert_fields_labelled, login, shot

pytestmark = pytest.mark.browser
BROKEN = "/xxgk/doc/987654/"


def _seed_file(tmp_path):
    from gongkai.supervision.seed import SEED_PLAN, seed_plan_text

    path = tmp_path / SEED_PLAN  # the copy shipped in the package, as an upload would be
    path.write_text(seed_plan_text(), encoding="utf-8")
    return path


def _czj_site():
    """财政局's columns: a 通知公告 last updated 40 days ago and a page with a dead link."""
    from gongkai.core.models import Organization
    from gongkai.disclosure import services
    from gongkai.disclosure.models import DirectoryNode, Document

    czj = Organization.objects.get(code="hyq-czj")
    services.seed_directory(actor=None, org=czj, check_permission=False)
    editor, reviewer = (czj.staff.get(user__username=u).user for u in ("czj_xxy", "czj_shr"))

    def publish(node, title, body, age=0):
        doc = services.create_document(
            actor=editor, org=czj, title=title, body=body,
            written_date=timezone.localdate() - dt.timedelta(days=age),
            genre="通知", doc_type="policy", topic="财政、金融、审计",
            node=DirectoryNode.objects.get(org=czj, code=node))
        services.submit_document(actor=editor, document=doc)
        return services.publish_document(actor=reviewer, document=doc,
                                         revision=services.document_revision(doc),
                                         sync_reason="无需解读")

    old = publish("tzgg", "关于元旦假期安排的通知", "<p>元旦放假一天。</p>", age=45)
    Document.objects.filter(pk=old.pk).update(published_at=timezone.now() - dt.timedelta(days=40))
    linked = publish("czxx", "2026年部门预算", f'<p>详见<a href="{BROKEN}">预算表</a>。</p>')
    return publish, linked, reviewer


def _unrectified_veto(code):
    from gongkai.core.models import Organization
    from gongkai.supervision.models import Finding, FindingStatus, InspectionRun

    run = InspectionRun.objects.create(base_url="http://testserver/")
    found = timezone.now() - dt.timedelta(days=30)
    f = Finding.objects.create(
        key="journey-veto", kind="unanswered_messages", label="留言超过三个月未回复",
        url=f"/xxgk/{code}/", veto=True, org=Organization.objects.get(code=code),
        status=FindingStatus.ESCALATED, due=found.date() + dt.timedelta(days=3),
        first_run=run, last_run=run)
    Finding.objects.filter(pk=f.pk).update(found_at=found)
    return f


def _inspect(coordinator):
    coordinator.goto("/staff/")
    coordinator.get_by_role("link", name="网站检查整改").first.click()
    coordinator.get_by_role("button", name="立即检查网站").click()
    expect(coordinator.get_by_role("status")).to_contain_text("检查完成")


def test_plan_progress_inspection_loop_evaluation_and_bulletin(new_context, settings, tmp_path):
    settings.GONGKAI_SUPERVISION_CRAWL = {
        "delay": 0, "max_pages": 120, "max_links": 150, "timeout": 15, "max_attachments": 10,
        "follow": ("/xxgk/hyq-czj/", "/xxgk/doc/")}
    publish, linked, reviewer = _czj_site()

    # 1. The 公开办 imports the seed plan on the workbench.
    gkb = new_context().new_page()
    login(gkb, "gkb")
    gkb.get_by_role("link", name="工作台账").first.click()
    assert_fields_labelled(gkb)
    gkb.get_by_label("工作要点文件（TXT 或 DOCX）").set_input_files(str(_seed_file(tmp_path)))
    gkb.get_by_role("button", name="导入").first.click()
    expect(gkb.get_by_role("status")).to_contain_text("21 项任务")
    expect(gkb.locator("main")).to_contain_text("待匹配的单位名称")
    expect(gkb.locator("main")).to_contain_text("区公安分局")
    assert_accessible(gkb)
    shot(gkb, "supervision-plan")

    # 2. 发改局 reports progress on its task, with a link to what it published.
    fgj = new_context().new_page()
    login(fgj, "fgj_xxy")
    fgj.get_by_role("link", name="工作台账").first.click()
    fgj.get_by_role("link", name="聚焦“十四五”规划做好信息主动公开").click()
    fgj.get_by_label("工作进展").fill("已公开“十四五”规划纲要和3项专项规划。")
    fgj.get_by_label(re.compile("佐证链接")).fill("/xxgk/hyq-fgj/")
    fgj.get_by_role("button", name="报送").click()
    expect(fgj.get_by_role("status")).to_contain_text("进展已报送")
    expect(fgj.locator("main")).to_contain_text("推进中")

    # 3. The inspection finds the stale 通知公告 and the dead link on 财政局's page.
    _inspect(gkb)
    main = gkb.locator("main")
    expect(main).to_contain_text("动态类栏目超过两周未更新")
    expect(main).to_contain_text("链接不可用")
    shot(gkb, "supervision-findings")

    # 4. 财政局 sees them as its own, answers, and fixes the site.
    czj = new_context().new_page()
    login(czj, "czj_xxy")
    czj.get_by_role("link", name="网站检查整改").first.click()
    for label in ("动态类栏目超过两周未更新", "链接不可用"):
        czj.get_by_role("link", name=label).first.click()
        czj.get_by_label("整改情况").fill("已发布新通知，已删除失效链接。")
        czj.get_by_role("button", name="提交反馈").click()
        expect(czj.get_by_role("status")).to_contain_text("下次检查时自动复核")
        czj.get_by_role("link", name="网站检查整改").first.click()
    publish("tzgg", "关于冬季供暖的通知", "<p>请做好供暖保障。</p>")
    from gongkai.disclosure import services

    services.update_document(actor=reviewer, document=linked, note="删除失效链接",
                             body="<p>详见预算表附件。</p>")

    # 5. The re-check closes both.
    _inspect(gkb)
    expect(gkb.get_by_role("status")).to_contain_text(re.compile(r"复查关闭 [1-9]"))
    gkb.get_by_label("状态").select_option(label="已整改")
    gkb.get_by_role("button", name="筛选").click()
    expect(gkb.locator("main")).to_contain_text("动态类栏目超过两周未更新")
    expect(gkb.locator("main")).to_contain_text("链接不可用")

    # 6. The half-year evaluation scores the unit; the 通报 is generated and published.
    # An earlier check's 单项否决 finding of 卫健局 was never rectified: it fails that unit.
    veto = _unrectified_veto("hyq-wjj")
    gkb.get_by_role("link", name="评估与通报").first.click()
    today = timezone.localdate()
    gkb.get_by_label("评估名称").fill("下半年政务公开工作评估")
    gkb.get_by_label("起始日期").fill((today - dt.timedelta(days=180)).isoformat())
    gkb.get_by_label("截止日期").fill(today.isoformat())
    gkb.get_by_role("button", name="计算得分").click()
    expect(gkb.get_by_role("status")).to_contain_text("评估完成")
    row = gkb.get_by_role("row").filter(has_text="槐荫区发展和改革局")
    expect(row).to_contain_text("台账任务报送率")
    vetoed = gkb.get_by_role("region", name="单项否决")
    expect(vetoed).to_contain_text("槐荫区卫生健康局")
    expect(gkb.get_by_role("row").filter(has_text="槐荫区卫生健康局")).to_contain_text("单项否决")
    vetoed.get_by_role("link", name="留言超过三个月未回复").click()
    expect(gkb.locator("main")).to_contain_text(veto.url)
    gkb.go_back()
    gkb.get_by_role("link", name="槐荫区发展和改革局").click()
    expect(gkb.locator("svg.trend")).to_be_visible()
    gkb.get_by_label("整改期限").fill((today + dt.timedelta(days=30)).isoformat())
    gkb.get_by_role("button", name="生成通报").click()
    expect(gkb.get_by_role("heading", level=1)).to_contain_text("通报")
    expect(gkb.get_by_label("正文")).to_contain_text("通报批评")
    expect(gkb.get_by_label("正文")).to_contain_text("一、单项否决单位")
    # 先审后发: the drafter cannot publish; the 区政府办公室's 审核人 reads and approves it.
    expect(gkb.locator("main")).to_contain_text("须由另一位协调员审核发布")
    bulletin_url = gkb.url
    shr = new_context().new_page()
    login(shr, "zfb_shr")
    notice = shr.locator("p").filter(has_text="通报待审核发布")
    expect(notice).to_contain_text("下半年政务公开工作评估")
    notice.get_by_role("link", name="去处理").click()
    assert shr.url == bulletin_url
    expect(shr.locator("main")).to_contain_text("通报批评")
    shr.get_by_role("button", name="审核发布").click()
    expect(shr.get_by_role("status")).to_contain_text("通报已审核发布")
    gkb.reload()
    expect(gkb.locator("main")).to_contain_text("已发布")
    with gkb.expect_download() as download:
        gkb.get_by_role("link", name="下载 DOCX").click()
    assert download.value.suggested_filename.endswith(".docx")
    shot(gkb, "supervision-bulletin")
