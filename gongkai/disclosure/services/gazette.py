"""政府公报 issues."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.core import audit
from gongkai.core.permissions import is_coordinator, require
from gongkai.disclosure.models import (
    GazetteIssue,
)


@transaction.atomic
def save_gazette_issue(*, actor, year: int, number: int, title: str = "",
                       published_on: dt.date | None = None, documents=(),
                       is_published: bool = True, check_permission: bool = True
                       ) -> GazetteIssue:
    if check_permission:
        require(is_coordinator(actor), "只有公开办协调员可以编辑政府公报。")
    docs = list(documents)
    if is_published and any(not d.is_public() for d in docs):
        raise ValidationError("公报只能刊载已主动公开的文件。")
    issue, created = GazetteIssue.objects.update_or_create(
        year=year, number=number,
        defaults={"title": title, "published_on": published_on, "is_published": is_published})
    issue.documents.set(docs)
    audit.record(actor=actor, action="xxgk.gazette.save", target=issue,
                 summary=f"{'新建' if created else '修改'}{issue}，{len(docs)} 件文件")
    return issue
