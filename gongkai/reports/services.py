"""Annual reports: reading (figures, checks, reconciliation) and the drafting state changes.

The review workflow (submit, approve, return, publish, reopen) is in ``reports.review``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.models import Organization
from gongkai.core.permissions import can_edit, require
from gongkai.reports import exports, sources
from gongkai.reports import tables as T
from gongkai.reports.models import AnnualReport, ReportStatus

AUDIT_FIELDS = ["status", "overview", "problems", "other", "licensing", "punishment",
                "enforcement", "fees", "carry_note", "return_reason"]


# --- reading -------------------------------------------------------------------------------------



def _section2_figures(*, licensing, punishment, enforcement, fees) -> dict:
    """Parse the unit's own section 二 figures; every bad one is reported, in Chinese."""
    errors: dict[str, str] = {}
    values: dict = {}
    for name, raw, label in [("licensing", licensing, "行政许可"),
                             ("punishment", punishment, "行政处罚"),
                             ("enforcement", enforcement, "行政强制")]:
        try:
            values[name] = T.parse_count(raw, label)
        except ValueError as exc:
            errors[name] = str(exc)
    try:
        values["fees"] = T.parse_fees(fees)
    except ValueError as exc:
        errors["fees"] = str(exc)
    if errors:
        raise ValidationError(errors)
    return values


def entered(report: AnnualReport | None) -> dict:
    if report is None:
        return {}
    return {"licensing": report.licensing, "punishment": report.punishment,
            "enforcement": report.enforcement, "fees": report.fees}


@dataclass
class Reconciliation:
    """This year's 上年结转 against last year's published 结转下年度."""

    last: AnnualReport | None = None
    messages: list[str] = field(default_factory=list)
    only_now: list[dict] = field(default_factory=list)   # carried in, not carried out last year
    only_then: list[dict] = field(default_factory=list)  # carried out last year, not carried in


@dataclass
class State:
    """Everything a report page shows: figures, the form check, reconciliation, blockers."""

    data: T.ReportData
    frozen: bool
    failures: list[T.CheckFailure]
    anomalies: list[T.Anomaly]
    reconciliation: Reconciliation
    carried_in: list[str]
    carried_out: list[str]

    def blockers(self, carry_note: str = "") -> list[str]:
        out = [f.message for f in self.failures]
        for a in self.anomalies:
            out.append(f"申请 {a.ref}：{a.message}（{T.COLUMN_NAMES.get(a.column, a.column)}列）。")
        if self.reconciliation.messages and not carry_note.strip():
            out += ["上年结转与上年度报告的结转下年度不一致：" + m
                    for m in self.reconciliation.messages]
            out.append("请核对下列申请，或在“上年结转差异说明”中说明原因后再发布。")
        return out


def reconcile(org: Organization, year: int, carried_in_row: dict, carried_in: list[str]
              ) -> Reconciliation:
    last = AnnualReport.objects.filter(org=org, year=year - 1,
                                       status=ReportStatus.PUBLISHED).first()
    rec = Reconciliation(last=last)
    if last is None or not last.figures:
        return rec  # computed from the same records, last year's 四 equals this year's 二
    last_out = last.figures.get("section3", {}).get(T.ROW_CARRIED_OUT, {})
    rec.messages = T.reconcile(carried_in_row, last_out)
    if rec.messages:
        now, then = set(carried_in), set(last.carried_out_refs or [])
        rec.only_now = sources.application_rows(org, now - then)
        rec.only_then = sources.application_rows(org, then - now)
    return rec


def state(org: Organization, year: int, report: AnnualReport | None = None) -> State:
    computed = sources.compute(org, year, entered=entered(report))
    rec = reconcile(org, year, computed.data.section3[T.ROW_CARRIED_IN],
                    computed.section3.carried_in)
    if report is not None and report.is_published and report.figures:
        data = T.ReportData.from_json(report.figures, org_name=org.name)
        return State(data, True, data.check(), [], rec, computed.section3.carried_in,
                     list(report.carried_out_refs or []))
    return State(computed.data, False, computed.data.check(), computed.section3.anomalies,
                 rec, computed.section3.carried_in, computed.section3.carried_out)


def document_for(report: AnnualReport, st: State | None = None) -> exports.ReportDocument:
    st = st or state(report.org, report.year, report)
    published = None
    if report.published_at is not None and report.is_published:
        published = timezone.localtime(report.published_at).date()
    return exports.ReportDocument(data=st.data, org_name=report.org.name,
                                  overview=report.overview, problems=report.problems,
                                  other=report.other, published=published)


def district_data(year: int) -> tuple[T.ReportData, list[tuple[Organization, T.ReportData,
                                                                 AnnualReport | None]]]:
    """Every active unit's figures (published ones frozen) and their sum."""
    reports = {r.org_id: r for r in AnnualReport.objects.filter(year=year)}
    rows = []
    for org in Organization.district_units().order_by("sort_order", "code"):
        rep = reports.get(org.pk)
        rows.append((org, state(org, year, rep).data, rep))
    return T.sum_reports([d for _, d, _ in rows], year=year), rows


# --- state changes -------------------------------------------------------------------------------


def _snap(report: AnnualReport) -> dict:
    return audit.snapshot(report, AUDIT_FIELDS)


@transaction.atomic
def open_report(*, actor, org: Organization, year: int) -> AnnualReport:
    """The unit's report for ``year``; a new draft is prefilled from the year's records."""
    require(can_edit(actor, org), "只能编制本单位的年度报告。")
    if not 2000 <= year <= timezone.localdate().year:
        raise ValidationError({"year": f"年度须在 2000 至 {timezone.localdate().year} 之间。"})
    # Lock the unit's row so two people opening the same report at once get one draft.
    Organization.objects.select_for_update().filter(pk=org.pk).first()
    existing = AnnualReport.objects.filter(org=org, year=year).first()
    if existing is not None:
        return existing
    previous = AnnualReport.objects.filter(org=org, year=year - 1).first()
    computed = sources.compute(org, year)
    facts = sources.year_facts(org, year)
    report = AnnualReport.objects.create(
        org=org, year=year,
        overview=sources.overview_text(org, year, facts, computed.data.section3),
        problems=(previous.problems if previous else ""),
        other=sources.other_text(facts, year),
    )
    audit.record(actor=actor, action="reports.open", target=report, org=org,
                 changes=audit.diff({}, _snap(report)), summary=f"新建{year}年度报告草稿")
    return report


def _editable(report: AnnualReport) -> None:
    if report.is_published:
        raise ValidationError("报告已发布，如需更正请先由审核人撤回为草稿。")


@transaction.atomic
def save_report(*, actor, report: AnnualReport, overview: str, problems: str, other: str,
                licensing, punishment, enforcement, fees, carry_note: str = ""
                ) -> AnnualReport:
    """Save the text sections and the unit's own section 二 figures (validated here too)."""
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    require(can_edit(actor, report.org), "只能编辑本单位的年度报告。")
    _editable(report)
    values = _section2_figures(licensing=licensing, punishment=punishment,
                               enforcement=enforcement, fees=fees)
    before = _snap(report)
    report.overview, report.problems, report.other = overview, problems, other
    report.carry_note = carry_note
    for name, value in values.items():
        setattr(report, name, value)
    report.save()
    audit.record(actor=actor, action="reports.save", target=report, org=report.org,
                 changes=audit.diff(before, _snap(report)), summary=f"{report.year}年度报告")
    return report


# --- documents for export (read-only) ------------------------------------------------------------


def unit_document(org: Organization, year: int) -> exports.ReportDocument:
    """The unit's report as it stands: published figures if published, else live figures;
    the text of its report, or the prefilled text when it has not started one."""
    report = AnnualReport.objects.filter(org=org, year=year).first()
    if report is not None:
        return document_for(report)
    st = state(org, year)
    facts = sources.year_facts(org, year)
    return exports.ReportDocument(
        data=st.data, org_name=org.name,
        overview=sources.overview_text(org, year, facts, st.data.section3),
        other=sources.other_text(facts, year),
        notes=["本单位尚未编制本年度报告，以上为系统根据业务记录生成的数据。"])


def district_document(year: int) -> exports.ReportDocument:
    total, rows = district_data(year)
    root = Organization.root()
    name = f"{root.name if root else '全区'}（全区汇总）"
    published = sum(1 for _, _, rep in rows if rep is not None and rep.is_published)
    t = {row: total.section3[row]["total"] for row in total.section3}
    overview = (f"{year}年度全区{len(rows)}个单位中，已有{published}个单位发布年度报告。"
                f"全区新收政府信息公开申请{t['1']}件，上年结转{t['2']}件，办结{t['3.7']}件，"
                f"结转下年度继续办理{t['4']}件。")
    return exports.ReportDocument(data=total, org_name=name, overview=overview,
                                  notes=["汇总表为各单位表格逐格相加；"
                                         "已发布的单位按发布时的数据计。"])


@transaction.atomic
def import_figures(*, actor, org: Organization, year: int, licensing, punishment, enforcement,
                   fees, source: str = "", check_permission: bool = True) -> AnnualReport:
    """Section 二 figures from another system (行政许可/处罚/强制 counts, 收费 万元), instead of
    typing them in; creates the draft when the unit has none. Published reports are left alone."""
    if check_permission:
        require(can_edit(actor, org), "只能导入本单位年度报告的数据。")
    if not 2000 <= year <= timezone.localdate().year:
        raise ValidationError({"year": f"年度须在 2000 至 {timezone.localdate().year} 之间。"})
    values = _section2_figures(licensing=licensing, punishment=punishment,
                               enforcement=enforcement, fees=fees)
    Organization.objects.select_for_update().filter(pk=org.pk).first()
    report = AnnualReport.objects.select_for_update().filter(org=org, year=year).first()
    created = report is None
    if created:
        computed = sources.compute(org, year)
        facts = sources.year_facts(org, year)
        report = AnnualReport(org=org, year=year, other=sources.other_text(facts, year),
                              overview=sources.overview_text(org, year, facts,
                                                             computed.data.section3))
    _editable(report)
    before = {} if created else _snap(report)
    for name, value in values.items():
        setattr(report, name, value)
    report.save()
    audit.record(actor=actor, action="reports.import_figures", target=report, org=org,
                 changes=audit.diff(before, _snap(report)),
                 summary=f"导入{year}年度主动公开数据" + (f"（{source[:80]}）" if source else ""))
    return report
