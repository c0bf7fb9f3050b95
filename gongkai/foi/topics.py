"""依申请公开 application subjects as a hot-topic source (``registry.topic_source``): the
name of the information asked for, never the applicant or their description."""

from __future__ import annotations


def subjects(start, end):
    from gongkai.foi.models import Application

    return Application.objects.filter(submitted_at__gte=start, submitted_at__lt=end
                                      ).values_list("subject", flat=True).iterator()
