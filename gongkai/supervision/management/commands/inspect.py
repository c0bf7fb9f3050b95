"""gongkai inspect [URL] — crawl the portal, record findings, re-check open ones."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = ("Inspect the public site (19号 indicators): stale and blank columns, broken links, "
            "personal data, dictionary words, slow pages; re-check open findings.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url", nargs="?", help="start address (default GONGKAI_BASE_URL)")
        parser.add_argument("--max-pages", type=int, default=None)

    def handle(self, *args, **opts):
        from gongkai.supervision import inspect

        extra = {"max_pages": opts["max_pages"]} if opts["max_pages"] else {}
        run = inspect.run(actor=None, base_url=opts["url"] or None, **extra)
        self.stdout.write(f"{run.pages} pages: {run.opened} new findings, {run.closed} closed, "
                          f"{run.escalated} escalated")
