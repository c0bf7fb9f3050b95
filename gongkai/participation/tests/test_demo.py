import io

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.core import demo as core_demo
from gongkai.participation import demo
from gongkai.participation.models import Catalog, Consultation

pytestmark = pytest.mark.django_db


def test_demo_has_finished_and_open_consultation_and_is_idempotent(district):
    core_demo.load_staff()
    demo.load(io.StringIO())
    demo.load(io.StringIO())
    assert Catalog.objects.count() == 1
    phases = sorted(c.phase() for c in Consultation.objects.all())
    assert phases == ["open", "reported"]
    client = Client()
    done = next(c for c in Consultation.objects.all() if c.phase() == "reported")
    fb = client.get(reverse("participation:feedback", args=[done.pk])).content.decode()
    assert "延长免费停车时长" in fb and "张先生" in fb  # consented name shown
    assert "李女士" not in fb  # no consent
    page = client.get(done.get_absolute_url()).content.decode()
    assert "最终通过文本与征求意见稿对照" in page and "新增" in page
    item = done.decision
    tl = client.get(item.get_absolute_url()).content.decode()
    for text in ["区政府第30次常务会议", "市民代表2名", "意见采纳情况",
                 reverse("participation:consultation", args=[done.pk]),
                 reverse("participation:feedback", args=[done.pk]), "未组织专家论证"]:
        assert text in tl
    # The 决策结果 is the published document, picked (not a typed address).
    result = item.stages.get(kind="result")
    assert result.doc_id and result.ref().live and result.ref().title in tl
    assert f'href="{result.ref().url}"' in tl
    # Procedure order, whatever the database does with undated (skipped) stages.
    order = [tl.index(t) for t in ["起草说明：", "公开征求意见", "未组织专家论证",
                                   "区政府第30次常务会议", "决策结果"]]
    assert order == sorted(order)
    cat = client.get(reverse("participation:catalog", args=[item.catalog.pk])).content.decode()
    assert "已决策" in cat and "征求意见中" in cat
    survey = client.get(reverse("participation:survey", args=[done.pk])).content.decode()
    assert "调查结果（共 5 份答卷）" in survey and "60.0%" in survey
    home = client.get(reverse("participation:index")).content.decode()
    assert home.index("养老服务业") < home.index("停车场收费")  # open first
    assert '<option value="hyq-fgj">槐荫区发展和改革局</option>' in home
    unit = client.get(reverse("participation:index"), {"org": "hyq-czj"}).content.decode()
    assert "养老服务业" not in unit and "槐荫区财政局" in unit


def test_feed_lists_open_consultation_and_published_report(district):
    core_demo.load_staff()
    demo.load(io.StringIO())
    client = Client()
    rss = client.get(reverse("participation:feed")).content.decode()
    assert "征求意见：槐荫区促进养老服务业发展若干措施" in rss
    assert "收费管理办法（征求意见稿）》征求意见采纳情况" in rss
    unit = client.get(reverse("participation:unit_feed", args=["hyq-fgj"])).content.decode()
    assert "养老服务业" in unit
    other = client.get(reverse("participation:unit_feed", args=["hyq-czj"])).content.decode()
    assert "养老服务业" not in other
    assert client.get(reverse("participation:unit_feed", args=["nope"])).status_code == 404


def test_catalog_exports_readable(district):
    from docx import Document
    from openpyxl import load_workbook

    core_demo.load_staff()
    demo.load(io.StringIO())
    cat = Catalog.objects.get()
    client = Client()
    data = client.get(reverse("participation:catalog_export", args=[cat.pk, "docx"])).content
    cells = [c.text for row in Document(io.BytesIO(data)).tables[0].rows for c in row.cells]
    assert "制定《槐荫区公共停车场收费管理办法》" in cells and "已决策" in cells
    data = client.get(reverse("participation:catalog_export", args=[cat.pk, "xlsx"])).content
    ws = load_workbook(io.BytesIO(data)).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "征求意见中" in values and "区发展和改革局" in values
    pdf = client.get(reverse("participation:catalog_export", args=[cat.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
