"""Reads the platform's records into the plain structures of ``tables`` (no state changes).

An application belongs to the report of its handling unit (``Application.org``), or of the
unit it was addressed to while no handling unit is set.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from gongkai.core.models import Organization
from gongkai.reports import tables as T


def _applications(org: Organization):
    from gongkai.foi.models import Application

    return Application.objects.filter(Q(org=org) | Q(org__isnull=True, addressee=org))


def app_records(org: Organization, year: int) -> list[T.AppRecord]:
    """Every application of ``org`` that can appear in ``year``'s section 三."""
    end = dt.date(year, 12, 31)
    start = dt.date(year, 1, 1)
    relevant = (
        Q(received_date__lte=end) & (Q(closed_date__isnull=True) | Q(closed_date__gte=start))
        | Q(received_date__range=(start, end))
        | Q(closed_date__range=(start, end))  # closed without being received: an anomaly
    )
    qs = (_applications(org).filter(received_date__isnull=False).filter(relevant)
          .values_list("applicant_type", "received_date", "closed_date", "result", "number"))
    return [T.AppRecord(a, r, c, res or "", num) for a, r, c, res, num in qs]


def appeal_records(org: Organization, year: int) -> list[T.AppealRecord]:
    from gongkai.foi.models import AppealRecord

    qs = (AppealRecord.objects.filter(application__in=_applications(org),
                                      filed_date__lte=dt.date(year, 12, 31))
          .values_list("kind", "filed_date", "outcome", "concluded_date",
                       "application__number"))
    return [T.AppealRecord(k, f, o, c, n) for k, f, o, c, n in qs]


def regulatory_counts(org: Organization, year: int) -> dict[str, dict[str, int]]:
    from gongkai.disclosure.services import regulatory_counts as counts

    return counts(org, year)


@dataclass
class Computed:
    data: T.ReportData
    section3: T.Section3


def compute(org: Organization, year: int, *, entered: dict | None = None) -> Computed:
    """Live figures of ``org`` for ``year``; ``entered`` = the unit's own section 二 numbers."""
    s3 = T.compute_section3(app_records(org, year), year)
    s2 = T.Section2()
    for doc_type, row in regulatory_counts(org, year).items():
        if doc_type in s2.docs:
            s2.docs[doc_type].update(
                {k: int(v) for k, v in row.items() if k in s2.docs[doc_type]})
    if entered:
        s2.licensing = int(entered.get("licensing", 0))
        s2.punishment = int(entered.get("punishment", 0))
        s2.enforcement = int(entered.get("enforcement", 0))
        s2.fees = Decimal(entered.get("fees", 0))
    data = T.ReportData(org=org.code, year=year, org_name=org.name, section2=s2,
                        section3=s3.table,
                        section4=T.compute_section4(appeal_records(org, year), year))
    return Computed(data, s3)


def application_rows(org: Organization, numbers) -> list[dict]:
    """The applications named in a reconciliation message, for display."""
    from gongkai.foi.models import Application

    rows = []
    for app in (Application.objects.filter(number__in=list(numbers))
                .order_by("received_date", "number")):
        rows.append({"number": app.number, "type": app.get_applicant_type_display(),
                     "received": app.received_date, "closed": app.closed_date,
                     "result": app.result_display(), "pk": app.pk,
                     "org_ok": app.org_id in (None, org.pk)})
    return rows


# --- text prefills -------------------------------------------------------------------------------


def year_facts(org: Organization, year: int) -> dict:
    """What 一、总体情况 and 六 are prefilled from."""
    from gongkai.disclosure.models import Document, Interpretation
    from gongkai.disclosure.models import Status as DocStatus
    from gongkai.foi.models import Consultation

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    docs = Document.objects.public().filter(org=org, published_at__date__range=(start, end))
    per_node = list(docs.values("node__name").annotate(n=Count("id")).order_by("-n",
                                                                                "node__name"))
    interpretations = Interpretation.objects.filter(
        org=org, status=DocStatus.PUBLISHED, published_at__date__range=(start, end)).count()
    apps = _applications(org)
    consultations = Consultation.objects.filter(application__in=apps,
                                                sent_date__range=(start, end)).count()
    paid = apps.filter(fee_paid_date__range=(start, end), fee_amount__gt=0)
    fee = paid.aggregate(s=Sum("fee_amount"))["s"] or Decimal("0")
    return {
        "documents": docs.count(),
        "per_node": [(row["node__name"] or "未归入栏目", row["n"]) for row in per_node],
        "interpretations": interpretations,
        "consultations": consultations,
        "fee_total": Decimal(fee),
        "fee_count": paid.count(),
    }


def overview_text(org: Organization, year: int, facts: dict, table: dict) -> str:
    nodes = "、".join(f"{name}{n}条" for name, n in facts["per_node"])
    t = {row: table[row]["total"] for row in table}
    parts = [
        f"{year}年，{org.name}认真贯彻落实《中华人民共和国政府信息公开条例》，"
        f"现将本年度政府信息公开工作情况报告如下。",
        f"（一）主动公开。全年主动公开政府信息{facts['documents']}条"
        + (f"，其中{nodes}" if nodes else "")
        + f"；发布政策解读{facts['interpretations']}篇。",
        f"（二）依申请公开。全年新收政府信息公开申请{t['1']}件，上年结转{t['2']}件，"
        f"办结{t['3.7']}件，结转下年度继续办理{t['4']}件；办理中征求第三方或其他机关意见"
        f"{facts['consultations']}次。",
        "（三）政府信息管理。（请补充）",
        "（四）政府信息公开平台建设。（请补充）",
        "（五）监督保障。（请补充）",
    ]
    return "\n".join(parts)


def other_text(facts: dict, year: int) -> str:
    if facts["fee_count"]:
        return (f"{year}年度，本机关依据《政府信息公开信息处理费管理办法》收取信息处理费"
                f"{facts['fee_count']}件，共计{facts['fee_total']:.2f}元。")
    return f"{year}年度，本机关未收取信息处理费。"
