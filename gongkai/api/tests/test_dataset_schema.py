"""Staff define a dataset's fields on a form (not raw JSON); a change after a release starts
a new schema version and the old releases keep theirs."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.api import dataset_schema, demo, opendata
from gongkai.api.models import Dataset
from gongkai.core.models import AuditEntry, Role

pytestmark = pytest.mark.django_db

SUBSIDY = [
    {"name": "village", "label": "村（社区）", "type": "text", "required": True, "mask": ""},
    {"name": "amount", "label": "金额（元）", "type": "decimal", "required": True, "mask": ""},
]


@pytest.fixture
def ds(district, org):
    return Dataset.objects.create(code="butie", title="惠民惠农补贴发放（演示）",
                                  org=org("hyq-czj"), fields=SUBSIDY, is_demo=True)


def form_data(fields, chart=None):
    data = {"f-TOTAL_FORMS": str(len(fields) + 1), "f-INITIAL_FORMS": "0",
            "f-MIN_NUM_FORMS": "0", "f-MAX_NUM_FORMS": "1000",
            "chart-label": (chart or {}).get("label", ""),
            "chart-value": (chart or {}).get("value", "")}
    for i, f in enumerate(fields):
        data.update({f"f-{i}-label": f["label"], f"f-{i}-name": f["name"],
                     f"f-{i}-type": f["type"], f"f-{i}-mask": f.get("mask", ""),
                     f"f-{i}-ORDER": str(i + 1)})
        if f.get("required"):
            data[f"f-{i}-required"] = "on"
    n = len(fields)  # the spare empty row the page always shows
    data.update({f"f-{n}-label": "", f"f-{n}-name": "", f"f-{n}-type": "text",
                 f"f-{n}-mask": ""})
    return data


def upload(fields, rows):
    return SimpleUploadedFile("d.xlsx", demo.xlsx(fields, rows).getvalue())


def test_invalid_fields_are_refused_with_chinese_messages(ds, make_staff):
    editor = make_staff("hyq-czj", Role.EDITOR)
    bad = [{"name": "Village", "label": "村", "type": "text"},
           {"name": "amount", "label": "村", "type": "decimal", "mask": "name"},
           {"name": "amount", "label": "", "type": "money"}]
    with pytest.raises(ValidationError) as exc:
        dataset_schema.save_schema(actor=editor, dataset=ds, fields=bad)
    text = "\n".join(exc.value.messages)
    assert "第1个字段（村）：字段代码应以小写字母开头" in text
    assert "第2个字段（村）：字段名称“村”重复" in text
    assert "只有文本字段可以设置遮盖规则" in text
    assert "第3个字段：字段代码 amount 重复" in text and "请填写字段名称" in text
    assert "类型应为文本、整数、数值、日期之一" in text
    with pytest.raises(ValidationError, match="至少要有一个字段"):
        dataset_schema.save_schema(actor=editor, dataset=ds, fields=[])
    with pytest.raises(ValidationError, match="数值字段应为整数或数值"):
        dataset_schema.save_schema(actor=editor, dataset=ds, fields=SUBSIDY,
                                   chart={"label": "amount", "value": "village"})
    ds.refresh_from_db()
    assert ds.fields == SUBSIDY and ds.schema_version == 1
    other = make_staff("hyq-fgj", Role.EDITOR)
    with pytest.raises(Exception, match="不能修改"):
        dataset_schema.save_schema(actor=other, dataset=ds, fields=SUBSIDY)


def test_change_after_a_release_starts_a_new_version_and_old_release_keeps_its_fields(
        ds, make_staff):
    editor = make_staff("hyq-czj", Role.EDITOR)
    # Before any release the fields are simply corrected.
    ds, bumped = dataset_schema.save_schema(actor=editor, dataset=ds, fields=SUBSIDY[:1] + [
        {**SUBSIDY[1], "label": "金额（万元）"}])
    assert not bumped and ds.schema_version == 1
    v1 = opendata.publish_release(actor=editor, dataset=ds, upload=upload(
        ds.fields, [["槐村街道某社区", 1200]]))
    new_fields = [{"name": "name", "label": "姓名", "type": "text", "required": True,
                   "mask": "name"},
                  {"name": "id_number", "label": "身份证号", "type": "text", "required": True,
                   "mask": "id_number"}, *ds.fields]
    ds, bumped = dataset_schema.save_schema(actor=editor, dataset=ds, fields=new_fields)
    assert bumped and ds.schema_version == 2
    v1.refresh_from_db()
    assert [f["label"] for f in v1.schema] == ["村（社区）", "金额（万元）"]
    assert v1.schema_version == 1
    v2 = opendata.publish_release(actor=editor, dataset=ds, upload=upload(ds.fields, [
        ["王小明", "370104199001011234", "某社区", 3000]]))
    assert v2.schema_version == 2
    assert v2.rows[0]["name"] == "王**" and v2.rows[0]["id_number"].startswith("3701")
    assert "199001011" not in v2.rows[0]["id_number"]
    # Downloads and the API give each release with its own fields.
    old_csv = list(csv.reader(io.StringIO(opendata.to_csv(v1).decode("utf-8-sig"))))
    assert old_csv == [["村（社区）", "金额（万元）"], ["槐村街道某社区", "1200"]]
    api = Client().get(f"/api/v1/datasets/{ds.code}/releases/1/").json()
    assert [f["name"] for f in api["fields"]] == ["village", "amount"]
    assert api["schema_version"] == 1
    detail = Client().get(f"/api/v1/datasets/{ds.code}/").json()
    assert detail["schema_version"] == 2 and len(detail["fields"]) == 4
    assert [r["schema_version"] for r in detail["releases"]] == [2, 1]
    # An edit after v2 (released with version 2) starts version 3; a further edit before
    # the next release stays in it.
    ds, bumped = dataset_schema.save_schema(
        actor=editor, dataset=ds, fields=[{**f, "required": False} for f in ds.fields])
    assert bumped and ds.schema_version == 3  # v2 was released with version 2
    ds, bumped = dataset_schema.save_schema(actor=editor, dataset=ds, fields=ds.fields[:3])
    assert not bumped and ds.schema_version == 3
    assert AuditEntry.objects.filter(action="api.dataset_schema").count() == 4


def test_workbench_form_defines_fields_and_reports_errors(ds, make_staff, client_for):
    editor = make_staff("hyq-czj", Role.EDITOR)
    c = client_for(editor)
    url = reverse("kaifang:staff_dataset_schema", args=[ds.code])
    page = c.get(url).content.decode()
    assert 'value="村（社区）"' in page and 'value="village"' in page
    assert "发布前遮盖" in page
    assert ds.title in c.get(reverse("kaifang:staff_datasets")).content.decode()
    wanted = [{"name": "recipient", "label": "领取人", "type": "text", "required": True,
               "mask": "name"}, *SUBSIDY]
    r = c.post(url, form_data(wanted, chart={"label": "village", "value": "amount"}))
    assert r.status_code == 302
    ds.refresh_from_db()
    assert ds.fields == wanted and ds.chart == {"label": "village", "value": "amount"}
    # Errors: the page says what is wrong, in Chinese, and nothing is saved.
    broken = [{"name": "1st", "label": "领取人", "type": "date", "mask": "name"}]
    page = c.post(url, form_data(broken)).content.decode()
    assert "未保存" in page and "字段代码应以小写字母开头" in page
    assert "只有文本字段可以设置遮盖规则" in page
    ds.refresh_from_db()
    assert ds.fields == wanted
    # Staff of another unit cannot change it.
    other = client_for(make_staff("hyq-fgj", Role.EDITOR))
    assert other.post(url, form_data(SUBSIDY)).status_code == 403
    ds.refresh_from_db()
    assert ds.fields == wanted


def test_workbench_survives_hostile_posts(ds, make_staff, client_for):
    c = client_for(make_staff("hyq-czj", Role.EDITOR))
    c.raise_request_exception = False
    url = reverse("kaifang:staff_dataset_schema", args=[ds.code])
    hostile = [
        {},
        {"f-TOTAL_FORMS": "abc", "f-INITIAL_FORMS": "x"},
        {"f-TOTAL_FORMS": "99999999", "f-INITIAL_FORMS": "0"},
        {**form_data(SUBSIDY), "f-0-type": "\x00", "f-0-ORDER": "-1e999",
         "chart-label": "\x00"},
        {**form_data(SUBSIDY), "f-0-name": "a" * 5000, "f-1-label": "<script>x</script>"},
    ]
    for data in hostile:
        r = c.post(url, data)
        assert r.status_code in (200, 302, 400), (data, r.status_code)
    ds.refresh_from_db()
    assert ds.fields == SUBSIDY
