"""标准目录回头看 per 街道 and department: each entry a unit carries out and its state."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongkai.core.models import Role
from gongkai.supervision.catalog_report import report
from gongkai.supervision.models import CatalogEntry, Finding, FindingStatus, InspectionRun

pytestmark = pytest.mark.django_db


def entry(level, item, urls="", org=None, tier=""):
    return CatalogEntry.objects.create(level=level, domain="财政预决算", item1=item,
                                       content="预算表", time_limit="每年", tier=tier,
                                       node_urls=urls, org=org)


def finding(e, url, org, closed=False):
    run = InspectionRun.objects.create(base_url="http://testserver/",
                                       finished_at=timezone.now())
    return Finding.objects.create(
        key=f"catalog_overdue|http://testserver{url}|{e.pk}", kind="catalog_overdue",
        label="标准目录事项超过公开时限未更新", url=f"http://testserver{url}",
        detail=f"「{e}」公开时限 366 天", org=org, due=timezone.localdate() + dt.timedelta(days=14),
        status=FindingStatus.CLOSED if closed else FindingStatus.OPEN,
        closed_at=timezone.now() if closed else None, first_run=run, last_run=run)


def _lines(groups, code):
    return {(ln.entry.item1, ln.status) for _, units in groups for u in units
            if u.org.code == code for ln in u.lines}


def test_report_per_unit_and_entry(org, make_staff, client_for):
    czj, fgj, zxj = org("hyq-czj"), org("hyq-fgj"), org("hyq-zxj")
    budget = entry("26", "部门预算", "/xxgk/hyq-czj/czxx/\n/xxgk/hyq-fgj/czxx/")
    final = entry("26", "部门决算", "/xxgk/hyq-czj/czjs/")
    street = entry("1", "社区服务事项", "/xxgk/hyq-zxj/sqfw/", tier="subdistrict")
    own = entry("n", "本单位特色事项", org=fgj)
    assert ("部门预算", "unchecked") in _lines(report(), "hyq-czj")  # no inspection yet
    InspectionRun.objects.create(base_url="http://testserver/", finished_at=timezone.now())
    open_f = finding(budget, "/xxgk/hyq-czj/czxx/", czj)
    finding(final, "/xxgk/hyq-czj/czjs/", czj, closed=True)
    groups = report()
    assert [title for title, _ in groups] == ["街道办事处", "区政府部门"]
    assert _lines(groups, "hyq-czj") == {("部门预算", "open"), ("部门决算", "fixed")}
    assert _lines(groups, "hyq-fgj") == {("部门预算", "ok"), ("本单位特色事项", "no_column")}
    assert _lines(groups, "hyq-zxj") == {("社区服务事项", "ok")}
    # every other 街道 must carry out the 街道-level entry and has no column for it
    streets = [u for title, units in groups if title == "街道办事处" for u in units]
    assert len(streets) > 1 and all(u.org.kind == "subdistrict" for u in streets)
    for u in streets:
        if u.org.code != "hyq-zxj":
            assert _lines(groups, u.org.code) == {("社区服务事项", "no_column")}
    assert {ln.entry for ln in streets[0].lines} <= {street}
    assert own.org == fgj

    gkb = client_for(make_staff("hyq-zfb", Role.COORDINATOR))
    page = gkb.get(reverse("supervision:catalog_report")).content.decode()
    assert "槐荫区财政局" in page and "超过公开时限未整改" in page
    assert open_f.get_absolute_url() in page
    x = gkb.get(reverse("supervision:catalog_report_xlsx"))
    rows = list(load_workbook(io.BytesIO(x.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("类别", "单位", "目录")
    assert ("区政府部门", "槐荫区财政局") in {r[:2] for r in rows[1:] if r[4] == "部门预算"}
    # A unit sees its own lines only.
    mine = client_for(make_staff(fgj)).get(reverse("supervision:catalog_report"))
    text = mine.content.decode()
    assert mine.status_code == 200 and "本单位特色事项" in text
    assert "槐荫区财政局" not in text and zxj.name not in text
