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


def fixture_lines(org: Organization, prefix: str = "T") -> list[str]:
    """The three-year fixture as ``gongkai foi import`` JSON Lines (K, never received, is
    not importable and is left out)."""
    import json

    lines = []
    for ref, kind, received, closed, result in APPLICATIONS:
        if received is None:
            continue
        lines.append(json.dumps({
            "number": f"{prefix}-{org.code}-{ref}", "org": org.code,
            "applicant": {"type": kind, "name": f"申请人{ref}"},
            "received": received.isoformat(), "channel": "in_person",
            "subject": f"历史申请 {ref}", "closed": closed.isoformat() if closed else None,
            "result": result or None}, ensure_ascii=False))
    return lines


def load_fixture(org: Organization, prefix: str = "T") -> dict:
    """Import the fixture of ``tests/fixtures.py`` for ``org`` through ``gongkai foi import``
    (plus K, an online submission never confirmed as received); returns ref → application."""
    import io
    import tempfile

    from django.core.management import call_command

    from gongkai.foi.models import Application

    lines = fixture_lines(org, prefix)
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
        fh.flush()
        out = io.StringIO()
        call_command("foi", "import", fh.name, stdout=out, stderr=out)
    assert f"imported {len(lines)} applications, 0 lines with errors" in out.getvalue(), (
        out.getvalue())
    apps = {ref: Application.objects.get(number=f"{prefix}-{org.code}-{ref}")
            for ref, _, received, _, _ in APPLICATIONS if received is not None}
    apps["K"] = add_application(org, "K", "commercial", None, None, prefix=prefix)
    return apps


def add_appeal(app, kind: str, filed: dt.date, outcome: str, concluded: dt.date | None = None):
    from gongkai.foi.models import AppealRecord

    return AppealRecord.objects.create(application=app, kind=kind, filed_date=filed,
                                       outcome=outcome, concluded_date=concluded)
