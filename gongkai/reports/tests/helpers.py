"""Historical (imported) applications and appeal records for report tests."""

import datetime as dt

from gongkai.core.models import Organization
from gongkai.reports.tests.fixtures import APPLICATIONS


def add_application(org: Organization | None, ref: str, applicant_type: str,
                    received: dt.date | None, closed: dt.date | None, result: str = "",
                    addressee: Organization | None = None, prefix: str = "T"):
    from gongkai.foi.models import Application, Channel, Status

    year = (received or dt.date(2026, 1, 1)).year
    number = f"{prefix}-{org.code if org else addressee.code}-{ref}"
    return Application.objects.create(
        number=number, year=year, serial=Application.objects.count() + 1,
        addressee=addressee or org, org=org, applicant_type=applicant_type,
        applicant_name="历史申请人", subject=f"历史申请 {ref}", channel=Channel.IN_PERSON,
        received_date=received, closed_date=closed, result=result,
        status=Status.CLOSED if closed else (Status.PROCESSING if received
                                             else Status.SUBMITTED),
        imported=True,
    )


def load_fixture(org: Organization, prefix: str = "T") -> dict:
    """The three-year fixture of ``tests/fixtures.py`` for ``org``; returns ref → application."""
    return {ref: add_application(org, ref, a, r, c, res, prefix=prefix)
            for ref, a, r, c, res in APPLICATIONS}


def add_appeal(app, kind: str, filed: dt.date, outcome: str, concluded: dt.date | None = None):
    from gongkai.foi.models import AppealRecord

    return AppealRecord.objects.create(application=app, kind=kind, filed_date=filed,
                                       outcome=outcome, concluded_date=concluded)
