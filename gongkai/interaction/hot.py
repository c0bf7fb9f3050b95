"""The week's and month's hot topics from every registered topic source
(``registry.topic_source``): 区长信箱 messages and 一号答 questions from this app, and
whatever other apps register (公众参与 comments, 依申请公开 application subjects…)."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from gongkai.core import registry
from gongkai.interaction import topics

log = logging.getLogger(__name__)


def _local_day(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


def message_texts(start: dt.datetime, end: dt.datetime):
    """Subjects and bodies of the 区长信箱 messages received in [start, end) (never the
    writer's name or contact details, which live in encrypted fields)."""
    from gongkai.interaction.models import Message

    qs = Message.objects.filter(received_date__gte=_local_day(start),
                                received_date__lt=_local_day(end))
    for subject, body in qs.values_list("subject", "body").iterator():
        yield f"{subject} {body}"


def qa_texts(start: dt.datetime, end: dt.datetime):
    """一号答 questions written in [start, end)."""
    from gongkai.interaction.models import QAEntry

    yield from QAEntry.objects.filter(created_at__gte=start, created_at__lt=end
                                      ).values_list("question", flat=True).iterator()


def period(on: dt.date, days: int) -> tuple[dt.datetime, dt.datetime]:
    """The ``days`` days ending with ``on`` (inclusive), as aware datetimes [start, end)."""
    end = timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time()))
    return end - dt.timedelta(days=days), end


def _texts(texts, start, end, key) -> list[str]:
    try:
        return [t for t in texts(start, end) if t]
    except Exception:  # one broken source must not take the dashboard down
        log.exception("topic source %s failed", key)
        return []


def term_sources(term: str, on: dt.date, days: int) -> list[tuple[str, int]]:
    """[(source label, texts of the ``days`` days ending ``on`` that mention ``term``)],
    most first: counts only, never the texts (whose writers may be named in them)."""
    term = (term or "").strip().lower()
    if not term:
        return []
    start, end = period(on, days)
    counts: dict[str, int] = {}
    for key, (label, texts) in sorted(registry.topic_sources().items()):
        n = sum(term in t.lower() for t in _texts(texts, start, end, key))
        if n:
            counts[label] = counts.get(label, 0) + n
    return sorted(counts.items(), key=lambda x: (-x[1], x[0]))


def hot(on: dt.date, days: int, limit: int = 15) -> list[topics.Topic]:
    """Hot topics of the ``days`` days ending ``on``, compared with the period before, with
    the count of texts per source for each topic."""
    from gongkai.search.segmenters import get_segmenter, stopwords

    start, end = period(on, days)
    before = start - dt.timedelta(days=days)
    current: dict[str, list[str]] = {}
    previous: list[str] = []
    for key, (label, texts) in sorted(registry.topic_sources().items()):
        current.setdefault(label, []).extend(_texts(texts, start, end, key))
        previous += _texts(texts, before, start, key)
    return topics.hot_topics_by_source(current, previous, get_segmenter().words, stopwords(),
                                       limit=limit)
