"""Consultation comments as a hot-topic source (``registry.topic_source``): the text of
every comment received in the period that moderation has not hidden; never the writer's
name or contact details."""

from __future__ import annotations


def comments(start, end):
    from gongkai.participation.models import Opinion

    return Opinion.objects.filter(received_at__gte=start, received_at__lt=end,
                                  hidden_reason="").values_list("body", flat=True).iterator()
