"""Demo data: the real unit tree of 槐荫区 and demo staff accounts in several roles.

Credit codes are made-up but checksum-valid (prefix 11370104 = a district-level
organ in 370104); replace them with the real codes with `gongkai orgs import`.
"""

from __future__ import annotations

from gongkai.core import services
from gongkai.core.models import Organization, OrgKind, Role, StaffProfile
from gongkai.core.validators import credit_code_check_char

DEMO_PASSWORD = "gongkai-demo-2026"

ROOT = ("hyq", "济南市槐荫区人民政府", "区政府", OrgKind.GOVERNMENT)
OFFICE = ("hyq-zfb", "槐荫区人民政府办公室", "区政府办公室", OrgKind.OFFICE)
DEPARTMENTS = [
    ("hyq-bb", "中共济南市槐荫区委机构编制委员会办公室", "区委编办"),
    ("hyq-fgj", "槐荫区发展和改革局", "区发展改革局"),
    ("hyq-zrzyj", "济南市自然资源和规划局槐荫分局", "区自然资源局"),
    ("hyq-czj", "槐荫区财政局", "区财政局"),
    ("hyq-nyncj", "槐荫区农业农村局", "区农业农村局"),
    ("hyq-wjj", "槐荫区卫生健康局", "区卫生健康局"),
    ("hyq-gaj", "济南市公安局槐荫区分局", "公安槐荫分局"),
    ("hyq-scjgj", "槐荫区市场监督管理局", "区市场监管局"),
    ("hyq-jtj", "槐荫区教育和体育局", "区教育和体育局"),
    ("hyq-mzj", "槐荫区民政局", "区民政局"),
    ("hyq-rsj", "槐荫区人力资源和社会保障局", "区人力资源社会保障局"),
    ("hyq-sfj", "槐荫区司法局", "区司法局"),
    ("hyq-zjj", "槐荫区住房和城乡建设局", "区住房城乡建设局"),
    ("hyq-yjj", "槐荫区应急管理局", "区应急局"),
    ("hyq-tjj", "槐荫区统计局", "区统计局"),
    ("hyq-spj", "槐荫区行政审批服务局", "区行政审批服务局"),
]
# 市局 branches in the district (派出机构, 行政复议法 Art. 24 第四款: the city government,
# or the district government where the branch sits): no single legal default, so their
# review bodies are set explicitly (as they must be for vertically managed units, Art. 27).
BRANCH_REVIEW = "济南市人民政府或者济南市槐荫区人民政府"
LOCAL_COURT = "济南市槐荫区人民法院"
BRANCHES = {"hyq-zrzyj", "hyq-gaj"}
# A vertically managed unit (行政复议法 Art. 27: 税务 → the next higher 主管部门). It answers
# applications under its own name but reports to its own system, not in the district's
# annual report.
VERTICAL = ("hyq-sw", "国家税务总局济南市槐荫区税务局", "槐荫区税务局")
VERTICAL_REVIEW = "国家税务总局济南市税务局"
SUBDISTRICTS = [
    "振兴街街道", "中大槐树街道", "道德街街道", "西市场街道", "五里沟街道", "营市街街道",
    "青年公园街道", "南辛庄街道", "段店北路街道", "张庄路街道", "匡山街道", "美里湖街道",
    "吴家堡街道", "腊山街道", "兴福街道", "玉清湖街道",
]
SUBDISTRICT_CODES = [
    "zxj", "zdhs", "ddj", "xsc", "wlg", "ysj", "qngy", "nxz", "ddbl", "zzl", "ks", "mlh",
    "wjb", "ls", "xf", "yqh",
]

# (username, display name, unit code, role)
STAFF = [
    ("admin", "系统管理员", "hyq-zfb", Role.ADMIN),
    ("gkb", "王公开（公开办）", "hyq-zfb", Role.COORDINATOR),
    ("zfb_xxy", "李信息（区政府办公室）", "hyq-zfb", Role.EDITOR),
    ("zfb_shr", "赵审核（区政府办公室）", "hyq-zfb", Role.REVIEWER),
    ("fgj_xxy", "张信息（发改局）", "hyq-fgj", Role.EDITOR),
    ("fgj_shr", "刘审核（发改局）", "hyq-fgj", Role.REVIEWER),
    ("czj_xxy", "陈信息（财政局）", "hyq-czj", Role.EDITOR),
    ("czj_shr", "周审核（财政局）", "hyq-czj", Role.REVIEWER),
    ("wjj_xxy", "吴信息（卫健局）", "hyq-wjj", Role.EDITOR),
    ("wjj_shr", "郑审核（卫健局）", "hyq-wjj", Role.REVIEWER),
    ("zxj_xxy", "孙信息（振兴街街道）", "hyq-zxj", Role.EDITOR),
    ("zxj_shr", "钱审核（振兴街街道）", "hyq-zxj", Role.REVIEWER),
]


def demo_credit_code(serial: int) -> str:
    first17 = f"11370104{serial:08d}M"
    return first17 + credit_code_check_char(first17)


def load_orgs() -> Organization:
    serial = 1

    def upsert(code, name, short, kind, parent, **extra):
        nonlocal serial
        org, _ = services.upsert_organization(
            actor=None, code=code, name=name, kind=kind, parent=parent,
            credit_code=demo_credit_code(serial), short_name=short, sort_order=serial, **extra,
        )
        serial += 1
        return org

    root = upsert(*ROOT, None, address="济南市槐荫区经十路24001号", phone="0531-87587000",
                  office_hours="工作日 9:00-12:00，13:30-17:00")
    upsert(*OFFICE, root, is_coordinating=True, address="济南市槐荫区经十路24001号",
           phone="0531-87587001", email="hyqzfbgkb@jn.shandong.cn",
           office_hours="工作日 9:00-12:00，13:30-17:00")
    for code, name, short in DEPARTMENTS:
        if code in BRANCHES:
            upsert(code, name, short, OrgKind.DEPARTMENT, root, administration="branch",
                   review_body=BRANCH_REVIEW, court=LOCAL_COURT)
        else:
            upsert(code, name, short, OrgKind.DEPARTMENT, root)
    for code, name in zip(SUBDISTRICT_CODES, SUBDISTRICTS, strict=True):
        upsert(f"hyq-{code}", f"槐荫区{name}办事处", name, OrgKind.SUBDISTRICT, root)
    upsert(*VERTICAL, OrgKind.DEPARTMENT, root, administration="vertical",
           review_body=VERTICAL_REVIEW, court=LOCAL_COURT)
    return root


def load_staff() -> list[tuple[str, str, str, str]]:
    rows = []
    for username, name, org_code, role in STAFF:
        org = Organization.objects.get(code=org_code)
        profile = StaffProfile.objects.filter(user__username=username).first()
        if profile is None:
            profile = services.create_staff(actor=None, username=username, password=DEMO_PASSWORD,
                                            display_name=name, org=org, role=role,
                                            check_permission=False)
            if role == Role.ADMIN:
                profile.user.is_staff = True
                profile.user.is_superuser = True
                profile.user.save(update_fields=["is_staff", "is_superuser"])
        rows.append((username, name, org.name, Role(role).label))
    return rows
