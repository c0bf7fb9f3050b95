"""gongkai annual-report --org CODE|--all --year YYYY --format json|html|docx|xlsx|pdf [-o FILE]"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from gongkai.reports.exports import FORMATS, render


def _fail(message: str) -> None:
    sys.stderr.write(f"error: {message}\n")
    sys.exit(2)


class Command(BaseCommand):
    help = ("The statutory annual report (2021 format) of one unit, or the sum over every "
            "unit with --all, as JSON, HTML, DOCX, XLSX or PDF.")

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.error = lambda message: _fail(message)  # type: ignore[method-assign]
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--org", metavar="CODE", help="unit code, e.g. hyq-fgj")
        who.add_argument("--all", action="store_true", help="the sum over every unit")
        parser.add_argument("--year", required=True, metavar="YYYY")
        parser.add_argument("--format", default="json", metavar="FORMAT",
                            help="json (default), html, docx, xlsx or pdf")
        parser.add_argument("-o", "--output", metavar="FILE",
                            help="write to FILE instead of standard output")

    def handle(self, *args, **opts):
        from gongkai.core.models import Organization
        from gongkai.core.pdf import FontNotFound
        from gongkai.reports import services

        fmt = (opts["format"] or "").lower()
        if fmt not in FORMATS:
            _fail(f"invalid format {opts['format']!r}: use one of {', '.join(FORMATS)}")
        try:
            year = int(opts["year"])
        except ValueError:
            _fail(f"invalid year {opts['year']!r}: use four digits, e.g. 2025")
        this_year = timezone.localdate().year
        if not 2000 <= year <= this_year:
            _fail(f"invalid year {year}: use a year from 2000 to {this_year}")
        if opts["all"]:
            doc = services.district_document(year)
        else:
            org = Organization.objects.filter(code=opts["org"]).first()
            if org is None:
                _fail(f"unknown unit {opts['org']!r}")
            doc = services.unit_document(org, year)
        try:
            data = render(doc, fmt)
        except FontNotFound as exc:
            _fail(str(exc))
        if opts["output"]:
            path = Path(opts["output"])
            try:
                path.write_bytes(data)
            except OSError as exc:
                _fail(f"cannot write {path}: {exc.strerror or exc}")
            return
        if fmt in ("docx", "xlsx", "pdf") and sys.stdout.isatty():
            _fail(f"{fmt} is binary: use -o FILE or redirect standard output")
        out = getattr(self.stdout, "_out", sys.stdout)
        out.flush()
        buffer = getattr(out, "buffer", None)
        if buffer is not None:
            buffer.write(data)
            buffer.flush()
        else:
            out.write(data.decode("utf-8", errors="replace"))
