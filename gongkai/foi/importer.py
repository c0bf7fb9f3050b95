"""Load historical applications from JSON Lines (``gongkai foi import FILE``).

One object per line::

    {"number", "org", "applicant": {"type", "name", "id_number" | "credit_code"},
     "received", "channel", "subject", "closed", "result"}

``org`` is a unit code, ``applicant.type`` one of ApplicantType, ``result`` an annual report
row code (3.1 … 3.6.3) or null while open. A bad line is reported with its number and
skipped; good lines load.
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.core import audit
from gongkai.core.calendar import get_calendar
from gongkai.core.models import Organization
from gongkai.core.validators import credit_code_valid, id_card_valid
from gongkai.foi import clock, crypto
from gongkai.foi.models import RESULT_CODES, ApplicantType, Application, Channel, Status


class RowError(ValueError):
    pass


def _date(row: dict, key: str, required: bool) -> dt.date | None:
    value = row.get(key)
    if value in (None, ""):
        if required:
            raise RowError(f"missing {key!r}")
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise RowError(f"{key!r} is not a date (YYYY-MM-DD): {value!r}")


def parse_row(row) -> dict:
    if not isinstance(row, dict):
        raise RowError("line is not a JSON object")
    number = str(row.get("number") or "").strip()
    if not number:
        raise RowError("missing 'number'")
    if len(number) > 64:
        raise RowError("'number' is longer than 64 characters")
    org = Organization.objects.filter(code=str(row.get("org") or "")).first()
    if org is None:
        raise RowError(f"unknown org {row.get('org')!r}")
    applicant = row.get("applicant")
    if not isinstance(applicant, dict):
        raise RowError("missing 'applicant' object")
    kind = applicant.get("type")
    if kind not in ApplicantType.values:
        raise RowError(f"unknown applicant.type {kind!r} (use one of "
                       f"{', '.join(ApplicantType.values)})")
    name = str(applicant.get("name") or "").strip()
    if not name:
        raise RowError("missing applicant.name")
    id_number = crypto.normalise(str(applicant.get("id_number") or ""))
    credit = crypto.normalise(str(applicant.get("credit_code") or ""))
    if id_number and credit:
        raise RowError("give applicant.id_number or applicant.credit_code, not both")
    if kind == ApplicantType.NATURAL_PERSON:
        if credit:
            raise RowError("a natural_person has an id_number, not a credit_code")
        if len(id_number) == 18 and not id_card_valid(id_number):
            raise RowError("applicant.id_number fails the 居民身份证 checksum")
    else:
        if id_number:
            raise RowError("an organisation has a credit_code, not an id_number")
        if credit and not credit_code_valid(credit):
            raise RowError("applicant.credit_code fails the 统一社会信用代码 checksum")
    received = _date(row, "received", True)
    closed = _date(row, "closed", False)
    channel = row.get("channel") or Channel.IN_PERSON
    if channel not in Channel.values:
        raise RowError(f"unknown channel {channel!r} (use one of {', '.join(Channel.values)})")
    subject = str(row.get("subject") or "").strip()
    if not subject:
        raise RowError("missing 'subject'")
    result = row.get("result")
    if result is not None:
        result = str(result)
        if result not in RESULT_CODES:
            raise RowError(f"unknown result {result!r}")
    if (result is None) != (closed is None):
        raise RowError("'closed' and 'result' go together: both set, or both null while open")
    if closed and closed < received:
        raise RowError("'closed' is before 'received'")
    if Application.objects.filter(number=number).exists():
        raise RowError(f"application {number!r} already exists")
    return {"number": number, "org": org, "type": kind, "name": name[:100],
            "id": id_number or credit, "received": received, "closed": closed,
            "channel": channel, "subject": subject[:300], "result": result}


@transaction.atomic
def import_application(*, actor, data: dict) -> Application:
    app = Application(
        number=data["number"], year=data["received"].year, serial=0,
        tracking_code_hash=crypto.tracking_hash(crypto.new_tracking_code()),
        addressee=data["org"], org=data["org"], applicant_type=data["type"],
        applicant_name=data["name"], channel=data["channel"], received_date=data["received"],
        subject=data["subject"], imported=True)
    if data["type"] == ApplicantType.NATURAL_PERSON and data["id"]:
        app.id_type = "id_card" if len(data["id"]) == 18 else "other"
    app.set_id_number(data["id"])
    if data["result"]:
        app.status, app.result, app.closed_date = Status.CLOSED, data["result"], data["closed"]
        result = clock.compute(clock.ClockInput(received=data["received"]), get_calendar())
        app.apply_clock(result)
    else:
        app.status = Status.PROCESSING
        app.apply_clock(app.compute_clock(get_calendar()))
    app.save()
    app.events.create(date=data["received"], kind="received", text="收到申请（历史数据导入）。")
    if data["closed"]:
        app.events.create(date=data["closed"], kind="answered",
                          text=f"作出答复：{app.result_display()}。")
    audit.record(actor=actor, action="foi.import", target=app, org=app.org,
                 changes=audit.diff({}, audit.snapshot(app, ["status", "result",
                                                             "received_date", "closed_date"])),
                 summary="导入历史申请")
    return app


def import_lines(lines, actor=None) -> tuple[int, list[tuple[int, str]]]:
    loaded, errors = 0, []
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = parse_row(json.loads(line))
            import_application(actor=actor, data=data)
            loaded += 1
        except json.JSONDecodeError as exc:
            errors.append((lineno, f"invalid JSON: {exc.msg}"))
        except (RowError, ValidationError) as exc:
            errors.append((lineno, str(exc)))
    return loaded, errors
