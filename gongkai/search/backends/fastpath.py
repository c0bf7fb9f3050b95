"""The fast path of a search: common words ranked from their top lists (impact-ordered
postings), with a proof that the page is the exact best, or an approximate page that says
so, or a reason it declined (then the engine ranks every match)."""

from __future__ import annotations

import itertools
import math

from gongkai.search import impact
from gongkai.search.backends.part import BackendPart
from gongkai.search.backends.types import _NARROWING


class FastPath(BackendPart):
    """The top-list ranking of a ``QueryCompiler``; its verdicts are per search."""

    fast_declined = ""  # why this search's page did not come from the lists ("": it did)
    fast_approximate = False  # this search's page is approximate (see _fast_page)

    # -- the fast path: common words ranked from their top lists ----------------------------

    def _fast_page(self, q, mode: str, where: str, params: list, limit: int,
                   offset: int, keep: int = 0) -> list[tuple] | None:
        """The page from candidates (top lists of the listed words, every match of the
        others), or None when that cannot be shown exact: then the engine ranks every match.

        Every candidate gets an upper bound on its score (a listed word it is not listed
        under counts at that list's bound; an unlisted word at the most it can weigh); the
        best by bound are scored exactly. The page stands when its last score beats both
        the bound of every candidate not scored and the bound of every entry that is no
        candidate (no unlisted word, and below every list's bound).

        ``keep``: the page runs on to the ``keep``-th of the candidates already scored
        (exact scores, best first) when that is past ``offset + limit``: more candidates
        for the re-ranker (rerank.py), neither proven nor looked for; only the page the
        visitor asked for is proven, as without them."""
        need = offset + limit
        terms = q.required
        self.fast_approximate = False
        if need > self.fast_window or not terms or limit <= 0:
            return self._declined("deep page")
        if any(mark in where for mark in _NARROWING):
            return self._declined("filter")  # few list entries would pass: the filtered path
        if not self.supports_lists:
            return self._declined("no lists")
        with self.cursor() as cur:
            lowest_avgdl = self._lists_state(cur)
            if lowest_avgdl is None:
                return self._declined("lists unusable")
            n, avg = self._stats(cur)
            # An impact written when entries were shorter on average weighs up to
            # avg / lowest more now (BM25's length norm); nothing else moves it.
            slack = self.bound_slack * max(1.0, avg / lowest_avgdl)
            dfs = self._dfs(cur, terms)
            if mode == "or" and self.or_drops_common:
                # Words in most entries neither match nor weigh here (see the backend).
                terms = [t for t in terms if dfs.get(t, 0) < n / 2] or terms
            lists = impact.read(cur, terms, self.fast_depth)
            unlisted = [t for t in terms if t not in lists]
            if not lists:
                return self._declined("no listed word")
            if mode == "and" and (unlisted or min(dfs.get(t, 0) for t in terms)
                                  < self.fast_and_min_df):
                # The rarest word bounds the matches: the engine ranks them cheaply.
                return self._declined("and: few matches")
            if sum(dfs.get(t, 0) for t in unlisted) > self.fast_or_budget:
                return self._declined("or: unlisted words too common")
            idf = {t: self.idf(dfs.get(t, 0), n) for t in terms}
            ub: dict[int, float] = {}
            if unlisted:
                ub.update(self._unlisted_bounds(cur, unlisted, idf))
            # Every entry starts at the lists' bounds (it may hold each listed word up to
            # its bound); an entry a list names gets its impact instead.
            outside = sum(idf[t] * bound for t, (_entries, bound) in lists.items())
            for entry_id in ub:
                ub[entry_id] += outside
            for term, (entries, bound) in lists.items():
                weight = idf[term]
                for entry_id, value in entries:
                    ub[entry_id] = ub.get(entry_id, outside) + weight * (value - bound)
            ranked = sorted(ub.items(), key=lambda kv: (-kv[1], -kv[0]))
            r = max(self.fast_rescore, 4 * need)
            head, rest = ranked[:r], ranked[r:]
            # Stored impacts used the average length of their day (and PostgreSQL reads
            # term frequencies back approximately): bounds get a margin.
            next_bound = slack * max(outside, rest[0][1] if rest else 0.0)
            and_ids: set[int] = set()
            if mode == "or":
                and_ids = set(self._and_ids(cur, q, where, params, self.min_and_hits))
            ids = sorted({i for i, _ in head} | and_ids)
            rows = self._score_ids(cur, q, mode, ids, where, params, and_ids)
            if mode != "or":  # "has every word" only orders OR pages (in AND mode all do)
                rows = [(*r[:-1], False) for r in rows]
            verdict = self._verdict(rows, need, next_bound)
            if verdict == "bound" and all(idf[t] <= self.idf_floor for t in terms):
                # Every word is in most entries and the engine weighs it (all but) zero:
                # any order is as good by BM25; the lists' order (BM25 at the average
                # length they were written with) stands.
                self.fast_approximate = True
                verdict = ""
            if verdict == "bound" and len(terms) == 1 and not unlisted:
                # One word: its score is idf x impact, and the list holds every entry whose
                # impact is above its floor, best first. A page the bound cannot prove is
                # one whose last score ties the floor (equal entries: at 1M, a title
                # shared by hundreds), or is within the margin for the average length's
                # drift since the impacts were written: taken as it is (approximate).
                self.fast_approximate = True
                verdict = ""
            if verdict == "bound" and mode == "and" and self.approximate_and:
                # Enough candidates hold every word, but the bound cannot prove that none
                # outside them scores higher: the backend's full ranking would be no
                # better than approximate itself (see approximate_and).
                self.fast_approximate = True
                verdict = ""
            if verdict == "bound" and mode == "or":
                # Threshold from the pages' best so far: words that together cannot reach
                # it need not match (MaxScore); every entry with any other word is ranked.
                found = self._essential_round(cur, q, where, params, and_ids, rows, need,
                                              terms, dfs, idf, lists, slack)
                if found is not None:
                    rows, verdict = found, ""
                elif (self.fast_declined == "or: essential words too common"
                      and self.approximate_or and not self._verdict(rows, need, -math.inf)):
                    # The essential words match too many entries to rank (at 1M, a long
                    # question of common words: ranking every match took seconds): the
                    # page from the lists' candidates, each scored exactly.
                    self.fast_approximate = True
                    verdict = ""
                else:
                    verdict = self.fast_declined
                if not verdict and self.fast_approximate:
                    rows = self._with_rare_pairs(cur, q, where, params, rows, dfs, and_ids)
        if verdict:
            return self._declined(verdict)
        self.fast_declined = ""
        rows.sort(key=lambda r: (bool(r[-1]), r[-2], r[0]), reverse=True)
        return rows[offset:max(need, keep)]

    @staticmethod
    def _verdict(rows: list[tuple], need: int, bound: float) -> str:
        """"" when the best ``need`` of ``rows`` are the true best (nothing else can score
        above ``bound``), else why not."""
        rows.sort(key=lambda r: (bool(r[-1]), r[-2], r[0]), reverse=True)
        if len(rows) < need:
            return "too few candidates"
        plain = [row for row in rows if not row[-1]]
        allm = len(rows) - len(plain)
        if need > allm and not plain[need - allm - 1][-2] > bound:
            return "bound"
        return ""

    def _declined(self, reason: str) -> None:
        """Why the last search could not use the lists (for profiling and the benchmark)."""
        self.fast_declined = reason
        return None

    def _essential_round(self, cur, q, where, params, and_ids, rows, need, terms, dfs, idf,
                         lists, slack):
        """OR pages the lists could not prove: MaxScore. ``theta`` (the page's last score so
        far) is a floor of the true one. Words whose greatest possible weights add up below
        it are non-essential: an entry holding only those cannot make the page. Entries
        with an essential word are ranked by their essential words' exact score plus what
        the lists say of the others; a word's weight in an entry its list does not name is
        left out (at most that list's bound), so the page is approximate — measured against
        ranking every match in bench/search_agreement.py."""
        plain = [r for r in rows if not r[-1]]
        allm = len(rows) - len(plain)
        theta = plain[need - allm - 1][-2]
        k1 = impact.K1
        most = {t: idf[t] * slack * (lists[t][0][0][1] if t in lists and lists[t][0]
                                      else k1 + 1) for t in terms}
        order = sorted(terms, key=lambda t: most[t])
        rest_sum, cut = 0.0, 0
        while cut < len(order) and rest_sum + most[order[cut]] < theta:
            rest_sum += most[order[cut]]
            cut += 1
        essential, optional = order[cut:], order[:cut]
        if sum(dfs.get(t, 0) for t in essential) > self.fast_essential_budget:
            return self._declined("or: essential words too common")
        scores = dict(self._unlisted_bounds(cur, essential, idf))
        if not self.approximate_or:
            seen = {r[0] for r in rows}
            ranked = sorted(((i, p + rest_sum) for i, p in scores.items() if i not in seen),
                            key=lambda kv: (-kv[1], -kv[0]))
            r = max(self.fast_rescore, 4 * need)
            head, tail = ranked[:r], ranked[r:]
            more = self._score_ids(cur, q, "or", [i for i, _ in head], where, params, and_ids)
            verdict = self._verdict(rows + more, need, slack * max(
                rest_sum, tail[0][1] if tail else 0.0))
            return self._declined("or: " + verdict) if verdict else rows + more
        for term in optional:
            if term in lists:
                weight = idf[term]
                for entry_id, value in lists[term][0]:
                    if entry_id in scores:
                        scores[entry_id] += weight * value
        # Entries already scored exactly keep their exact score.
        exact = {r[0]: r for r in rows}
        ranked = sorted(scores.items(), key=lambda kv: (kv[0] in and_ids, kv[1], kv[0]),
                        reverse=True)
        want = max(self.rescore_or, 3 * need)
        top = [i for i, _ in ranked[:want]]
        if self.rescore_or:
            # Those the first round scored exactly are not scored again (on PostgreSQL each
            # score reads a tsvector).
            found = self._score_ids(cur, q, "or", [i for i in top if i not in exact], where,
                                    params, and_ids)
            found += [exact[i] for i in top if i in exact]
        else:
            found = [(*r, scores[r[0]], r[0] in and_ids)
                     for r in self._rows_for(cur, [i for i in top if i not in exact], where,
                                             params)]
            found += [exact[i] for i in top if i in exact]
        merged = {r[0]: r for r in [*rows, *found]}
        out = list(merged.values())
        if self._verdict(out, need, float("-inf")):
            return self._declined("or: too few candidates")
        self.fast_approximate = True
        return out

    def _with_rare_pairs(self, cur, q, where, params, rows, dfs, and_ids) -> list[tuple]:
        """An approximate OR page (a question of common words) also gets the best entries
        holding two of its rarest words together, scored exactly. The lists name the
        entries where *one* word weighs most; the entries a long question means hold most
        of its words, none of them outstandingly — at 1M the copies of a question's own
        answer (12 of its 14 words) were in no list, and the page missed all ten."""
        if not self.rare_pair_best:
            return rows
        n, _avg = self._stats(cur)
        words = sorted((t for t in q.required if 0 < dfs.get(t, 0) <= self.rare_share * n),
                       key=lambda t: (dfs[t], t))[:self.rare_words]
        if len(words) < 3:
            return rows  # one pair of every word: the AND search (mode "or": too few)
        seen = {r[0] for r in rows}
        ids: set[int] = set()
        for pair in itertools.combinations(words, 2):
            ids.update(self._pair_best(cur, pair, where, params, self.rare_pair_best))
        ids -= seen
        if not ids:
            return rows
        return rows + self._score_ids(cur, q, "or", sorted(ids), where, params, and_ids)
