"""Demo data: historical applications of two units over 2023-2025 (imported records), appeals,
and their annual reports — 2024 published for both, 2025 published for 发改局 and waiting for
review at 财政局. Idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

D = dt.date

# (ref, applicant type, received, closed, result, fee paid (元, date) or None)
APPLICATIONS = {
    "hyq-fgj": [
        ("F01", "natural_person", D(2023, 11, 20), D(2024, 1, 8), "3.1", None),
        ("F02", "commercial", D(2023, 12, 25), D(2024, 2, 10), "3.2", None),
        ("F03", "natural_person", D(2024, 3, 5), D(2024, 3, 28), "3.1",
         (Decimal("200.00"), D(2024, 3, 20))),
        ("F04", "natural_person", D(2024, 4, 10), D(2024, 5, 6), "3.4.1", None),
        ("F05", "research", D(2024, 6, 18), D(2024, 7, 10), "3.3.4", None),
        ("F06", "legal_service", D(2024, 9, 2), D(2024, 9, 25), "3.5.3", None),
        ("F07", "natural_person", D(2024, 12, 16), D(2025, 1, 13), "3.1", None),
        ("F08", "commercial", D(2024, 12, 23), D(2025, 1, 20), "3.6.2", None),
        ("F09", "natural_person", D(2025, 3, 3), D(2025, 3, 27), "3.2", None),
        ("F10", "other_org", D(2025, 8, 11), D(2025, 8, 29), "3.4.2", None),
        ("F11", "natural_person", D(2025, 12, 22), D(2026, 1, 15), "3.1", None),
        ("F12", "social_welfare", D(2025, 12, 29), None, "", None),
    ],
    "hyq-czj": [
        ("C01", "natural_person", D(2024, 2, 2), D(2024, 2, 27), "3.1", None),
        ("C02", "natural_person", D(2024, 12, 30), D(2025, 1, 22), "3.3.6", None),
        ("C03", "commercial", D(2025, 5, 6), D(2025, 5, 30), "3.1", None),
    ],
}
# (application ref, kind, filed, outcome, concluded)
APPEALS = [
    ("F05", "review", D(2024, 8, 1), "upheld", D(2024, 10, 15)),
    ("F05", "litigation_after_review", D(2024, 11, 1), "pending", None),
    ("F04", "litigation", D(2025, 2, 10), "corrected", D(2025, 6, 30)),
]
# (unit, year, entered figures, editor, reviewer, publish?)
REPORTS = [
    ("hyq-fgj", 2024, {"licensing": 126, "punishment": 0, "enforcement": 0, "fees": "0"},
     "fgj_xxy", "fgj_shr", True),
    ("hyq-czj", 2024, {"licensing": 0, "punishment": 3, "enforcement": 1, "fees": "12.5"},
     "czj_xxy", "czj_shr", True),
    ("hyq-fgj", 2025, {"licensing": 98, "punishment": 0, "enforcement": 0, "fees": "0"},
     "fgj_xxy", "fgj_shr", True),
    ("hyq-czj", 2025, {"licensing": 0, "punishment": 2, "enforcement": 0, "fees": "11.8"},
     "czj_xxy", "czj_shr", False),
]
# Who records the appeals of each unit's applications (demo staff of core.demo).
HANDLERS = {"hyq-fgj": "fgj_xxy", "hyq-czj": "czj_xxy"}
PROBLEMS = ("一是政策解读形式还不够丰富；二是依申请公开答复文书的规范性有待提高。"
            "下一步将加强业务培训，提升答复质量。")


def number(code: str, ref: str) -> str:
    return f"历史导入-{code}-{ref}"


def _applications(users: dict) -> int:
    """Historical applications through the FOI importer; appeals through the FOI service."""
    from gongkai.core.models import Organization
    from gongkai.foi.importer import import_application, parse_row
    from gongkai.foi.models import AppealRecord, Application, FeeMethod
    from gongkai.foi.services import record_appeal

    added = 0
    by_ref = {}
    for code, rows in APPLICATIONS.items():
        org = Organization.objects.get(code=code)
        for ref, kind, received, closed, result, fee in rows:
            num = number(code, ref)
            app = Application.objects.filter(number=num).first()
            if app is None:
                app = import_application(actor=None, data=parse_row({
                    "number": num, "org": code,
                    "applicant": {"type": kind, "name": f"历史申请人{ref}"},
                    "received": received.isoformat(), "channel": "in_person",
                    "subject": f"{org.short_name or org.name}历史申请（{ref}）",
                    "closed": closed.isoformat() if closed else None,
                    "result": result or None}))
                if fee:
                    # The importer has no fee fields: the fee paid is historical data too.
                    Application.objects.filter(pk=app.pk).update(
                        fee_method=FeeMethod.PER_PAGE, fee_amount=fee[0], fee_paid_date=fee[1])
                added += 1
            by_ref[ref] = app
    for ref, kind, filed, outcome, concluded in APPEALS:
        app = by_ref[ref]
        actor = users.get(HANDLERS.get(app.org.code, ""))
        if actor is None or AppealRecord.objects.filter(application=app, kind=kind,
                                                        filed_date=filed).exists():
            continue
        record_appeal(actor=actor, application=app, kind=kind, filed_date=filed,
                      outcome=outcome, concluded_date=concluded,
                      body="济南市槐荫区人民政府" if kind == "review" else "济南市槐荫区人民法院")
    return added


def load(stdout, quick: bool = False) -> None:
    from django.contrib.auth import get_user_model

    from gongkai.core.models import Organization
    from gongkai.reports import review, services
    from gongkai.reports.models import AnnualReport

    users = {u.username: u for u in get_user_model().objects.filter(
        username__in={r[3] for r in REPORTS} | {r[4] for r in REPORTS})}
    added = _applications(users)
    made = 0
    for code, year, figures, editor_name, reviewer_name, publish in REPORTS:
        editor, reviewer = users.get(editor_name), users.get(reviewer_name)
        if editor is None or reviewer is None:
            stdout.write(f"  年度报告：缺少演示账号 {editor_name}/{reviewer_name}，跳过")
            continue
        org = Organization.objects.get(code=code)
        if AnnualReport.objects.filter(org=org, year=year).exists():
            continue
        report = services.open_report(actor=editor, org=org, year=year)
        report = services.save_report(actor=editor, report=report, overview=report.overview,
                                      problems=PROBLEMS, other=report.other,
                                      carry_note="", **figures)
        report = review.submit_report(actor=editor, report=report)
        if publish:
            report = review.approve_report(actor=reviewer, report=report)
            report = review.publish_report(actor=reviewer, report=report)
        made += 1
    stdout.write(f"  年度报告：历史申请 {added} 件，年度报告 {made} 份")
