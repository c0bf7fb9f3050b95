"""gongkai foi due-date | fee | import | remind | purge-personal-data."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import sys

from django.core.management.base import BaseCommand

from gongkai.foi import clock, fees


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"invalid date {value!r} (use YYYY-MM-DD)")


class Command(BaseCommand):
    help = "依申请公开: deadlines, fees, import of historical applications, reminders."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        due = sub.add_parser("due-date", help="compute the correction and answer due dates")
        due.add_argument("--received", required=True)
        due.add_argument("--pause", nargs=2, action="append", default=[],
                         metavar=("START", "END"))
        due.add_argument("--extension", type=int)
        due.add_argument("--json", action="store_true")
        fee = sub.add_parser("fee", help="信息处理费 in yuan")
        group = fee.add_mutually_exclusive_group(required=True)
        group.add_argument("--nth", type=int, help="the applicant's K-th application in a month")
        group.add_argument("--pages", type=int, help="pages of one application")
        imp = sub.add_parser("import", help="load historical applications from JSON Lines")
        imp.add_argument("file")
        rem = sub.add_parser("remind", help="e-mail reminders for applications due soon")
        rem.add_argument("--today")
        pur = sub.add_parser("purge-personal-data",
                             help="anonymise applicants of applications closed more than N "
                                  "years ago (dry run unless --apply)")
        pur.add_argument("--years", type=int,
                         help="retention in years (default GONGKAI_FOI_PERSONAL_DATA_YEARS)")
        pur.add_argument("--apply", action="store_true", help="really anonymise")

    def fail(self, message: str):
        self.stderr.write(f"error: {message}")
        sys.exit(2)

    def handle(self, *args, **opts):
        action = opts["action"]
        if action == "due-date":
            return self.due_date(opts)
        if action == "fee":
            return self.fee(opts)
        if action == "import":
            return self.import_file(opts)
        if action == "remind":
            return self.remind(opts)
        if action == "purge-personal-data":
            return self.purge(opts)

    def due_date(self, opts):
        from gongkai.core.calendar import get_calendar

        try:
            received = _date(opts["received"])
            pauses = tuple(clock.Pause(clock.PAUSE_CONSULT_THIRD_PARTY, _date(a), _date(b))
                           for a, b in opts["pause"])
            ext = None
            if opts["extension"] is not None:
                ext = clock.Extension(days=opts["extension"], approved_on=received)
            result = clock.compute(clock.ClockInput(received=received, pauses=pauses,
                                                    extension=ext), get_calendar())
        except clock.ClockError as exc:
            self.fail(exc.english)
        except ValueError as exc:
            self.fail(str(exc))
        if opts["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
            return
        data = result.as_json()
        for key in ("received", "correction_notice_due", "answer_due"):
            self.stdout.write(f"{key}: {data[key]}")
        for line in result.explanation():
            self.stdout.write(f"  {line}")
        for w in result.warnings:
            self.stdout.write(f"warning: {w}")

    def fee(self, opts):
        try:
            if opts["nth"] is not None:
                amount = fees.fee(method=fees.PER_ITEM, nth=opts["nth"])
            else:
                amount = fees.fee(method=fees.PER_PAGE, pages=opts["pages"])
        except fees.FeeError:
            self.fail("--nth must be a positive integer" if opts["nth"] is not None
                      else "--pages must not be negative")
        self.stdout.write(fees.yuan(amount))

    def import_file(self, opts):
        from gongkai.foi.importer import import_lines

        path = opts["file"]
        try:
            if path.endswith(".gz"):
                fh = gzip.open(path, "rt", encoding="utf-8")
            else:
                fh = open(path, encoding="utf-8")
        except OSError as exc:
            self.fail(f"cannot open {path}: {exc.strerror}")
        with fh:
            loaded, errors = import_lines(fh)
        for lineno, message in errors:
            self.stderr.write(f"line {lineno}: {message}")
        self.stdout.write(f"imported {loaded} applications, {len(errors)} lines with errors")
        if errors and not loaded:
            sys.exit(1)

    def remind(self, opts):
        from gongkai.foi.reminders import send_reminders

        today = None
        if opts.get("today"):
            try:
                today = _date(opts["today"])
            except ValueError as exc:
                self.fail(str(exc))
        sent = send_reminders(today=today)
        self.stdout.write(f"sent {sent} reminder e-mails")

    def purge(self, opts):
        from django.core.exceptions import ValidationError

        from gongkai.foi.privacy_services import purge_personal_data

        try:
            result = purge_personal_data(years=opts["years"], apply=opts["apply"])
        except ValidationError:
            self.fail("--years must be at least 1")
        for number in result.numbers:
            self.stdout.write(f"  {number}")
        if result.applied:
            self.stdout.write(f"anonymised {len(result.numbers)} applications closed before "
                              f"{result.cutoff}")
        else:
            self.stdout.write(f"dry run: {len(result.numbers)} applications closed before "
                              f"{result.cutoff} would be anonymised (add --apply)")
