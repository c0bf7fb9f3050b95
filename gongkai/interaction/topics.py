"""Hot topics, free of the ORM: count the words of a period's texts (messages, 一号答
questions, FOI subjects…), drop stop words, and compare with the previous period."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from gongkai.disclosure import privacy

# Words every 区长信箱 letter uses; they say nothing about the topic.
DOMAIN_STOPWORDS = frozenset("""
问题 咨询 建议 投诉 求助 请问 你好 您好 领导 区长 政府 部门 相关 情况 希望 反映 解决 处理
谢谢 感谢 一下 这个 那个 什么 怎么 如何 是否 可以 能否 没有 现在 目前 已经 进行 关于 我们
我 你 他 她 它 的 了 是 在 和 与 及 或 有 都 也 就 还 要 会 能 请 对 把 被 从 到 为
""".split())


@dataclass(frozen=True)
class Topic:
    term: str
    count: int  # texts of the period mentioning it
    previous: int  # texts of the previous period mentioning it
    rising: bool
    # (source label, texts of the period mentioning it), most first
    sources: tuple[tuple[str, int], ...] = field(default=())

    @property
    def change(self) -> int:
        return self.count - self.previous


_DIGITS = re.compile(r"\d")


def scrub(text: str) -> str:
    """The text without personal data (ID, mobile, bank card numbers, e-mail addresses):
    they never become terms, whatever a source let through."""
    text = text or ""
    hits = privacy.scan(text, ())
    for h in sorted(hits, key=lambda h: -h.start):
        text = text[:h.start] + " " + text[h.end:]
    return text


def document_terms(text: str, cut, stop: frozenset[str]) -> set[str]:
    """The distinct meaningful words of one text (a word counts once per text)."""
    out = set()
    for w in cut(scrub(text)):
        w = w.strip().lower()
        if len(w) < 2 or w in stop or w in DOMAIN_STOPWORDS or w.isdigit():
            continue
        if "@" in w or len(_DIGITS.findall(w)) >= 5:  # numbers of any kind say nothing
            continue
        out.add(w)
    return out


def count_terms(texts: Iterable[str], cut, stop: frozenset[str]) -> Counter:
    counts: Counter = Counter()
    for t in texts:
        counts.update(document_terms(t, cut, stop))
    return counts


def hot_topics(current: Iterable[str], previous: Iterable[str], cut, stop=frozenset(),
               limit: int = 20, min_count: int = 2) -> list[Topic]:
    """Terms of the current period by how many texts mention them; ``rising`` when at least
    twice as many texts mention them as in the previous period (and at least 2 more)."""
    now = count_terms(current, cut, stop)
    before = count_terms(previous, cut, stop)
    topics = [Topic(term, n, before.get(term, 0),
                    n >= 2 * before.get(term, 0) and n - before.get(term, 0) >= 2)
              for term, n in now.items() if n >= min_count]
    topics.sort(key=lambda t: (-t.count, -t.change, t.term))
    return topics[:limit]


def hot_topics_by_source(current: Mapping[str, Iterable[str]],
                         previous: Iterable[str], cut, stop=frozenset(), limit: int = 20,
                         min_count: int = 2) -> list[Topic]:
    """Like ``hot_topics`` over the texts of several sources ({label: texts}); each topic
    says how many texts of each source mention it."""
    per_source = {label: count_terms(texts, cut, stop) for label, texts in current.items()}
    total: Counter = Counter()
    for counts in per_source.values():
        total.update(counts)
    before = count_terms(previous, cut, stop)
    topics = []
    for term, n in total.items():
        if n < min_count:
            continue
        prev = before.get(term, 0)
        by_source = sorted(((label, c[term]) for label, c in per_source.items() if c[term]),
                           key=lambda x: (-x[1], x[0]))
        topics.append(Topic(term, n, prev, n >= 2 * prev and n - prev >= 2,
                            tuple(by_source)))
    topics.sort(key=lambda t: (-t.count, -t.change, t.term))
    return topics[:limit]


def rising(topics: list[Topic]) -> list[Topic]:
    return sorted((t for t in topics if t.rising), key=lambda t: (-t.change, t.term))
