"""Django's flush, made to work with the append-only audit log on SQLite.

Flushing wipes the whole database (tests between cases, a developer resetting a demo).
On PostgreSQL flush uses TRUNCATE, which row triggers do not see; on SQLite it uses
DELETE, which the audit log's triggers refuse — so they are lifted for the flush only.
"""

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections

SQLITE_TRIGGERS = {
    "core_auditentry_no_update": "BEFORE UPDATE",
    "core_auditentry_no_delete": "BEFORE DELETE",
}


class Command(DjangoFlush):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        with connection.cursor() as cursor:
            present = {row[0] for row in cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'")}
            for name in SQLITE_TRIGGERS:
                if name in present:
                    cursor.execute(f"DROP TRIGGER {name}")
        try:
            return super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                for name, when in SQLITE_TRIGGERS.items():
                    if name in present:
                        cursor.execute(
                            f"CREATE TRIGGER IF NOT EXISTS {name} {when} ON core_auditentry "
                            "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END"
                        )
