"""gongkai documents import FILE [--format gongkai|laws|ncp] [--org CODE]"""

from __future__ import annotations

import sys
import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from gongkai.core.models import Organization
from gongkai.disclosure import importer, services


class Command(BaseCommand):
    help = "Import documents (JSON Lines, .gz accepted); upsert by external_id."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["import", "publish-due", "publish-sweep"])
        parser.add_argument("file", nargs="?")
        parser.add_argument("--format", choices=importer.FORMATS, default="gongkai")
        parser.add_argument("--org", help="unit code of the publisher (default: the root unit)")
        parser.add_argument("--limit", type=int, default=0, help="stop after N good lines")
        parser.add_argument("--quiet", action="store_true", help="no progress output")

    def handle(self, *args, **opts):
        if opts["action"] == "publish-due":
            n = services.publish_due()
            self.stdout.write(f"published {n} scheduled document(s)")
            return
        if opts["action"] == "publish-sweep":
            from gongkai.disclosure import publishing

            n = publishing.sweep()
            self.stdout.write(f"purged the published pages of {n} recent change(s)")
            return
        if not opts["file"]:
            raise CommandError("documents import: FILE is required", returncode=2)
        org = None
        if opts["org"]:
            org = Organization.objects.filter(code=opts["org"]).first()
            if org is None:
                raise CommandError(f"unknown unit code {opts['org']!r}", returncode=2)
        elif opts["format"] != "laws":
            org = Organization.root()
            if org is None:
                raise CommandError("no root unit: run `gongkai orgs import` or `gongkai demo` "
                                   "first", returncode=2)
        try:
            lines = importer.open_lines(opts["file"])
            stats = self._run(lines, opts["format"], org, opts["limit"], opts["quiet"])
        except FileNotFoundError:
            raise CommandError(f"no such file: {opts['file']}", returncode=2) from None
        except (OSError, UnicodeDecodeError, EOFError) as exc:
            raise CommandError(f"cannot read {opts['file']}: {exc}", returncode=2) from None
        summary = ", ".join(f"{k} {v}" for k, v in stats.items())
        self.stdout.write(f"imported {opts['file']}: {summary}")
        if stats["bad"]:
            sys.exit(2)

    def _run(self, lines, fmt, org, limit, quiet):
        stats = {"created": 0, "updated": 0, "unchanged": 0, "superseded": 0, "history": 0,
                 "bad": 0}
        tty = not quiet and hasattr(sys.stderr, "isatty") and sys.stderr.isatty()
        started, good = time.monotonic(), 0
        for number, line in lines:
            try:
                record = importer.read_line(fmt, line)
                if fmt == "laws":
                    _, outcome = services.import_regulation_version(actor=None, **record)
                    outcome = "created" if outcome == "created" else outcome
                else:
                    _, outcome = services.import_record(actor=None, record=record,
                                                        default_org=org)
            except (importer.LineError, ValidationError) as exc:
                stats["bad"] += 1
                msg = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                self.stderr.write(f"line {number}: {msg}")
                continue
            stats[outcome] = stats.get(outcome, 0) + 1
            good += 1
            if tty and good % 25 == 0:
                rate = good / max(time.monotonic() - started, 0.001)
                sys.stderr.write(f"\r{good} lines imported ({rate:.0f}/s)…")
                sys.stderr.flush()
            if limit and good >= limit:
                break
        if tty and good >= 25:
            sys.stderr.write("\n")
        return stats
