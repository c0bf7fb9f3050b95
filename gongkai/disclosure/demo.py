"""Demo content: the seed plan with its interpretation, corpus notices, 规范性文件 with
validity, a 政府公报 issue, the 法规库, 上级政策文件 with their 令 numbers, and a few drafts in
the workflow. Idempotent."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.html import escape

from gongkai.core.models import Organization
from gongkai.disclosure import importer, services
from gongkai.disclosure.models import Document, Interpretation, Regulation, Status

SEED_FILE = "2021-huaiyin-zhengwu-gongkai-yaodian.txt"
SEED_ID = "seed:2021-huaiyin-zhengwu-gongkai-yaodian"
SEED_INTERPRETATION = """
<h2>一、出台背景</h2>
<p>为深入贯彻落实国家、省、市关于政务公开工作的部署要求，推进槐荫区政务公开标准化规范化建设，
区政府办公室制定了《2021年槐荫区政务公开工作要点》。</p>
<h2>二、主要内容</h2>
<p>《要点》从聚焦重点领域做好信息主动公开、加强政策解读回应、提升政务公开平台建设水平、
夯实政务公开工作基础等方面，明确了全年政务公开重点任务和责任单位。</p>
<h2>三、主要特点</h2>
<p>一是突出“三同步”，行政规范性文件与政策解读同步起草、同步审签、同步发布；
二是突出标准化规范化，全面推进“26+1+n”领域基层政务公开标准目录；
三是突出便民利民，优化依申请公开办理流程，严格落实法定时限。</p>
"""


def _org(code):
    return Organization.objects.filter(code=code).first()


def _seed_directories(stdout):
    added = 0
    for org in Organization.objects.filter(is_active=True).exclude(kind="community"):
        if not org.xxgk_nodes.exists():
            added += services.seed_directory(actor=None, org=org, check_permission=False)
    stdout.write(f"  公开目录：新增 {added} 个栏目")


def _seed_plan(stdout):
    # Shipped in the package: a missing file is a broken install, not an empty demo.
    body = (settings.GONGKAI_SEED_DIR / SEED_FILE).read_text(encoding="utf-8")
    # The printed notice starts with the 文号 and the title block; keep the text after them.
    marker = "各街道办事处，区政府各部门："
    if marker in body:
        body = body[body.index(marker):]
    doc, _ = services.import_record(actor=None, record={
        "external_id": SEED_ID, "org": "hyq-zfb", "doc_number": "槐政办字〔2021〕4号",
        "title": "槐荫区人民政府办公室关于印发2021年槐荫区政务公开工作要点的通知",
        "body": body, "written": dt.date(2021, 6, 23), "published": dt.date(2021, 6, 25),
        "category": "qtzcwj", "attribute": "public", "attribute_reason": "", "validity": "",
        "doc_type": "policy", "is_important": True, "topic": "综合政务", "genre": "通知",
        "keywords": "政务公开 工作要点",
    })
    services.import_interpretation(
        actor=None, org=doc.org, title="《2021年槐荫区政务公开工作要点》政策解读",
        kind="text", body=SEED_INTERPRETATION, documents=[doc],
        published_at=doc.published_at)
    return doc


def _corpus_documents(stdout, quick):
    path = settings.GONGKAI_CORPUS_DIR / "ncp_docs.jsonl.gz"
    units = list(Organization.objects.filter(kind__in=["department", "office"]))
    cycle = itertools.cycle(units)
    want = 30 if quick else None  # the full demo: every shipped notice
    docs, n = [], 0
    for _number, line in importer.open_lines(str(path)):
        if want is not None and n >= want:
            break
        try:
            rec = importer.read_ncp(json.loads(line))
        except importer.LineError:
            continue
        n += 1
        org = next(cycle)
        rec["org"] = org.code
        rec["category"] = "tzgg"
        if n % 6 == 0:  # some of them become 规范性文件 with their validity history
            rec["category"] = "gfxwj"
            rec["doc_type"] = "normative"
            rec["validity"] = ["valid", "valid", "amended", "repealed", "expired"][(n // 6) % 5]
            prefix = org.short_name[1:3] or "政"
            rec["doc_number"] = (rec["doc_number"]
                                 or f"槐{prefix}规〔{rec['written'].year}〕{n}号")
        doc, _ = services.import_record(actor=None, record=rec)
        docs.append(doc)
        if n % 12 == 0 and doc.is_public():  # 三同步: half of the 规范性文件 have one
            kind = ["text", "graphic", "expert", "press", "media"][(n // 12) % 5]
            services.import_interpretation(
                actor=None, org=doc.org, title=f"《{doc.title}》政策解读", kind=kind,
                body=f"<h2>一、出台背景</h2><p>{doc.body_text[:200]}</p>"
                     "<h2>二、主要内容</h2><p>明确了适用范围、支持措施和办理流程。</p>",
                documents=[doc], published_at=doc.published_at)
    stdout.write(f"  语料文件：{len(docs)} 件")
    return docs


POLICY_NODE = ("sjwj", "上级政策文件")
QUICK_POLICIES = 20


def _law_html(header: str, body: str) -> str:
    """The promulgation lines, then the text: ``## 第一章`` headings, one paragraph a line."""
    parts = [f'<p class="promulgation">{escape(line.strip())}</p>'
             for line in header.splitlines() if line.strip()]
    for line in body.splitlines():
        line = line.strip()
        if not line:
            continue
        m = re.match(r"^(#{1,6})\s*(.*)$", line)
        if m:
            level = min(len(m[1]) + 1, 4)
            parts.append(f"<h{level}>{escape(m[2])}</h{level}>")
        else:
            parts.append(f"<p>{escape(line)}</p>")
    return "\n".join(parts)


def _superior_policies(stdout, quick):
    """Orders of the State Council and its departments, each with the 文号, 发文机关 and day
    printed in its promulgation line (data/demo/README.md), in the 区政府办公室's 公开目录 under
    政策文件 › 上级政策文件, as a district site carries them."""
    office = _org("hyq-zfb")
    if office is None:
        return []
    node = office.xxgk_nodes.filter(code=POLICY_NODE[0]).first()
    if node is None:
        node = services.save_node(
            actor=None, org=office, code=POLICY_NODE[0], name=POLICY_NODE[1],
            parent=office.xxgk_nodes.filter(code="zcwj").first(), sort_order=5,
            description="转载国务院及其部门公布的行政法规、规章等上级政策文件；发文机关、文号和日期"
                        "以原件为准。", check_permission=False)
    path = settings.GONGKAI_CORPUS_DIR / "policies.jsonl.gz"
    docs = []
    for _number, line in importer.open_lines(str(path)):
        if quick and len(docs) >= QUICK_POLICIES:
            break
        obj = json.loads(line)
        day = dt.date.fromisoformat(obj["date"])
        doc, _ = services.import_record(actor=None, record={
            "external_id": f"policy:{obj['id']}", "org": office.code, "title": obj["title"],
            "issuer": obj["issuer"], "doc_number": obj["doc_number"], "written": day,
            "published": day, "category": node.code, "attribute": "public",
            "attribute_reason": "", "validity": "", "doc_type": "policy",
            "body": _law_html(obj["header"], obj["body"]),
        })
        docs.append(doc)
    stdout.write(f"  上级政策文件：{len(docs)} 件")
    return docs


def _laws(stdout, quick):
    path = settings.GONGKAI_CORPUS_DIR / "laws.jsonl.gz"
    want = 12 if quick else None  # the full demo: every shipped law
    count = 0
    for _number, line in importer.open_lines(str(path)):
        if want is not None and count >= want:
            break
        try:
            rec = importer.read_line("laws", line)
        except importer.LineError:
            continue
        services.import_regulation_version(actor=None, **rec)
        count += 1
    stdout.write(f"  法规库：{Regulation.objects.count()} 部法规")


def _gazette(seed_doc, docs):
    normative = [d for d in docs if d.doc_type == "normative" and d.is_public()][:4]
    services.save_gazette_issue(actor=None, year=2021, number=1, title="",
                                published_on=dt.date(2021, 7, 1),
                                documents=[seed_doc, *normative], check_permission=False)


def _workflow_examples():
    """A pending 规范性文件 with a draft interpretation, and a draft running late."""
    User = get_user_model()
    editor = User.objects.filter(username="fgj_xxy").first()
    fgj = _org("hyq-fgj")
    if editor is None or fgj is None:
        return
    if not Document.objects.filter(org=fgj, title__startswith="槐荫区促进数字经济").exists():
        node = fgj.xxgk_nodes.filter(code="gfxwj").first()
        doc = services.create_document(
            actor=editor, org=fgj, title="槐荫区促进数字经济高质量发展若干措施",
            doc_number="槐发改规[2026]1号", written_date=dt.date(2026, 11, 20), node=node,
            topic="国民经济管理、国有资产监管", genre="规定", doc_type="normative",
            registration_number="HYDR-2026-0001", effective_date=dt.date(2027, 1, 1),
            expiry_date=dt.date(2031, 12, 31),
            body="<p>第一条 为促进我区数字经济高质量发展，制定本措施。</p>"
                 "<p>第二条 本措施自2027年1月1日起施行，有效期五年。</p>")
        services.save_interpretation(actor=editor, org=fgj,
                                     title="《槐荫区促进数字经济高质量发展若干措施》解读",
                                     kind="text", body="<p>一、制定背景……</p>", documents=[doc])
        services.submit_document(actor=editor, document=doc)
    if not Document.objects.filter(org=fgj, title__startswith="关于2026年第三季度").exists():
        services.create_document(
            actor=editor, org=fgj, title="关于2026年第三季度重点项目进展情况的通报",
            written_date=dt.date(2026, 10, 15), node=fgj.xxgk_nodes.filter(code="ghxx").first(),
            genre="通报", doc_type="other", body="<p>第三季度重点项目进展顺利。</p>")


def load(stdout, quick=False):
    with transaction.atomic():
        _seed_directories(stdout)
    seed_doc = _seed_plan(stdout)
    docs = _corpus_documents(stdout, quick)
    _laws(stdout, quick)
    _superior_policies(stdout, quick)
    _gazette(seed_doc, docs)
    _workflow_examples()
    stdout.write(f"  已发布信息 {Document.objects.filter(status=Status.PUBLISHED).count()} 件，"
                 f"政策解读 {Interpretation.objects.count()} 件")
