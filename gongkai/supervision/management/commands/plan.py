"""gongkai plan import FILE [--year YYYY] — read a work plan (TXT or DOCX) into the 台账."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser


def _fail(message: str) -> None:
    sys.stderr.write(f"error: {message}\n")
    sys.exit(2)


class Command(BaseCommand):
    help = "Import a work plan (工作要点, TXT or DOCX) into the supervision ledger."

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.error = lambda message: _fail(message)  # type: ignore[method-assign]
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["import"])
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--year", type=int, help="the plan's year if the text lacks it")

    def handle(self, *args, **opts):
        from gongkai.supervision import services
        from gongkai.supervision.services.plan import plan_text

        path = Path(opts["file"])
        if not path.is_file():
            _fail(f"no such file: {path}")
        try:
            text = plan_text(path.read_bytes(), path.name)
            plan = services.import_plan(actor=None, text=text, source_name=path.name,
                                        year=opts["year"], check_permission=False)
        except ValidationError as exc:
            _fail("; ".join(exc.messages))
        tasks = plan.tasks.count()
        units = len({a for t in plan.tasks.all() for a in t.assignments.values_list(
            "org_id", flat=True)})
        self.stdout.write(f"imported {plan.title}: {tasks} tasks, {units} units")
        for name in plan.unresolved:
            self.stdout.write(f"unmatched unit name (map it on the workbench): {name}")
