"""Demo applications in several states across units (idempotent)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from gongkai.core.calendar import get_calendar
from gongkai.core.models import Organization
from gongkai.foi import answer_services, services
from gongkai.foi.models import ApplicantType, Application, Channel, FeeAccount

MARK = "（演示）"


def _person(name, id_number, subject, **extra):
    data = {"applicant_type": ApplicantType.NATURAL_PERSON, "applicant_name": name,
            "id_type": "id_card", "id_number": id_number, "phone": "0531-00000000",
            "email": "", "address": "济南市槐荫区演示路1号", "postcode": "250000",
            "subject": subject + MARK, "doc_number": "", "description": "",
            "forms_wanted": ["paper"], "delivery": "pickup"}
    data.update(extra)
    return data


def _company(name, credit_code, subject, kind=ApplicantType.COMMERCIAL):
    return {"applicant_type": kind, "applicant_name": name, "credit_code": credit_code,
            "contact_person": "王经理", "phone": "0531-00000001", "email": "",
            "address": "济南市槐荫区演示路2号", "subject": subject + MARK, "doc_number": "",
            "description": "", "forms_wanted": ["email"], "delivery": "email"}


def load(stdout, quick: bool = False) -> None:
    FeeAccount.objects.get_or_create(org=None, defaults={
        "payee": "济南市槐荫区财政局（演示）", "bank": "演示银行济南槐荫支行",
        "account": "0000 0000 0000 0000（演示）",
        "payment_code": "也可凭收费通知书上的申请编号在山东省非税收入缴款平台缴纳"})
    if Application.objects.filter(subject__endswith=MARK).exists():
        stdout.write("  依申请公开演示数据已存在，跳过。")
        return
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["gkb", "fgj_xxy", "czj_xxy", "zxj_xxy"])}
    if len(users) < 4:
        stdout.write("  缺少演示账号，跳过依申请公开演示数据。")
        return
    org = {o.code: o for o in Organization.objects.filter(
        code__in=["hyq", "hyq-fgj", "hyq-czj", "hyq-zxj"])}
    cal = get_calendar()
    today = timezone.localdate()

    def back(n):
        d = today
        for _ in range(n):
            d -= dt.timedelta(days=1)
            while not cal.is_workday(d):
                d -= dt.timedelta(days=1)
        return d

    fgj, czj, zxj = users["fgj_xxy"], users["czj_xxy"], users["zxj_xxy"]
    # 1. Online, waiting for the office to confirm receipt.
    services.submit_online(data=_person("赵一", "11010519491231002X",
                                        "槐荫区2026年老旧小区改造计划"), addressee=org["hyq"])
    # 2. In person at 发改局, running, due in about two weeks.
    app, _ = services.register_application(actor=fgj, data=_person(
        "钱二", "110105194912310029", "槐荫区2026年重点项目投资计划"), channel=Channel.IN_PERSON,
        received_date=back(8), addressee=org["hyq-fgj"], org=org["hyq-fgj"])
    services.extend(actor=fgj, application=app, days=10, approved_on=back(1),
                    reason="需要调取多个科室的档案资料")
    # 3. 财政局, by post: a third-party consultation under way.
    app, _ = services.register_application(actor=czj, data=_company(
        "济南演示建设有限公司", "91370104MA3C000008", "某道路工程财政资金拨付情况"),
        channel=Channel.POST, received_date=back(12), addressee=org["hyq-czj"],
        org=org["hyq-czj"])
    services.start_consultation(actor=czj, application=app, kind="third_party",
                                party="济南演示路桥有限公司", sent_date=back(5))
    # 4. 振兴街街道: two working days left.
    services.register_application(actor=zxj, data=_person(
        "孙三", "11010519491231002X", "振兴街街道2025年低保审批名单"),
        channel=Channel.LETTER, received_date=back(18), addressee=org["hyq-zxj"],
        org=org["hyq-zxj"])
    # 5. 发改局: overdue.
    services.register_application(actor=fgj, data=_person(
        "李四", "110105194912310029", "槐荫区价格监测报告"), channel=Channel.FAX,
        received_date=back(23), addressee=org["hyq-fgj"], org=org["hyq-fgj"])
    # 6. Answered 部分公开 (the letters are there to download).
    app, _ = services.register_application(actor=czj, data=_company(
        "山东演示律师事务所", "91370104MA3C000008", "槐荫区2025年政府采购合同清单",
        kind=ApplicantType.LEGAL_SERVICE), channel=Channel.IN_PERSON, received_date=back(30),
        addressee=org["hyq-czj"], org=org["hyq-czj"])
    answer_services.add_answer_file(
        actor=czj, application=app, title="槐荫区2025年政府采购合同清单（区分处理后）",
        link="https://www.jnhy.gov.cn/")
    answer_services.answer(actor=czj, application=app, answer_type="3.2", details={
        "不予公开内容": "合同中供应商的开户银行账号和报价明细", "部分公开依据": "3.3.4",
        "理由": "上述内容属于供应商的商业秘密，公开会对其合法权益造成损害"},
        answer_date=back(12))
    if not quick:
        # 7. Not held by the office: answered 无法提供 with the responsible agency.
        app, _ = services.register_application(actor=fgj, data=_person(
            "周五", "11010519491231002X", "济南市轨道交通线网规划"), channel=Channel.IN_PERSON,
            received_date=back(25), addressee=org["hyq-fgj"], org=org["hyq-fgj"])
        answer_services.answer(actor=fgj, application=app, answer_type="3.4.1.other_agency",
                               details={"理由": "济南市轨道交通线网规划由济南市人民政府批准，"
                                                "由市级部门负责制作和保存",
                                        "负责机关": "济南市发展和改革委员会（联系电话："
                                                  "0531-00000002）"},
                               answer_date=back(20))
        # 8. The district government's own answer: its review body is 济南市人民政府.
        gkb = users["gkb"]
        app, _ = services.register_application(actor=gkb, data=_person(
            "吴六", "11010519491231002X", "槐荫区2025年政府工作报告"), channel=Channel.IN_PERSON,
            received_date=back(10), addressee=org["hyq"])
        answer_services.answer(actor=gkb, application=app, answer_type="3.1.published",
                               details={"获取途径": "济南市槐荫区人民政府门户网站"
                                                   "“政府信息公开—政府工作报告”栏目"},
                               answer_date=back(6))
    stdout.write(f"  依申请公开：{Application.objects.filter(subject__endswith=MARK).count()}"
                 "件演示申请（登录 gkb 查看全区，fgj_xxy 查看发改局）。")
