"""法规库: official texts and their versions."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.core import audit
from gongkai.disclosure import textdiff
from gongkai.disclosure.models import (
    Regulation,
    RegulationVersion,
)


@transaction.atomic
def import_regulation_version(*, actor, title: str, collection: str = "",
                              date: dt.date | None = None, header: str = "", body: str = "",
                              external_id: str | None = None, source_path: str = ""
                              ) -> tuple[RegulationVersion, str]:
    """Add an official text. A later text of the same title supersedes the current copy,
    which stays as history. Returns (version, outcome) with outcome one of
    ``created`` / ``superseded`` / ``history`` / ``unchanged``."""
    title = (title or "").strip()
    if not title:
        raise ValidationError("法规名称不能为空。")
    reg, _ = Regulation.objects.get_or_create(title=title, defaults={"collection": collection})
    if external_id:
        existing = RegulationVersion.objects.filter(external_id=external_id).first()
        if existing is not None:
            existing.header, existing.body, existing.date = header, body, date
            existing.source_path = source_path
            existing.save()
            audit.record(actor=actor, action="xxgk.regulation.update", target=reg,
                         summary=f"更新法规文本（{date or '日期不详'}）")
            return existing, "unchanged"
    same = reg.versions.filter(date=date, body=body).first()
    if same is not None:
        audit.record(actor=actor, action="xxgk.regulation.same", target=reg,
                     summary="文本与已有版本相同，未新增版本")
        return same, "unchanged"
    current = reg.versions.filter(is_current=True).first()
    newer = current is None or (date is not None and (current.date is None
                                                      or date > current.date))
    version = RegulationVersion.objects.create(
        regulation=reg, external_id=external_id or None, date=date, header=header, body=body,
        source_path=source_path, is_current=newer,
    )
    if newer and current is not None:
        RegulationVersion.objects.filter(pk=current.pk).update(is_current=False)
    outcome = "created" if current is None else ("superseded" if newer else "history")
    audit.record(actor=actor, action=f"xxgk.regulation.{outcome}", target=reg,
                 summary=f"{title}（{date or '日期不详'}）")
    return version, outcome


def version_diff(old: RegulationVersion, new: RegulationVersion) -> list[textdiff.Row]:
    """Changed lines between two versions of a regulation (header and body)."""
    return textdiff.diff(old.header + "\n" + old.body, new.header + "\n" + new.body)
