"""gongkai annual_report_figures FILE — section 二 figures entered elsewhere, as JSON Lines:

    {"org": "hyq-fgj", "year": 2025, "licensing": 126, "punishment": 0, "enforcement": 0,
     "fees": "1.25"}

(``fees`` in 万元). Each line fills the unit's draft report (created if missing); lines for
published reports, unknown units or bad values are reported on stderr with their number.
"""

from __future__ import annotations

import json
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser


def _fail(message: str) -> None:
    sys.stderr.write(f"error: {message}\n")
    sys.exit(2)


class Command(BaseCommand):
    help = "Import the annual report's section 二 figures (许可/处罚/强制 counts, 收费 万元)."

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.error = lambda message: _fail(message)  # type: ignore[method-assign]
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="JSON Lines file, or - for standard input")

    def handle(self, *args, **opts):
        from gongkai.core.models import Organization
        from gongkai.reports import services

        path = opts["file"]
        try:
            fh = sys.stdin if path == "-" else open(path, encoding="utf-8")
        except OSError as exc:
            _fail(f"cannot open {path}: {exc.strerror}")
        loaded, errors = 0, []
        with fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                    if not isinstance(row, dict):
                        raise ValueError("not a JSON object")
                    org = Organization.objects.filter(code=str(row.get("org", ""))).first()
                    if org is None:
                        raise ValueError(f"unknown unit {row.get('org')!r}")
                    year = int(row.get("year"))
                    services.import_figures(
                        actor=None, org=org, year=year, licensing=row.get("licensing", 0),
                        punishment=row.get("punishment", 0),
                        enforcement=row.get("enforcement", 0), fees=row.get("fees", 0),
                        source=f"{path}:{lineno}", check_permission=False)
                    loaded += 1
                except ValidationError as exc:
                    errors.append((lineno, "; ".join(exc.messages)))
                except (ValueError, TypeError) as exc:
                    errors.append((lineno, str(exc)))
        for lineno, message in errors:
            self.stderr.write(f"line {lineno}: {message}")
        self.stdout.write(f"imported {loaded} reports' figures, {len(errors)} lines with errors")
        if errors and not loaded:
            sys.exit(2)
