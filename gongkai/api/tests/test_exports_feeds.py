"""CSV/XLSX of the public lists (as filtered on the page) and feeds with catalogue fields."""

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.disclosure.tests.factories import published

pytestmark = pytest.mark.django_db


def export(kind, fmt, query=""):
    r = Client().get(reverse("api:export", args=[kind, fmt]) + query)
    assert r.status_code == 200, r.content[:300]
    return r


def test_document_csv_has_catalogue_fields_only_public_and_honours_filters(catalogue, org):
    r = export("documents", "csv")
    assert r["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["索引号", "文号", "标题", "发布机构", "成文日期"]
    titles = [row[2] for row in rows[1:]]
    assert titles == [catalogue["public"].title]
    assert rows[1][1] == "槐财发〔2026〕3号" and rows[1][0] == catalogue["public"].index_number
    filtered = export("documents", "csv", f"?org={org('hyq-fgj').pk}")
    assert len(list(csv.reader(io.StringIO(filtered.content.decode("utf-8-sig"))))) == 1


def test_xlsx_opens_and_formula_cells_are_defused(catalogue):
    published(catalogue["editor"], catalogue["reviewer"], catalogue["unit"],
              title="=HYPERLINK(\"http://evil\")", doc_number="")
    wb = load_workbook(io.BytesIO(export("policies", "xlsx").content))
    ws = wb.active
    values = [row[2] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert catalogue["public"].title in values
    all_titles = [row[2] for row in load_workbook(io.BytesIO(
        export("documents", "xlsx").content)).active.iter_rows(min_row=2, values_only=True)]
    assert "'=HYPERLINK(\"http://evil\")" in all_titles


def test_other_lists_export_and_pages_link_to_them(catalogue):
    rows = list(csv.reader(io.StringIO(
        export("interpretations", "csv").content.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["图解：专项资金管理办法"]
    for kind in ("regulations", "reports"):
        assert export(kind, "xlsx").content[:2] == b"PK"
    page = Client().get(reverse("disclosure:documents") + "?topic=x").content.decode()
    assert reverse("api:export", args=["documents", "csv"]) + "?topic=x" in page
    assert Client().get("/api/export/secrets.csv").status_code == 404


def test_feeds_carry_catalogue_fields_and_district_feed_lists_district(catalogue):
    ns = {"gk": "urn:gongkai:catalogue"}
    rss = Client().get(reverse("disclosure:feed_rss", args=["hyq-czj"]))
    item = ET.fromstring(rss.content).find("channel/item")
    assert item.find("gk:docNumber", ns).text == "槐财发〔2026〕3号"
    assert item.find("gk:issuer", ns).text == catalogue["unit"].name
    assert item.find("gk:writtenDate", ns).text == "2026-11-20"
    assert "索引号：" in item.find("description").text
    district = Client().get(reverse("disclosure:feed_atom", args=["hyq"]))
    root = ET.fromstring(district.content)
    atom = {"a": "http://www.w3.org/2005/Atom", **ns}
    entries = root.findall("a:entry", atom)
    assert [e.find("a:title", atom).text for e in entries] == [catalogue["public"].title]
    assert entries[0].find("gk:indexNumber", atom).text == catalogue["public"].index_number
