"""gongkai hotline import|export — 12345 work orders as JSON Lines or CSV (see
gongkai/interaction/hotline.py for the schema)."""

import sys

from django.core.management.base import BaseCommand, CommandError

from gongkai.interaction import hotline
from gongkai.interaction.models import Message


class Command(BaseCommand):
    help = "Import or export 12345 work orders (JSON Lines or CSV)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["import", "export"])
        parser.add_argument("path", help="file to read or write; - for stdin/stdout")
        parser.add_argument("--format", choices=["jsonl", "csv"], default=None,
                            help="default: from the file extension (.csv), else jsonl")
        parser.add_argument("--all", action="store_true",
                            help="export every message, not only 12345 orders")

    def handle(self, *args, action, path, format=None, all=False, **opts):
        fmt = format or ("csv" if path.endswith(".csv") else "jsonl")
        if action == "import":
            try:
                stream = sys.stdin if path == "-" else open(
                    path, encoding="utf-8-sig", newline="")
            except OSError as exc:
                raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
            with stream:
                created, skipped, errors = hotline.import_orders(stream, fmt)
            for e in errors:
                self.stderr.write(e)
            self.stdout.write(f"imported {created}, skipped {skipped} already imported, "
                              f"{len(errors)} errors")
            if errors and not created:
                raise CommandError("nothing imported")
            return
        qs = Message.objects.select_related("org").order_by("pk")
        if not all:
            qs = qs.exclude(hotline_number="")
        rows = hotline.export_rows(qs)
        if path == "-":
            n = hotline.write(rows, self.stdout, fmt)
        else:
            with open(path, "w", encoding="utf-8", newline="") as out:
                n = hotline.write(rows, out, fmt)
        self.stderr.write(f"exported {n} orders")
