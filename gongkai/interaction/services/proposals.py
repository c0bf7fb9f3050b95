"""建议提案办理结果: import the year's list from XLSX, record the answer, publish."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.models import Organization
from gongkai.core.permissions import can_edit, can_review, is_coordinator, require
from gongkai.interaction import categories
from gongkai.interaction.clock import add_months
from gongkai.interaction.models import Proposal, ProposalKind

KIND_NAMES = {"人大代表建议": ProposalKind.NPC, "建议": ProposalKind.NPC, "npc": ProposalKind.NPC,
              "政协委员提案": ProposalKind.CPPCC, "提案": ProposalKind.CPPCC,
              "cppcc": ProposalKind.CPPCC}
HEADERS = {"类别": "kind", "年度": "year", "编号": "number", "标题": "title",
           "代表/委员": "proposer", "公开姓名": "proposer_public", "主办单位": "org",
           "协办单位": "co_orgs", "交办日期": "assigned_date", "答复类别": "category",
           "答复日期": "answered_date", "答复内容": "reply_text"}


def deadline_months() -> int:
    """Handling deadline in months after assignment (GONGKAI_PROPOSAL_MONTHS, default 3)."""
    value = getattr(settings, "GONGKAI_PROPOSAL_MONTHS", 3)
    return value if isinstance(value, int) and 1 <= value <= 12 else 3


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def _org(value) -> Organization:
    text = str(value or "").strip()
    org = (Organization.objects.filter(code=text).first()
           or Organization.objects.filter(name=text).first()
           or Organization.objects.filter(short_name=text).first())
    if org is None:
        raise ValueError(f"找不到主办单位“{text}”")
    return org


def parse_row(row: dict) -> dict:
    """One spreadsheet row as model fields; raises ValueError with a Chinese message."""
    kind = KIND_NAMES.get(str(row.get("kind") or "").strip())
    if kind is None:
        raise ValueError("类别须为“人大代表建议”或“政协委员提案”")
    number = str(row.get("number") or "").strip()
    title = str(row.get("title") or "").strip()
    if not number or not title:
        raise ValueError("编号和标题不能为空")
    try:
        assigned = _date(row.get("assigned_date"))
        year = int(row.get("year") or assigned.year)
    except (TypeError, ValueError) as exc:
        raise ValueError("交办日期须为日期（例如 2026-03-15），年度须为数字") from exc
    public = str(row.get("proposer_public") or "").strip() in ("是", "1", "True", "true", "公开")
    extra = {}
    if "category" in row:  # optional column; an unknown category is this row's error
        category = categories.from_text(row.get("category"))
        if category:
            extra["category"] = category
    if row.get("answered_date") not in (None, ""):
        if not extra.get("category"):
            raise ValueError("填写了答复日期，须同时填写答复类别")
        try:
            extra["answered_date"] = _date(row.get("answered_date"))
        except (TypeError, ValueError) as exc:
            raise ValueError("答复日期须为日期（例如 2026-06-15）") from exc
        extra["reply_text"] = str(row.get("reply_text") or "").strip()
    return {**extra, "kind": kind, "year": year, "number": number[:50], "title": title[:300],
            "proposer": str(row.get("proposer") or "").strip()[:200],
            "proposer_public": public, "org": _org(row.get("org")),
            "co_orgs": str(row.get("co_orgs") or "").strip()[:300],
            "assigned_date": assigned,
            "deadline": add_months(assigned, deadline_months())}


def read_xlsx(path_or_file) -> list[tuple[int, dict]]:
    from openpyxl import load_workbook

    wb = load_workbook(path_or_file, read_only=True, data_only=True)
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [HEADERS.get(str(c or "").strip(), "") for c in next(rows, [])]
    if "number" not in header or "title" not in header:
        raise ValidationError("表头须包含：" + "、".join(HEADERS))
    out = []
    for n, values in enumerate(rows, start=2):
        if not any(v not in (None, "") for v in values):
            continue
        out.append((n, {k: v for k, v in zip(header, values, strict=False) if k}))
    wb.close()
    return out


@transaction.atomic(durable=True)
def import_proposals(*, actor, rows: list[tuple[int, dict]]) -> tuple[int, int, list[str]]:
    """Create or update (by 类别+年度+编号) every valid row; report the others by line."""
    require(is_coordinator(actor), "只有公开办协调员可以导入建议提案。")
    created = updated = 0
    errors = []
    for n, row in rows:
        try:
            fields = parse_row(row)
        except ValueError as exc:
            errors.append(f"第{n}行：{exc}")
            continue
        key = {k: fields.pop(k) for k in ("kind", "year", "number")}
        if "answered_date" in fields:  # the importer recorded the answer: not its reviewer
            fields["answered_by"] = actor
        _, new = Proposal.objects.update_or_create(**key, defaults=fields)
        created += new
        updated += not new
    audit.record(actor=actor, action="hdjl.proposal.import",
                 summary=f"新增{created}件，更新{updated}件，{len(errors)}行有误")
    return created, updated, errors


@transaction.atomic(durable=True)
def answer_proposal(*, actor, proposal: Proposal, category: str, reply_text: str,
                    publish_full: bool = True, on: dt.date | None = None) -> Proposal:
    p = Proposal.objects.select_for_update().get(pk=proposal.pk)
    require(can_edit(actor, p.org_id), "只有主办单位可以登记答复。")
    if p.published:
        raise ValidationError("已公开的办理结果不能修改。")
    if category not in categories.codes():
        raise ValidationError({"category": "请选择本地分类方案中的答复类别（"
                                           + "、".join(categories.codes()) + "）。"})
    if not (reply_text or "").strip():
        raise ValidationError({"reply_text": "请填写答复内容。"})
    p.category = category
    p.reply_text = reply_text.strip()
    p.publish_full = publish_full
    p.answered_date = on or timezone.localdate()
    p.answered_by = actor
    p.save()
    audit.record(actor=actor, action="hdjl.proposal.answer", target=p, org=p.org,
                 changes={"category": {"before": "", "after": category}})
    return p


@transaction.atomic(durable=True)
def publish_proposal(*, actor, proposal: Proposal) -> Proposal:
    p = Proposal.objects.select_for_update().get(pk=proposal.pk)
    require(can_review(actor, p.org_id), "只有主办单位审核人或公开办协调员可以公开。")
    require(getattr(actor, "pk", None) != p.answered_by_id,
            "不能审核公开自己登记的答复（先审后发）。")
    if not p.answered_date:
        raise ValidationError("尚未答复，不能公开办理结果。")
    p.published = True
    p.published_at = timezone.now()
    p.save()
    audit.record(actor=actor, action="hdjl.proposal.publish", target=p, org=p.org,
                 changes={"published": {"before": False, "after": True}})
    return p


def _cell(value) -> str:
    text = str(value if value is not None else "")
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_csv(out, proposals, year: int) -> None:
    """Published results, then the per-unit statistics, into ``out`` (a file-like)."""
    import csv

    writer = csv.writer(out)
    writer.writerow(["类别", "年度", "编号", "标题", "代表/委员", "主办单位", "协办单位",
                     "交办日期", "办理期限", "答复日期", "答复类别"])
    for p in proposals:
        writer.writerow([_cell(v) for v in (
            p.get_kind_display(), p.year, p.number, p.title,
            p.proposer if p.proposer_public else "", p.org.name, p.co_orgs,
            p.assigned_date, p.deadline, p.answered_date or "", p.category_label)])
    columns = category_columns(year)
    writer.writerow([])
    writer.writerow(["单位", "承办", "已答复", "按期答复", *(h for _, h in columns)])
    for r in annual_stats(year, columns):
        writer.writerow([_cell(r["name"]), r["total"], r["answered"], r["on_time"],
                         *r["counts"]])


def category_columns(year: int) -> list[tuple[str, str]]:
    """(code, heading) of the statistics columns: the scheme's categories, then any code the
    year's answers use that the scheme no longer has (so old answers still count)."""
    cols = [(c, f"{c}类") for c in categories.codes()]
    used = set(Proposal.objects.filter(year=year).exclude(category="")
               .values_list("category", flat=True))
    return cols + [(c, f"{c}类（原分类）") for c in sorted(used - set(categories.codes()))]


def annual_stats(year: int, columns: list[tuple[str, str]] | None = None) -> list[dict]:
    """Per unit: assigned, answered, answered by the deadline, and the count per answer
    category (``counts``, in the order of ``category_columns``)."""
    columns = columns if columns is not None else category_columns(year)
    rows: dict[int, dict] = {}
    for p in Proposal.objects.filter(year=year).select_related("org"):
        r = rows.setdefault(p.org_id, {"name": p.org.short_name or p.org.name, "total": 0,
                                       "answered": 0, "on_time": 0,
                                       "by_category": dict.fromkeys((c for c, _ in columns), 0)})
        r["total"] += 1
        if p.answered_date:
            r["answered"] += 1
            r["on_time"] += p.answered_date <= p.deadline
            if p.category:
                r["by_category"][p.category] = r["by_category"].get(p.category, 0) + 1
    for r in rows.values():
        r["counts"] = [r["by_category"].get(c, 0) for c, _ in columns]
    return sorted(rows.values(), key=lambda r: (-r["total"], r["name"]))
