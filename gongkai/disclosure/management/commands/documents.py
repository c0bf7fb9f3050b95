"""gongkai documents import FILE [--format gongkai|laws|ncp] [--org CODE]
gongkai documents publish|withdraw EXTERNAL_ID --user REVIEWER [--reason TEXT]"""

from __future__ import annotations

import sys
import time

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from gongkai.core.models import Organization
from gongkai.disclosure import importer, services
from gongkai.disclosure.models import Document


class Command(BaseCommand):
    help = "Import documents (JSON Lines, .gz accepted); upsert by external_id."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["import", "publish-due", "publish-sweep", "publish",
                                                      "withdraw"])
        parser.add_argument("file", nargs="?", metavar="FILE|EXTERNAL_ID")
        parser.add_argument("--user", help="publish/withdraw: the reviewer acting (user name); "
                            "the same permission checks and audit entry as the workbench")
        parser.add_argument("--revision", default="",
                            help="publish: only if the text is still this revision (the hash on "
                                 "the review page, full or its first 12 characters); default: "
                                 "the revision the command reads, locked while it publishes")
        parser.add_argument("--reason", default="",
                            help="withdraw: why (required); publish: why a flagged personal "
                                 "detail or a missing 解读 is acceptable")
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
        if opts["action"] in ("publish", "withdraw"):
            self._review(opts["action"], opts["file"], opts["user"], opts["reason"],
                         opts["revision"])
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

    def _review(self, action, external_id, username, reason, revision=""):
        """Scripted 发布/撤回 through the workbench's services: 先审后发, permissions, audit."""
        if not external_id:
            raise CommandError(f"documents {action}: EXTERNAL_ID is required", returncode=2)
        if not username:
            raise CommandError(f"documents {action}: --user is required (the reviewer acting)",
                               returncode=2)
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}", returncode=2)
        doc = Document.objects.filter(external_id=external_id).first()
        if doc is None:
            raise CommandError(f"no document with external_id {external_id!r}", returncode=2)
        try:
            if action == "publish":
                # 先审后发 binds the approval to a revision: the one the operator names, or the
                # text as read now (publish_document locks the row and refuses if it changed).
                current = services.document_revision(doc)
                if revision and (len(revision) < 12 or not current.startswith(revision)):
                    raise ValidationError(f"文件内容已改变：当前版本 {current[:12]}，"
                                          f"不是您指定的 {revision[:12]}。")
                doc = services.publish_document(actor=user, document=doc, privacy_reason=reason,
                                                sync_reason=reason, revision=current)
            else:
                doc = services.withdraw_document(actor=user, document=doc, reason=reason)
        except (ValidationError, PermissionDenied) as exc:
            msg = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            raise CommandError(f"cannot {action} {external_id}: {msg}", returncode=2) from None
        self.stdout.write(f"{external_id}: {doc.get_status_display()} "
                          f"({doc.index_number or 'no index number'}) {doc.title}")

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
