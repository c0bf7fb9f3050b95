"""Demo content for 政民互动: letters in every state (new, routed, overdue, over three
months, in review, answered, published and rated, one with 协办 parts), 12345 orders and
一号答 entries.
Idempotent: nothing is added when the demo letters exist already."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from gongkai.core.models import Organization
from gongkai.interaction import services
from gongkai.interaction.models import Message, Proposal, QAEntry
from gongkai.interaction.services.common import today

MARK = "（演示）"

# (kind, subject, body, unit, days ago received, state, consent, rating)
LETTERS = [
    ("consult", "小区地面停车收费标准咨询", "请问小区地面停车收费标准是否经过备案，业主如何查询？",
     "hyq-fgj", 20, "published", "anonymous", "satisfied"),
    ("suggest", "建议在经十路增设公交站点",
     "经十路某路段公交站间距过大，老人出行不便，建议增设站点。",
     "hyq-fgj", 15, "published", "named", "basic"),
    ("consult", "冬季供暖开始时间咨询", "今年冬季供暖何时开始？小区暖气温度不达标向哪里反映？",
     "hyq-czj", 12, "published", "anonymous", ""),
    ("help", "老旧小区加装电梯补贴申请", "我们小区想加装电梯，补贴政策和申请流程是怎样的？",
     "hyq-fgj", 9, "review", "anonymous", ""),
    ("complain", "夜间施工噪音扰民", "某工地夜间22点后仍在施工，噪音很大，影响休息。",
     "hyq-wjj", 25, "handling", "none", ""),
    ("consult", "医保异地就医备案流程", "退休后长期居住外地，医保异地就医备案怎么办理？",
     "hyq-wjj", 120, "handling", "anonymous", ""),
    ("consult", "学区划片范围咨询", "请问今年小学学区划片范围何时公布？", "", 1, "new",
     "anonymous", ""),
]

QA = [
    ("hyq-fgj", "小区停车收费标准在哪里查询？",
     "住宅小区停车服务收费实行备案管理，可在区发展改革局网站“价格公示”栏目查询，"
     "也可拨打12345咨询。", "《济南市机动车停放服务收费管理办法》"),
    ("hyq-czj", "企业申请稳岗返还需要哪些材料？",
     "符合条件的企业无需申请，经大数据比对后直接返还；未收到的可向区人社局咨询。", ""),
    ("hyq-wjj", "如何办理医保异地就医备案？",
     "可通过国家医保服务平台App或“爱山东”App线上备案，也可到区医保经办窗口办理。", ""),
]


def _user(name):
    return get_user_model().objects.filter(username=name).first()


def load(stdout, quick: bool = False) -> None:
    if Message.objects.filter(subject__endswith=MARK).exists():
        stdout.write("  政民互动：演示数据已存在")
        return
    gkb = _user("gkb")
    if gkb is None:
        stdout.write("  （未找到演示账号 gkb，跳过政民互动演示数据）")
        return
    editors = {"hyq-fgj": ("fgj_xxy", "fgj_shr"), "hyq-czj": ("czj_xxy", "czj_shr"),
               "hyq-wjj": ("wjj_xxy", "wjj_shr")}
    now = today()
    for n, (kind, subject, body, unit, ago, state, consent, rating) in enumerate(LETTERS):
        received = now - dt.timedelta(days=ago)
        msg, _ = services.submit_message(data={
            "kind": kind, "subject": subject + MARK, "body": body, "name": f"演示来信人{n}",
            "phone": f"1380000{n:04d}", "consent": consent}, received=received,
            source="hotline" if n == 4 else "web",
            hotline_number=f"12345-DEMO-{n:04d}" if n == 4 else "")
        if state == "new":
            continue
        org = Organization.objects.get(code=unit)
        # Letters answered today were routed two days ago (on time); the open ones when
        # they arrived, so the dashboard shows real overdue letters and an alarm.
        routed = received + dt.timedelta(days=1) if state == "handling" else max(
            received + dt.timedelta(days=1), now - dt.timedelta(days=2))
        msg = services.route_message(actor=gkb, message=msg, org=org, on=routed)
        if state == "handling":
            continue
        editor, reviewer = (_user(u) for u in editors[unit])
        reply = services.submit_reply(actor=editor, message=msg,
                                      text=f"您好！关于“{subject}”，经我单位核实办理，答复如下："
                                           "相关政策和办理渠道已在本单位网站公开，"
                                           "如有疑问请拨打本单位咨询电话。感谢您的关注。")
        if state == "review":
            continue
        services.approve_reply(actor=reviewer, reply=reply,
                               revision=services.reply_revision(reply))
        msg.refresh_from_db()
        if consent != "none":
            services.publish_message(actor=gkb, message=msg)
        if rating:
            services.rate_message(message=Message.objects.get(pk=msg.pk), rating=rating)
    # A letter with two co-handlers: the 财政局 has submitted its part, the 卫健局 has not.
    msg, _ = services.submit_message(data={
        "kind": "suggest", "subject": "社区卫生服务站经费和选址建议" + MARK,
        "body": "建议在新建小区配建社区卫生服务站，并明确运营经费来源。", "name": "演示来信人9",
        "phone": "13800000009", "consent": "anonymous"}, received=now - dt.timedelta(days=2))
    msg = services.route_message(
        actor=gkb, message=msg, org=Organization.objects.get(code="hyq-fgj"),
        co_orgs=[Organization.objects.get(code="hyq-czj"),
                 Organization.objects.get(code="hyq-wjj")], on=now - dt.timedelta(days=1))
    part = services.save_part(actor=_user("czj_xxy"), part=msg.co_parts.get(org__code="hyq-czj"),
                              text="运营经费按《社区卫生服务机构补助办法》由区财政按服务人口核拨。")
    part = services.submit_part(actor=_user("czj_xxy"), part=part)
    services.approve_part(actor=_user("czj_shr"), part=part,
                          revision=services.part_revision(part))
    for unit, question, answer, basis in QA:
        org = Organization.objects.get(code=unit)
        editor, reviewer = (_user(u) for u in editors[unit])
        entry = services.create_qa(actor=editor, org=org, question=question, answer=answer,
                                   basis=basis)
        services.publish_qa(actor=reviewer, entry=entry)
    year = now.year
    rows = [(2, {"kind": "人大代表建议", "year": year, "number": "101",
                 "title": "关于增设社区养老服务站的建议", "proposer": "王代表",
                 "proposer_public": "是", "org": "hyq-fgj",
                 "assigned_date": dt.date(year, 3, 15)}),
            (3, {"kind": "政协委员提案", "year": year, "number": "55",
                 "title": "关于加强校园周边交通管理的提案", "proposer": "李委员",
                 "org": "hyq-czj", "co_orgs": "区教育和体育局",
                 "assigned_date": dt.date(year, 3, 20)})]
    services.import_proposals(actor=gkb, rows=rows)
    for p, category in zip(Proposal.objects.filter(year=year).order_by("pk"), "AB",
                           strict=False):
        editor, _reviewer = (_user(u) for u in editors[p.org.code])
        services.answer_proposal(actor=editor, proposal=p, category=category,
                                 reply_text="经认真研究，已将该建议纳入年度工作计划，"
                                            "并会同相关部门推进落实。")
        services.publish_proposal(actor=gkb, proposal=p)
    fgj, fgj_shr = _user("fgj_xxy"), _user("fgj_shr")
    from gongkai.interaction.services import topics as topic_services

    topic = topic_services.assign_topic(
        actor=gkb, term="养老服务", org=Organization.objects.get(code="hyq-fgj"),
        deadline=now + dt.timedelta(days=7), channel="政策解读栏目、区长信箱来信公开")
    topic_services.close_topic(actor=fgj, topic=topic,
                               result="已在政策解读栏目发布社区养老服务站建设情况说明。")
    topic_services.assign_topic(actor=gkb, term="停车", org=Organization.objects.get(
        code="hyq-czj"), deadline=now + dt.timedelta(days=10), channel="新闻发布会")
    from django.utils import timezone

    past = services.create_event(
        actor=fgj, org=Organization.objects.get(code="hyq-fgj"), kind="interview",
        title="在线访谈：解读优化营商环境政策措施", guests="区发展改革局负责同志",
        starts_at=timezone.now() - dt.timedelta(days=10), description="围绕营商环境政策答网友问。")
    q = services.ask_question(event=past, text="小微企业房租减免如何申请？")
    services.answer_question(actor=fgj_shr, question=q,
                             answer="符合条件的企业向出租方提出申请即可。")
    services.publish_record(actor=fgj_shr, event=past, record="访谈实录：……（演示）")
    services.add_commitment(actor=fgj, event=past, text="一个月内公布惠企政策清单",
                            org=past.org, deadline=now + dt.timedelta(days=20))
    services.create_event(
        actor=fgj, org=past.org, kind="open_day", title="政府开放日：走进政务服务大厅",
        location="槐荫区政务服务中心", capacity=30,
        starts_at=timezone.now() + dt.timedelta(days=14), description="欢迎市民报名参观。")
    stdout.write(f"  政民互动：来信 {Message.objects.count()} 件，"
                 f"一号答 {QAEntry.objects.count()} 条")
