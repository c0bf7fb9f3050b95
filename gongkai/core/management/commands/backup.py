"""gongkai backup FILE: database rows + media + manifest with checksums, one archive."""

import sys

from django.core.management.base import BaseCommand

from gongkai.core.backup import BackupError, write_backup


class Command(BaseCommand):
    help = "Write one consistent backup archive (database rows, media files, manifest)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="archive to create, e.g. gongkai-2026-12-06.tar.gz")

    def handle(self, *args, **opts):
        from gongkai.core import audit

        try:
            manifest = write_backup(opts["file"])
        except BackupError as exc:
            self.stderr.write(f"error: {exc}")
            sys.exit(2)
        rows = sum(t["rows"] for t in manifest["tables"].values())
        # Who took a copy of everyone's personal data is on record (after the snapshot,
        # so this entry itself is not in the archive).
        audit.record(actor=None, action="core.backup",
                     changes={"rows": rows, "media": len(manifest["media"])},
                     summary=f"写出备份：{rows}行数据、{len(manifest['media'])}个文件",
                     target_label=str(opts["file"])[-300:])
        self.stdout.write(f"wrote {opts['file']}: {len(manifest['tables'])} tables, "
                          f"{rows} rows, {len(manifest['media'])} media files")
