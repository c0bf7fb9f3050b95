"""Journey: a letter routed to a lead unit and a co-handler. The co-handler's handler
writes its part, its own reviewer approves it, and only then does the lead unit see the
text and send the final reply for review without having to explain a missing part."""

import pytest
from playwright.sync_api import expect

from .helpers import assert_accessible, assert_fields_labelled, login, shot

pytestmark = pytest.mark.browser


def test_co_handler_part_written_reviewed_and_used_by_the_lead(new_context):
    from django.contrib.auth import get_user_model

    from gongkai.core.models import Organization
    from gongkai.interaction import services
    from gongkai.interaction.models import Message

    users = get_user_model().objects
    msg, _ = services.submit_message(data={
        "kind": "suggest", "subject": "社区养老服务站运营补贴", "consent": "anonymous",
        "body": "建议提高社区养老服务站的运营补贴。", "name": "赵先生", "phone": "13905313333"})
    msg = services.route_message(actor=users.get(username="gkb"), message=msg,
                                 org=Organization.objects.get(code="hyq-fgj"),
                                 co_orgs=[Organization.objects.get(code="hyq-czj")])
    url = f"/hdjl/staff/{msg.pk}/"

    co = new_context().new_page()
    login(co, "czj_xxy")
    co.goto("/hdjl/staff/")
    expect(co.get_by_role("main")).to_contain_text("本单位协办：待撰写")
    co.get_by_role("link", name=msg.number).click()
    expect(co.locator("#hdjl-co-parts")).to_contain_text("待撰写")
    assert_fields_labelled(co)
    co.get_by_label("本单位协办意见").fill("运营补贴按服务人数核定，2027年起每人每年提高200元。")
    co.get_by_role("button", name="保存协办意见草稿").click()
    expect(co.locator("#hdjl-co-parts")).to_contain_text("草稿")
    co.get_by_role("button", name="提交本单位审核").click()
    expect(co.locator("#hdjl-co-parts")).to_contain_text("本单位审核中")
    expect(co.get_by_role("button", name="提交审核意见")).to_have_count(0)  # not its writer

    lead = new_context().new_page()
    login(lead, "fgj_xxy")
    lead.goto(url)
    expect(lead.locator("#hdjl-co-parts")).to_contain_text("协办单位提交后可见")
    expect(lead.locator("#hdjl-co-parts")).not_to_contain_text("每人每年提高200元")
    expect(lead.get_by_role("main")).to_contain_text("协办意见尚未提交：区财政局")

    reviewer = new_context().new_page()
    login(reviewer, "czj_shr")
    reviewer.goto(url)
    reviewer.get_by_label("审核通过，提交主办单位").check()
    reviewer.get_by_role("button", name="提交审核意见").click()
    expect(reviewer.locator("#hdjl-co-parts")).to_contain_text("已提交主办单位")

    lead.reload()
    expect(lead.locator("#hdjl-co-parts")).to_contain_text("每人每年提高200元")
    expect(lead.get_by_role("main")).not_to_contain_text("协办意见尚未提交")
    lead.get_by_label("答复内容").fill("您好！经会同区财政局研究，2027年起运营补贴每人每年提高200元。")
    lead.get_by_role("button", name="提交审核", exact=True).click()
    expect(lead.locator("#hdjl-staff-status")).to_contain_text("答复待审核")
    assert_accessible(lead)
    shot(lead, "journey-hdjl-cohandler-lead")
    assert Message.objects.get(pk=msg.pk).status == "review"
