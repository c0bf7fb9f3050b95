"""12345 hand-off: work orders in and out as JSON Lines or CSV.

Schema (one object per line, or one CSV row with these headers; UTF-8):

  order_number  12345工单号 (required; kept, and a second import of the same number is skipped)
  received      date received, YYYY-MM-DD (required)
  kind          咨询|建议|投诉|求助 or consult|suggest|complain|help (required)
  subject       主题 (required, ≤100 chars)
  body          诉求内容 (required, ≤5000 chars)
  name, phone, email, address   the caller (name and phone or email required)
  unit          suggested unit code (e.g. hyq-fgj), optional
  consent       none|anonymous|named (default none)

Export adds: number (信件编号), status, unit (主办单位代码), due_date, answered_date,
reply (the sent reply text), rating. Contact details are not exported.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator

from django.core.exceptions import ValidationError

from gongkai.core.models import Organization
from gongkai.interaction import services
from gongkai.interaction.models import Kind, Message, Source

KIND_NAMES = {label: value for value, label in Kind.choices}
IMPORT_FIELDS = ["order_number", "received", "kind", "subject", "body", "name", "phone",
                 "email", "address", "unit", "consent"]
EXPORT_FIELDS = ["order_number", "number", "received", "kind", "subject", "status", "unit",
                 "due_date", "answered_date", "reply", "rating"]


class LineError(ValueError):
    pass


def read(stream: io.TextIOBase, fmt: str) -> Iterator[tuple[int, dict]]:
    if fmt == "csv":
        for n, row in enumerate(csv.DictReader(stream), start=2):
            yield n, row
        return
    for n, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield n, {"_error": f"不是有效的JSON（{exc.msg}）"}
            continue
        yield n, obj if isinstance(obj, dict) else {"_error": "该行不是JSON对象"}


def to_record(row: dict) -> dict:
    if "_error" in row:
        raise LineError(row["_error"])
    order = str(row.get("order_number") or "").strip()
    if not order:
        raise LineError("缺少12345工单号（order_number）")
    try:
        received = dt.date.fromisoformat(str(row.get("received") or "").strip())
    except ValueError as exc:
        raise LineError("收到日期（received）须为YYYY-MM-DD格式的日期") from exc
    kind = str(row.get("kind") or "").strip()
    kind = KIND_NAMES.get(kind, kind)
    return {"order_number": order[:64], "received": received,
            "data": {"kind": kind, "subject": str(row.get("subject") or ""),
                     "body": str(row.get("body") or ""), "name": str(row.get("name") or ""),
                     "phone": str(row.get("phone") or ""), "email": str(row.get("email") or ""),
                     "address": str(row.get("address") or ""),
                     "consent": str(row.get("consent") or "none")},
            "unit": str(row.get("unit") or "").strip()}


def import_orders(stream, fmt: str, actor=None) -> tuple[int, int, list[str]]:
    """Returns (created, skipped duplicates, errors as '第N行：message'); each order becomes a
    待分办 message in its own transaction, audited with ``actor`` (None from the CLI)."""
    created = skipped = 0
    errors: list[str] = []
    for n, row in read(stream, fmt):
        try:
            rec = to_record(row)
            if Message.objects.filter(hotline_number=rec["order_number"]).exists():
                skipped += 1
                continue
            unit = None
            if rec["unit"]:
                unit = Organization.objects.filter(code=rec["unit"]).first()
                if unit is None:
                    raise LineError(f"单位代码“{rec['unit']}”不存在")
            services.submit_message(data=rec["data"], source=Source.HOTLINE,
                                    received=rec["received"],
                                    hotline_number=rec["order_number"], suggested_org=unit,
                                    actor=actor)
            created += 1
        except LineError as exc:
            errors.append(f"第{n}行：{exc}")
        except ValidationError as exc:
            errors.append(f"第{n}行：" + "；".join(exc.messages))
    return created, skipped, errors


def export_rows(qs: Iterable[Message]) -> Iterator[dict]:
    for m in qs:
        reply = m.sent_replies().last()
        yield {"order_number": m.hotline_number, "number": m.number,
               "received": m.received_date.isoformat(), "kind": m.kind, "subject": m.subject,
               "status": m.status, "unit": m.org.code if m.org else "",
               "due_date": m.due_date.isoformat() if m.due_date else "",
               "answered_date": m.answered_date.isoformat() if m.answered_date else "",
               "reply": reply.text if reply else "", "rating": m.rating}


def write(rows: Iterable[dict], out, fmt: str) -> int:
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS)
        writer.writeheader()
    for row in rows:
        if fmt == "csv":
            writer.writerow(row)
        else:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count
