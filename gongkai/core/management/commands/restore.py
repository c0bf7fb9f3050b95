"""gongkai restore FILE: into an empty database and an empty media folder only."""

import sys

from django.core.management.base import BaseCommand

from gongkai.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = ("Restore a `gongkai backup` archive into an empty database and media folder "
            "(checksums verified first; the search index is rebuilt).")

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **opts):
        try:
            report = restore_backup(opts["file"])
        except BackupError as exc:
            self.stderr.write(f"error: {exc}")
            sys.exit(2)
        self.stdout.write(f"restored {sum(report.rows.values())} rows in {len(report.rows)} "
                          f"tables and {report.media_files} media files; search index: "
                          + ", ".join(f"{k} {v}" for k, v in report.indexed.items()))
