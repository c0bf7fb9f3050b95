"""Demo open datasets: small made-up figures, each marked 演示数据, published through the
same XLSX validation staff use (so the demo also exercises the schema checks)."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook

from gongkai.api import opendata
from gongkai.api.models import Dataset
from gongkai.core.models import Organization


def F(name, label, type_="text", required=True, mask=""):
    return {"name": name, "label": label, "type": type_, "required": required, "mask": mask}


DATASETS = [
    {
        "code": "bmys-2026", "org": "hyq-czj", "category": "财政预决算", "frequency": "每年",
        "title": "区级部门预算支出表（演示数据）",
        "description": "区级部门年度预算和决算支出，按功能分类科目汇总。数字为演示用虚构数据。",
        "fields": [F("unit", "部门"), F("year", "年度", "int"), F("kind", "类型"),
                   F("item", "支出科目"), F("amount", "金额（万元）", "decimal")],
        "chart": {"label": "item", "value": "amount"},
        "rows": [["区财政局", 2026, "预算", "一般公共服务支出", 1820.5],
                 ["区财政局", 2026, "预算", "社会保障和就业支出", 960],
                 ["区教体局", 2026, "预算", "教育支出", 5630.2],
                 ["区卫健局", 2026, "预算", "卫生健康支出", 2410],
                 ["区财政局", 2025, "决算", "一般公共服务支出", 1765.3]],
    },
    {
        "code": "zfzw-2026", "org": "hyq-czj", "category": "政府债务", "frequency": "每半年",
        "title": "政府债务限额、余额和发行情况（演示数据）",
        "description": "政府债务限额、余额、发行、品种、期限、利率、偿还计划和偿债资金来源。"
                       "数字为演示用虚构数据。",
        "fields": [F("year", "年度", "int"), F("item", "项目"), F("kind", "债券品种"),
                   F("term", "期限（年）", "int", required=False),
                   F("rate", "利率（%）", "decimal", required=False),
                   F("amount", "金额（亿元）", "decimal"),
                   F("source", "偿债资金来源", required=False)],
        "chart": {"label": "item", "value": "amount"},
        "rows": [[2026, "债务限额", "一般债券", None, None, 80, ""],
                 [2026, "债务余额", "一般债券", None, None, 72, ""],
                 [2026, "新增发行", "专项债券", 10, 2.35, 12, "项目收益"],
                 [2026, "再融资发行", "一般债券", 7, 2.1, 5, "一般公共预算"],
                 [2026, "计划偿还", "一般债券", None, None, 6, "一般公共预算"]],
    },
    {
        "code": "hmhn-2026", "org": "hyq-nyncj", "category": "惠民惠农补贴",
        "frequency": "每季度", "title": "惠民惠农财政补贴发放情况（演示数据）",
        "description": "补贴资金发放到村（社区）和个人。姓名只显示姓，身份证号只显示前四位和"
                       "后四位（发布前按规则自动遮盖）。人员和数字均为演示用虚构数据。",
        "fields": [F("street", "街道"), F("village", "村（社区）"), F("item", "补贴项目"),
                   F("name", "姓名", mask="name"), F("id_number", "身份证号", mask="id_number"),
                   F("amount", "金额（元）", "decimal"), F("paid_on", "发放日期", "date")],
        "chart": {"label": "village", "value": "amount"},
        "rows": [["吴家堡街道", "前屯村", "耕地地力保护补贴", "李示例", "370104199001010000",
                  1250.5, dt.date(2026, 6, 30)],
                 ["吴家堡街道", "后屯村", "耕地地力保护补贴", "王演示", "370104198502020000",
                  980, dt.date(2026, 6, 30)],
                 ["段店北路街道", "段北社区", "城乡居民最低生活保障", "赵测试",
                  "370104197003030000", 860, dt.date(2026, 7, 15)]],
    },
    {
        "code": "zdxm-2026", "org": "hyq-fgj", "category": "重大建设项目", "frequency": "每月",
        "title": "重大建设项目批准和实施情况（演示数据）",
        "description": "重大建设项目的批准服务信息和实施进展。项目和数字为演示用虚构数据。",
        "fields": [F("name", "项目名称"), F("approval", "批准文号"),
                   F("approved_on", "批准日期", "date"), F("owner", "建设单位"),
                   F("investment", "总投资（万元）", "decimal"), F("progress", "实施进度")],
        "chart": {"label": "name", "value": "investment"},
        "rows": [["示例片区老旧小区改造", "槐发改投资〔2026〕1号", dt.date(2026, 3, 1),
                  "区住建局", 12800, "主体施工"],
                 ["示例路道路提升工程", "槐发改投资〔2026〕5号", dt.date(2026, 4, 18),
                  "区交通局", 6400, "完成招标"]],
    },
]


def xlsx(fields: list[dict], rows: list[list]) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append([f["label"] for f in fields])
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "demo.xlsx"
    return out


def load(stdout, quick: bool = False) -> None:
    for spec in DATASETS:
        org = Organization.objects.filter(code=spec["org"]).first() or Organization.root()
        ds, _ = Dataset.objects.update_or_create(code=spec["code"], defaults={
            "title": spec["title"], "description": spec["description"], "org": org,
            "frequency": spec["frequency"], "category": spec["category"],
            "fields": spec["fields"], "chart": spec["chart"], "is_demo": True})
        if not ds.releases.exists():
            opendata.publish_release(actor=None, dataset=ds, upload=xlsx(ds.fields, spec["rows"]),
                                     note="演示数据", check_permission=False)
    stdout.write(f"  open datasets: {len(DATASETS)}")
