"""gongkai search: query the public index (documents and 政策解读), run a file of queries, or
rebuild the index.

    gongkai search "QUERY" [--limit N] [--json]
    gongkai search --queries FILE [--limit N] [--json]   # one JSON list a line, in order
    gongkai search reindex

Without --json, a single QUERY that finds nothing (or only some of its words) is followed by
a 您是不是要找：… line when a corrected query would find it (gongkai/search/suggest.py).
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from gongkai.search.backends import get_backend


def _results(backend, query: str, limit: int) -> list[dict]:
    return _hits(backend.search(query, limit=limit, facets=False))


def _hits(res) -> list[dict]:
    return [{"id": h.object_id, "external_id": h.external_id or None, "title": h.title,
             "score": round(h.score, 6), "url": h.url} for h in res.hits]


class Command(BaseCommand):
    help = "Search what the public can see, run a file of queries, or `reindex`."

    def add_arguments(self, parser):
        parser.add_argument("query", nargs="?", help='the query, or "reindex"')
        parser.add_argument("--queries", metavar="FILE",
                            help="a file with one query a line ('-' for stdin)")
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--workers", type=int, default=None,
                            help="reindex: processes segmenting entries while one writes "
                                 "(default: one per CPU core, up to 4, from 2,000 documents "
                                 "and interpretations; 0: none)")

    def handle(self, *args, query=None, queries=None, limit=10, json=False, workers=None,
               **options):
        as_json = json
        if limit < 1 or limit > 1000:
            raise CommandError("--limit must be between 1 and 1000", returncode=2)
        if query == "reindex" and not queries:
            from gongkai.search.indexing import reindex_all

            if workers is not None and not 0 <= workers <= 64:
                raise CommandError("--workers must be between 0 and 64", returncode=2)
            counts = reindex_all(workers=workers)
            self.stdout.write(f"reindexed {counts['document']} documents and "
                              f"{counts['interpretation']} interpretations")
            return
        try:
            backend = get_backend()
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2)
        if queries:
            if query:
                raise CommandError("give either a QUERY or --queries FILE, not both",
                                   returncode=2)
            try:
                fh = sys.stdin if queries == "-" else open(queries, encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"cannot read {queries}: {exc.strerror}", returncode=2)
            with fh:
                for line in fh:
                    hits = _results(backend, line.strip(), limit) if line.strip() else []
                    self._emit(hits, as_json)
            return
        if not query or not query.strip():
            raise CommandError('give a QUERY, --queries FILE, or "reindex"', returncode=2)
        res = backend.search(query, limit=limit, facets=False)
        self._emit(_hits(res), as_json)
        if not as_json and (res.total == 0 or res.mode == "or"):
            suggestion = backend.suggest(query, scan=None if res.total == 0 else False)
            if suggestion is not None:
                self.stdout.write(f"您是不是要找：{suggestion.text}")

    def _emit(self, hits: list[dict], as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(hits, ensure_ascii=False))
            return
        if not hits:
            self.stdout.write("(no results)")
        for i, h in enumerate(hits, start=1):
            self.stdout.write(f"{i:>3}. {h['score']:>8.3f}  {h['title']}  {h['url']}")
