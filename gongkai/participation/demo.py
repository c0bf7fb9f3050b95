"""Demo content: 发改局's 2026 catalog of major decisions — one decided after a finished
consultation with its published feedback, one consultation open now. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from gongkai.core.models import Organization
from gongkai.participation import services
from gongkai.participation.models import Catalog, Consultation, Disposition
from gongkai.participation.services.catalog import catalog_revision
from gongkai.participation.services.consultations import consultation_revision
from gongkai.participation.services.feedback import report_revision

PARKING_DRAFT = """槐荫区公共停车场收费管理办法（征求意见稿）
第一章 总则
第一条 为规范本区公共停车场收费行为，维护停车人和经营者合法权益，制定本办法。
第二条 本办法适用于本区行政区域内公共停车场的收费管理。
第二章 收费标准
第三条 公共停车场实行分区域、分时段差别化收费。核心区白天首小时收费不超过5元，之后每小时不超过3元。
夜间（20:00至次日8:00）每小时不超过1元。
第四条 停车不超过15分钟的，免收停车费。
第五条 新能源汽车停车费减半收取。
第三章 监督管理
第六条 经营者应当在停车场入口显著位置公示收费标准和投诉电话。
第七条 本办法自发布之日起施行。
"""

PARKING_FINAL = PARKING_DRAFT.replace("（征求意见稿）", "").replace(
    "停车不超过15分钟的", "停车不超过30分钟的").replace(
    "第七条 本办法自发布之日起施行。",
    "第七条 医院、学校周边停车场应当设置临时接送车位，停车不超过15分钟的免费。\n"
    "第八条 本办法自2027年1月1日起施行，有效期5年。")

PARKING_SURVEY = [
    ("single", "您认为免费停车时长多少合适？", ["30分钟", "15分钟", "不需要免费时长"]),
    ("multiple", "您最关心停车收费的哪些方面？", ["收费标准", "医院学校周边停车", "收费公示"]),
]

ELDER_DRAFT = """槐荫区促进养老服务业发展若干措施（征求意见稿）
第一条 支持社会力量举办养老机构，新建养老机构每张床位给予一次性建设补贴。
第二条 对社区老年食堂按照服务人次给予运营补贴。
第三条 推进居家适老化改造，对特殊困难老年人家庭给予改造补助。
第四条 建立养老服务人才培训制度，对取得职业技能等级证书的护理人员给予奖励。
第五条 本措施由区发展和改革局负责解释。
"""


def load(stdout, quick: bool = False) -> None:
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["fgj_xxy", "fgj_shr"])}
    editor, reviewer = users.get("fgj_xxy"), users.get("fgj_shr")
    org = Organization.objects.filter(code="hyq-fgj").first()
    if editor is None or reviewer is None or org is None:
        stdout.write("  公众参与：缺少发改局演示账号，跳过")
        return
    year = timezone.localdate().year
    if Catalog.objects.filter(org=org, year=year).exists():
        stdout.write("  公众参与：演示数据已存在")
        return
    cat = services.create_catalog(actor=editor, org=org, year=year)
    parking = services.add_item(actor=editor, catalog=cat, data={
        "title": "制定《槐荫区公共停车场收费管理办法》", "undertaker": "区发展和改革局",
        "basis": "《重大行政决策程序暂行条例》；《山东省重大行政决策程序规定》",
        "planned": f"{year}年11月", "procedures": ["public", "risk", "legal", "collective",
                                                   "hearing"]})
    elder = services.add_item(actor=editor, catalog=cat, data={
        "title": "出台《槐荫区促进养老服务业发展若干措施》", "undertaker": "区发展和改革局",
        "basis": "《国务院关于加快发展养老服务业的若干意见》", "planned": f"{year}年12月",
        "procedures": ["public", "expert", "legal", "collective"]})
    services.submit_catalog(actor=editor, catalog=cat)
    services.publish_catalog(actor=reviewer, catalog=cat, revision=catalog_revision(cat))

    now = timezone.now()
    # The finished consultation: published with a future period, then dated back for the demo
    # (the services refuse to publish a consultation whose end has passed).
    done = _published(editor, reviewer, org, parking, "槐荫区公共停车场收费管理办法（征求意见稿）",
                      PARKING_DRAFT, now, questions=PARKING_SURVEY)
    start, end = now - dt.timedelta(days=75), now - dt.timedelta(days=45)
    Consultation.objects.filter(pk=done.pk).update(starts_at=start, ends_at=end)
    done.refresh_from_db()
    arts = {a.label: a for a in done.articles.all()}
    comments = [
        ("第四条", "15分钟太短，接送孩子和老人看病都不够，建议延长到30分钟。", "张先生", True),
        ("第四条", "免费时长建议30分钟。", "", False),
        ("第三条", "夜间收费应当再低一些，老旧小区居民晚上只能停在路边停车场。", "李女士", False),
        ("第五条", "新能源车减半会造成不公平，建议取消。", "", False),
        (None, "总体支持，希望尽快出台，并公开各停车场收费标准。", "王秀英", True),
    ]
    ops = []
    for i, (label, body, name, consent) in enumerate(comments):
        op, _ = services.submit_comment(
            consultation=done, body=body, article_id=arts[label].pk if label else None,
            name=name, contact="13800000000" if name else "", publish_name=consent,
            now=start + dt.timedelta(days=2 + i))
        ops.append(op)
    services.enter_opinion(actor=editor, consultation=done, channel="symposium",
                           body="座谈会上，医院代表建议在医院周边设置临时接送车位。",
                           received_at=start + dt.timedelta(days=10),
                           article_id=arts["第四条"].pk, name="区人民医院")
    q = list(done.questions.all())
    for i, (choice, worries) in enumerate([(0, [0, 1]), (0, [1]), (1, [0]), (0, [0, 2]),
                                           (2, [1])]):
        services.answer_survey(consultation=done, now=start + dt.timedelta(days=3 + i), raw={
            f"q{q[0].pk}": [str(choice)], f"q{q[1].pk}": [str(w) for w in worries]})
    group = services.group_opinions(actor=editor, consultation=done, title="延长免费停车时长",
                                    opinion_ids=[ops[0].pk, ops[1].pk], concentrated=True)
    services.dispose(actor=editor, consultation=done, disposition=Disposition.ADOPTED,
                     reason="已将免费时长由15分钟延长至30分钟（第四条）。", group=group)
    services.dispose(actor=editor, consultation=done, disposition=Disposition.PARTLY,
                     reason="夜间收费已较低；对老旧小区周边停车场另行制定包月优惠。",
                     opinion=ops[2])
    services.dispose(actor=editor, consultation=done, disposition=Disposition.REJECTED,
                     reason="新能源汽车停车优惠是落实省市鼓励政策的要求，予以保留。",
                     opinion=ops[3])
    for op in done.opinions.filter(disposition="", group__isnull=True):
        services.dispose(actor=editor, consultation=done, disposition=Disposition.ADOPTED,
                         reason="", opinion=op)
    report = services.save_report(actor=editor, consultation=done, summary=(
        "征求意见期间，我局通过网站、座谈会等方式听取意见，对收到的意见逐条研究，"
        "采纳和部分采纳的意见已在修改后的办法中体现。"))
    services.submit_report(actor=editor, report=report)
    services.publish_report(actor=reviewer, report=report, revision=report_revision(report))
    services.set_final_text(actor=editor, consultation=done, final_text=PARKING_FINAL,
                            final_url=reverse("disclosure:policy_library"))
    d0 = start.date()
    stages = [
        dict(kind="draft", title="决策草案及起草说明", date=d0,
             summary="起草说明：本区停车供需矛盾突出，现行收费标准制定于2015年，需要调整。",
             url=reverse("participation:consultation", args=[done.pk])),
        dict(kind="consultation", title="公开征求意见", date=d0, consultation=done),
        dict(kind="hearing", title="价格听证会", date=d0 + dt.timedelta(days=20),
             summary="听证参加人15名，其中消费者代表7名；听证笔录已存档。"),
        dict(kind="risk", title="社会稳定风险评估", date=d0 + dt.timedelta(days=35),
             summary="评估结论：低风险，可以实施。"),
        dict(kind="feedback", title="意见采纳情况", date=d0 + dt.timedelta(days=40),
             consultation=done),
        dict(kind="expert",
             skipped_reason="本事项不涉及专业性、技术性较强的问题，未组织专家论证。"),
        dict(kind="legal", title="合法性审查", date=d0 + dt.timedelta(days=45),
             summary="区司法局审查意见：符合法律法规规定。"),
        dict(kind="meeting", title="区政府第30次常务会议", date=d0 + dt.timedelta(days=55),
             summary="会议审议通过《槐荫区公共停车场收费管理办法》。",
             attendees="市民代表2名、人大代表1名列席。市民代表建议设置医院周边接送车位。",
             attendee_uptake="已采纳，增加第七条。"),
        dict(kind="result", date=d0 + dt.timedelta(days=60),
             ref=f"doc:{_result_document(editor, reviewer, org, year).pk}"),
    ]
    for st in stages:
        _stage(editor, reviewer, parking, **st)

    open_now = _published(editor, reviewer, org, elder,
                          "槐荫区促进养老服务业发展若干措施（征求意见稿）", ELDER_DRAFT, now)
    _stage(editor, reviewer, elder, kind="consultation", date=now.date(),
           consultation=open_now)
    arts = {a.label: a for a in open_now.articles.all()}
    services.submit_comment(consultation=open_now, article_id=arts["第二条"].pk,
                            body="建议老年食堂同时提供送餐上门服务。")
    stdout.write(f"  公众参与：{cat}，征求意见 2 项（1 项已反馈，1 项正在征求意见）")


def _stage(editor, reviewer, item, **data):
    """A stage drafted by the unit's 信息员 and published by its 审核人 (先审后发)."""
    from gongkai.participation.services.stages import stage_revision

    s = services.add_stage(actor=editor, decision=item, submit=True, **data)
    return services.publish_stage(actor=reviewer, stage=s, revision=stage_revision(s))


def _result_document(editor, reviewer, org, year: int):
    """The 决策结果 as a document published on the platform (through disclosure's
    services, as any unit would), which the timeline links to by picking it."""
    from gongkai.disclosure import services as disclosure

    body = "".join(f"<p>{line}</p>" for line in PARKING_FINAL.splitlines() if line.strip())
    doc = disclosure.create_document(
        actor=editor, org=org, title="槐荫区公共停车场收费管理办法", body=body,
        written_date=timezone.localdate(), doc_number=f"槐发改发〔{year}〕8号",
        topic="国民经济管理、国有资产监管", genre="办法", doc_type="normative")
    disclosure.submit_document(actor=editor, document=doc)
    return disclosure.publish_document(actor=reviewer, document=doc,
                                       revision=disclosure.document_revision(doc),
                                       sync_reason="解读随后单独发布")


def _published(editor, reviewer, org, item, title, text, now, questions=()) -> Consultation:
    c = services.create_consultation(actor=editor, org=org, data={
        "title": title, "draft_text": text, "decision": item,
        "explanation": "根据区政府工作部署起草，现公开征求社会公众意见。",
        "starts_at": now - dt.timedelta(days=3), "ends_at": now + dt.timedelta(days=30),
        "contact": "电子邮箱：hyqfgj@jn.gov.cn\n"
                   "通信地址：济南市槐荫区发展和改革局（请在信封注明“意见征集”）"})
    for kind, q, options in questions:
        services.add_question(actor=editor, consultation=c, kind=kind, text=q,
                              options="\n".join(options), required=kind == "single")
    services.submit_consultation(actor=editor, consultation=c)
    services.publish_consultation(actor=reviewer, consultation=c,
                                  revision=consultation_revision(c))
    c.refresh_from_db()
    return c
