"""gongkai workdays add DATE N | count FROM TO | mark DATE holiday|workday [--name NAME]
| import-notice FILE (the State Council's 部分节假日安排的通知; - reads standard input)"""

import datetime as dt
import sys

from django.core.management.base import BaseCommand, CommandParser

from gongkai.core import services
from gongkai.core.calendar import get_calendar
from gongkai.core.workdays import CalendarError


def _fail(message: str) -> None:
    sys.stderr.write(f"error: {message}\n")
    sys.exit(2)


def _date(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        _fail(f"invalid date {raw!r}: use YYYY-MM-DD")


def _int(raw: str) -> int:
    try:
        n = int(raw)
    except ValueError:
        _fail(f"invalid number {raw!r}: use a whole number of working days")
    if n < 0:
        _fail(f"invalid number {raw!r}: must not be negative")
    return n


class Command(BaseCommand):
    help = "Working-day arithmetic with the calendar in force (holidays and 调休 included)."

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # argparse exits 2 on bad usage: keep that, but with one line.
        parser.error = lambda message: _fail(message)  # type: ignore[method-assign]
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        a = sub.add_parser("add", help="the Nth working day after DATE (DATE not counted)")
        a.add_argument("date")
        a.add_argument("n")
        c = sub.add_parser("count", help="working days d with FROM < d <= TO")
        c.add_argument("start")
        c.add_argument("end")
        m = sub.add_parser("mark", help="record DATE as a holiday or a workday")
        m.add_argument("date")
        m.add_argument("kind", choices=["holiday", "workday"])
        m.add_argument("--name", default="")
        i = sub.add_parser("import-notice",
                           help="set a year from the State Council's holiday notice (text file)")
        i.add_argument("file")
        for p in (a, c, m, i):
            p.error = lambda message: _fail(message)  # type: ignore[method-assign]

    def handle(self, *args, **opts):
        cal = get_calendar()
        action = opts["action"]
        if action == "add":
            start, n = _date(opts["date"]), _int(opts["n"])
            try:
                result = cal.add(start, n)
            except CalendarError as exc:
                _fail(str(exc))
            self._warn(cal.warnings(start, result))
            self.stdout.write(result.isoformat())
        elif action == "count":
            start, end = _date(opts["start"]), _date(opts["end"])
            try:
                result = cal.count(start, end)
            except CalendarError as exc:
                _fail(str(exc))
            self._warn(cal.warnings(start, end))
            self.stdout.write(str(result))
        elif action == "import-notice":
            self._import(opts["file"])
        else:
            day = _date(opts["date"])
            services.mark_calendar_day(actor=None, date=day, is_workday=opts["kind"] == "workday",
                                       name=opts["name"], check_permission=False)
            self.stdout.write(f"{day.isoformat()} {opts['kind']}")

    def _import(self, path: str) -> None:
        from gongkai.core.calendar_services import import_holiday_notice
        from gongkai.core.holiday_notice import NoticeError

        try:
            if path == "-":
                text = sys.stdin.read()
            else:
                with open(path, encoding="utf-8-sig") as fh:
                    text = fh.read()
        except (OSError, UnicodeDecodeError) as exc:
            _fail(f"cannot read {path!r}: {exc}")
        try:
            notice = import_holiday_notice(actor=None, text=text, check_permission=False)
        except NoticeError as exc:
            _fail(str(exc))
        self.stdout.write(f"{notice.source}")
        for line in notice.lines():
            self.stdout.write(line)
        self.stdout.write(f"{notice.year}年：放假{len(notice.holidays)}天，"
                          f"调休上班{len(notice.workdays)}天，已声明录入完毕。")

    def _warn(self, warnings: list[str]) -> None:
        for w in warnings:
            self.stderr.write(f"warning: {w}")
