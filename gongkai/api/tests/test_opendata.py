"""数据开放: schema-checked XLSX uploads, masking, versioned releases, downloads, API."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.api import demo, opendata
from gongkai.api.models import Dataset, DatasetRelease
from gongkai.core.models import AuditEntry, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def datasets(district):
    demo.load(stdout=io.StringIO())
    return {d.code: d for d in Dataset.objects.all()}


def upload(fields, rows, name="data.xlsx"):
    return SimpleUploadedFile(name, demo.xlsx(fields, rows).getvalue())


def test_demo_datasets_are_marked_and_subsidy_recipients_masked(datasets):
    assert len(datasets) == 4 and all(d.is_demo and "演示" in d.title for d in datasets.values())
    rows = datasets["hmhn-2026"].latest().rows
    assert rows[0]["name"] == "李**" and rows[0]["id_number"] == "3701**********0000"
    assert "370104199001010000" not in json.dumps(rows)
    page = Client().get(reverse("kaifang:dataset", args=["hmhn-2026"])).content.decode()
    assert "李示例" not in page and "李**" in page and "演示数据" in page
    assert "<svg" in page


def test_row_and_column_errors_and_nothing_published(datasets, make_staff, client_for):
    ds = datasets["bmys-2026"]
    editor = make_staff("hyq-czj", Role.EDITOR)
    bad = upload(ds.fields, [["区财政局", "二〇二六", "预算", "教育支出", 10],
                             ["区财政局", 2026, "预算", "", "abc"],
                             ["区财政局", 2026, "预算", "联系13800000000", 5]])
    with pytest.raises(opendata.ReleaseRejected) as exc:
        opendata.publish_release(actor=editor, dataset=ds, upload=bad)
    got = [(e.row, e.column, e.message) for e in exc.value.errors]
    assert (2, "B（年度）", "“二〇二六”不是整数") in got
    assert (3, "D（支出科目）", "不能为空") in got
    assert (3, "E（金额（万元））", "“abc”不是数值") in got
    assert any(r == 4 and "个人信息" in m for r, _, m in got)
    assert ds.releases.count() == 1
    # The staff page shows the same list.
    c = client_for(editor)
    bad.seek(0)
    page = c.post(reverse("kaifang:staff_dataset_upload", args=[ds.code]),
                  {"file": bad}).content.decode()
    assert "错误清单" in page and "B（年度）" in page and ds.releases.count() == 1
    missing = upload([{"label": "部门"}], [["区财政局"]])
    page = c.post(reverse("kaifang:staff_dataset_upload", args=[ds.code]),
                  {"file": missing}).content.decode()
    assert "表头缺少列" in page
    junk = SimpleUploadedFile("x.xlsx", b"not a spreadsheet")
    page = c.post(reverse("kaifang:staff_dataset_upload", args=[ds.code]),
                  {"file": junk}).content.decode()
    assert "文件类型不支持" in page
    assert ds.releases.count() == 1


def test_clean_upload_is_a_new_version_and_old_ones_stay(datasets, make_staff, client_for):
    ds = datasets["zdxm-2026"]
    editor = make_staff("hyq-fgj", Role.EDITOR)
    ok = upload(ds.fields, [["新项目", "槐发改投资〔2026〕9号", "2026-09-01", "区住建局", 100,
                             "前期"]])
    r = client_for(editor).post(reverse("kaifang:staff_dataset_upload", args=[ds.code]),
                                {"file": ok, "note": "九月更新"})
    assert r.status_code == 302
    assert list(ds.releases.values_list("version", flat=True)) == [2, 1]
    assert AuditEntry.objects.filter(action="api.dataset_release", actor=editor).exists()
    v1 = Client().get(reverse("kaifang:dataset_download", args=[ds.code, 1, "csv"]))
    assert "示例路道路提升工程" in v1.content.decode("utf-8-sig")
    v2 = Client().get(reverse("kaifang:dataset_download", args=[ds.code, 2, "xlsx"]))
    ws = load_workbook(io.BytesIO(v2.content)).active
    assert [c.value for c in ws[2]][:3] == ["新项目", "槐发改投资〔2026〕9号", "2026-09-01"]
    other = make_staff("hyq-czj", Role.EDITOR)
    assert client_for(other).get(reverse("kaifang:staff_dataset_upload",
                                         args=[ds.code])).status_code == 403


def test_api_and_downloads(datasets):
    listing = Client().get("/api/v1/datasets/").json()
    assert {d["code"] for d in listing} == set(datasets)
    detail = Client().get("/api/v1/datasets/zfzw-2026/").json()
    assert [f["label"] for f in detail["fields"]][:2] == ["年度", "项目"]
    assert detail["releases"][0]["downloads"]["json"].endswith("/v1.json")
    rows = Client().get("/api/v1/datasets/zfzw-2026/releases/1/").json()["rows"]
    assert rows[2] == {"year": 2026, "item": "新增发行", "kind": "专项债券", "term": 10,
                       "rate": "2.35", "amount": "12", "source": "项目收益"}
    assert Client().get("/api/v1/datasets/zfzw-2026/releases/9/").status_code == 404
    data = json.loads(Client().get(reverse("kaifang:dataset_download",
                                           args=["zfzw-2026", 1, "json"])).content)
    assert data["demo"] is True and len(data["rows"]) == 5
    text = Client().get(reverse("kaifang:dataset_download",
                                args=["bmys-2026", 1, "csv"])).content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[0] == ["部门", "年度", "类型", "支出科目",
                                                      "金额（万元）"]
    assert DatasetRelease.objects.count() == 4
