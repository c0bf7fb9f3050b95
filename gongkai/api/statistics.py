"""Public 依申请公开 statistics per unit and year, and their SVG charts.

The counts (section 三/四) come from the reports app, so they are the annual report's
numbers; timeliness (median working days, on-time share) is computed from the same
applications with the working-day calendar.
"""

from __future__ import annotations

import datetime as dt
import statistics as pystats
from dataclasses import dataclass

from gongkai.core.calendar import get_calendar
from gongkai.core.models import Organization
from gongkai.core.workdays import CalendarError
from gongkai.foi.models import Application
from gongkai.reports import tables as T

GROUPS = [("3.1", "予以公开"), ("3.2", "部分公开"), ("3.3", "不予公开"), ("3.4", "无法提供"),
          ("3.5", "不予处理"), ("3.6", "其他处理")]


@dataclass
class Timeliness:
    closed: int
    median_workdays: float | None
    on_time: int
    measured: int

    @property
    def on_time_share(self) -> float | None:
        return round(100 * self.on_time / self.measured, 1) if self.measured else None


def timeliness(org: Organization, year: int) -> Timeliness:
    apps = Application.objects.filter(org=org, closed_date__year=year,
                                      received_date__isnull=False)
    cal = get_calendar()
    days, on_time, measured = [], 0, 0
    for received, closed, due in apps.values_list("received_date", "closed_date",
                                                  "answer_due"):
        try:
            days.append(cal.count(received, closed) if closed >= received else 0)
        except CalendarError:
            continue
        if due is not None:
            measured += 1
            on_time += closed <= due
    return Timeliness(closed=len(days),
                      median_workdays=float(pystats.median(days)) if days else None,
                      on_time=on_time, measured=measured)


def group_totals(section3: dict) -> list[tuple[str, str, int]]:
    """The six answer types of section 三 (sub-rows summed), as on the report."""
    out = []
    for key, label in GROUPS:
        out.append((key, label, sum(row.get("total", 0) for k, row in section3.items()
                                    if k == key or k.startswith(key + "."))))
    return out


def appeal_rows(section4: dict) -> list[tuple[str, dict]]:
    return [(label, section4.get(k, {})) for k, label in T.APPEAL_KINDS]


def bar_chart(rows: list[tuple[str, int]], *, width: int = 560, bar_height: int = 22,
              title: str = "") -> str:
    """A horizontal bar chart as SVG markup (no script, no inline style: CSP-safe)."""
    from django.utils.html import escape

    label_w, gap, top = 96, 8, 28 if title else 4
    height = top + len(rows) * (bar_height + gap) + 4
    peak = max([v for _, v in rows] + [1])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" class="stat-chart">'
             f"<title>{escape(title)}</title>"]
    if title:
        parts.append(f'<text x="0" y="18" font-size="14" fill="#222">{escape(title)}</text>')
    for i, (label, value) in enumerate(rows):
        y = top + i * (bar_height + gap)
        w = int((width - label_w - 60) * value / peak)
        parts.append(f'<text x="0" y="{y + 16}" font-size="13" fill="#222">{escape(label)}'
                     f"</text>")
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_height}" '
                     f'fill="#1d5fa8"></rect>')
        parts.append(f'<text x="{label_w + w + 6}" y="{y + 16}" font-size="13" '
                     f'fill="#222">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)


def default_year() -> int:
    return dt.date.today().year - 1
