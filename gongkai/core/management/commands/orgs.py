"""gongkai orgs import FILE — load an organization tree from JSON Lines.

Each line: {"code", "name", "parent", "kind", "credit_code"}; parent is a code
(defined earlier in the file or already in the database) or null. Optional:
"administration" (local | branch | vertical), "review_body" (行政复议机关) and "court"
(管辖法院); a branch or vertically managed unit must give both bodies.
"""

import gzip
import json
import sys

from django.core.management.base import BaseCommand

from gongkai.core import remedies, services
from gongkai.core.models import Organization, OrgKind
from gongkai.core.validators import credit_code_valid


class Command(BaseCommand):
    help = "Import organizations from JSON Lines (.gz accepted)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import")
        imp.add_argument("file")
        sub.add_parser("list")

    def handle(self, *args, **opts):
        if opts["action"] == "list":
            for org in Organization.objects.select_related("parent"):
                self.stdout.write(f"{org.code}\t{org.name}\t{org.kind}\t"
                                  f"{org.parent.code if org.parent else ''}")
            return
        path = opts["file"]
        opener = gzip.open if path.endswith(".gz") else open
        try:
            fh = opener(path, "rt", encoding="utf-8")
        except OSError as exc:
            self.stderr.write(f"error: cannot open {path}: {exc}")
            sys.exit(2)
        loaded = errors = 0
        kinds = set(OrgKind.values)
        with fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                    code, name = row["code"], row["name"]
                    kind = row.get("kind") or OrgKind.DEPARTMENT
                    if kind not in kinds:
                        raise ValueError(f"unknown kind {kind!r} (use one of {sorted(kinds)})")
                    parent = None
                    if row.get("parent"):
                        parent = Organization.objects.filter(code=row["parent"]).first()
                        if parent is None:
                            raise ValueError(f"unknown parent {row['parent']!r}")
                    credit = (row.get("credit_code") or "").strip().upper()
                    if credit and not credit_code_valid(credit):
                        raise ValueError(f"invalid credit_code {credit!r}")
                    admin = row.get("administration") or remedies.LOCAL
                    if admin not in dict(remedies.ADMINISTRATION_CHOICES):
                        raise ValueError(f"unknown administration {admin!r} "
                                         "(use local, branch or vertical)")
                    review = (row.get("review_body") or "").strip()
                    court = (row.get("court") or "").strip()
                    if admin != remedies.LOCAL and not (review and court):
                        raise ValueError(f"{admin} unit needs review_body and court")
                    # Only fields the line gives: re-importing a plain tree keeps the
                    # bodies set in the admin.
                    given = {k: v for k, v in (("administration", admin),
                                               ("review_body", review), ("court", court))
                             if k in row}
                    services.upsert_organization(actor=None, code=code, name=name, kind=kind,
                                                 parent=parent, credit_code=credit, **given)
                    loaded += 1
                except (KeyError, ValueError, TypeError) as exc:
                    errors += 1
                    what = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
                    self.stderr.write(f"line {lineno}: {what}")
        self.stdout.write(f"imported {loaded} organizations, {errors} lines with errors")
        if errors and not loaded:
            sys.exit(1)
