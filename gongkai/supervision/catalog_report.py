"""回头看 of the 26+1+n 标准目录: per 街道 and department, every entry it carries out and
whether its column kept to the entry's 公开时限 (from the site inspection's findings)."""

from __future__ import annotations

import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings

from gongkai.core.models import Organization, OrgKind
from gongkai.supervision import checks
from gongkai.supervision.models import CatalogEntry, CatalogLevel, Finding, InspectionRun

CATALOG_KINDS = ("catalog_overdue", "catalog_empty")
STATUS = {
    "open": "超过公开时限未整改",
    "fixed": "曾超时限，已整改",
    "no_column": "未指定发布栏目",
    "unchecked": "尚未核查",
    "ok": "检查未发现问题",
}
ORDER = list(STATUS)  # worst first
GROUPS = (("街道办事处", (OrgKind.SUBDISTRICT,)),
          ("区政府部门", (OrgKind.OFFICE, OrgKind.DEPARTMENT)))


@dataclass
class Line:
    entry: CatalogEntry
    url: str
    status: str
    finding: Finding | None = None

    @property
    def label(self) -> str:
        return STATUS[self.status]


@dataclass
class UnitReport:
    org: Organization
    lines: list[Line] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(STATUS, 0)
        for ln in self.lines:
            out[ln.status] += 1
        return out


def _path(url: str) -> str:
    return urllib.parse.urlsplit(url).path


def report(org_ids: set[int] | None = None) -> list[tuple[str, list[UnitReport]]]:
    """[(group, [UnitReport])] for 街道 and departments; ``org_ids`` limits the units (a
    unit sees its own). An entry applies to a unit when one of its columns is the unit's
    (/xxgk/<unit>/…), when it is the unit's own 「n」, and — for a 国家/区级 entry whose
    公开层级 includes 街道 — to every 街道 (without a column there: 未指定发布栏目)."""
    cfg = checks.config(getattr(settings, "GONGKAI_SUPERVISION_INSPECTION", None))
    kinds = [k for _, ks in GROUPS for k in ks]
    orgs = Organization.objects.filter(is_active=True, kind__in=kinds)
    if org_ids is not None:
        orgs = orgs.filter(pk__in=org_ids)
    orgs = list(orgs)
    by_code = {o.code: o for o in orgs}
    codes = set(Organization.objects.values_list("code", flat=True))
    latest: dict[tuple[str, str], Finding] = {}
    for f in Finding.objects.filter(kind__in=CATALOG_KINDS).order_by("found_at", "id"):
        key = (f.key.rsplit("|", 1)[-1], _path(f.url))
        if f.is_open or key not in latest or not latest[key].is_open:
            latest[key] = f
    last_run = (InspectionRun.objects.filter(finished_at__isnull=False)
                .order_by("-started_at").first())
    lines: dict[str, list[Line]] = defaultdict(list)
    for e in CatalogEntry.objects.select_related("org"):
        covered = set()
        for url in e.urls():
            code = checks.org_code_of(url, cfg, codes) or (e.org.code if e.org else None)
            if code not in by_code:
                continue
            covered.add(code)
            f = latest.get((str(e.pk), _path(url)))
            if f is not None:
                status = "open" if f.is_open else "fixed"
            elif last_run is not None and last_run.started_at >= e.created_at:
                status = "ok"
            else:
                status = "unchecked"
            lines[code].append(Line(e, url, status, f))
        must = set()
        if e.org is not None:
            must.add(e.org.code)
        if e.level != CatalogLevel.UNIT and e.tier in ("subdistrict", "both"):
            must |= {c for c, o in by_code.items() if o.kind == OrgKind.SUBDISTRICT}
        for code in (must & set(by_code)) - covered:
            lines[code].append(Line(e, "", "no_column"))
    out = []
    for title, ks in GROUPS:
        units = [UnitReport(o, sorted(lines[o.code], key=lambda ln: (
            ORDER.index(ln.status), ln.entry.level, ln.entry.domain, ln.entry.pk)))
            for o in orgs if o.kind in ks]
        if units:
            out.append((title, units))
    return out


def rows(groups) -> list[list]:
    """One XLSX row per unit and entry."""
    return [[title, u.org.name, ln.entry.get_level_display(), ln.entry.domain,
             ln.entry.item1 + (f"·{ln.entry.item2}" if ln.entry.item2 else ""),
             ln.entry.time_limit, ln.url, ln.label,
             ln.finding.detail if ln.finding else ""]
            for title, units in groups for u in units for ln in u.lines]
