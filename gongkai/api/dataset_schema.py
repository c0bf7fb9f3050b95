"""数据开放: staff define a dataset's fields on the workbench (no raw JSON).

A change to the fields of a dataset that already has releases raises its schema version;
the releases keep the fields they were published with (``DatasetRelease.fields``)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.api.models import Dataset
from gongkai.core import audit
from gongkai.core.permissions import can_edit, require

NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
TYPES = {"text": "文本", "int": "整数", "decimal": "数值", "date": "日期"}
MASKS = {"": "不遮盖", "name": "姓名（只显示姓）", "id_number": "证件号码（只显示前四位和后四位）"}
MAX_FIELDS = 60


def clean_fields(fields: list[dict]) -> list[dict]:
    """Check a list of fields; every problem is reported as 第N个字段（label）：message."""
    errors: list[str] = []
    out: list[dict] = []
    names: set[str] = set()
    labels: set[str] = set()
    if not fields:
        raise ValidationError("至少要有一个字段。")
    if len(fields) > MAX_FIELDS:
        raise ValidationError(f"字段不能超过{MAX_FIELDS}个。")
    for n, f in enumerate(fields, start=1):
        name = str(f.get("name") or "").strip()
        label = str(f.get("label") or "").strip()
        kind = str(f.get("type") or "text")
        mask = str(f.get("mask") or "")
        where = f"第{n}个字段" + (f"（{label}）" if label else "")
        if not NAME.match(name):
            errors.append(f"{where}：字段代码应以小写字母开头，只含小写字母、数字和下划线，"
                          f"不超过40个字符（如 amount_yuan）。")
        elif name in names:
            errors.append(f"{where}：字段代码 {name} 重复。")
        if not label:
            errors.append(f"{where}：请填写字段名称（Excel 表头）。")
        elif len(label) > 50:
            errors.append(f"{where}：字段名称不能超过50字。")
        elif label in labels:
            errors.append(f"{where}：字段名称“{label}”重复，Excel 表头无法区分。")
        if kind not in TYPES:
            errors.append(f"{where}：类型应为{'、'.join(TYPES.values())}之一。")
        if mask not in MASKS:
            errors.append(f"{where}：遮盖规则无效。")
        elif mask and kind != "text":
            errors.append(f"{where}：只有文本字段可以设置遮盖规则。")
        names.add(name)
        labels.add(label)
        out.append({"name": name, "label": label, "type": kind,
                    "required": bool(f.get("required")), "mask": mask})
    if errors:
        raise ValidationError(errors)
    return out


def clean_chart(chart: dict, fields: list[dict]) -> dict:
    label, value = chart.get("label") or "", chart.get("value") or ""
    if not label and not value:
        return {}
    by_name = {f["name"]: f for f in fields}
    if label not in by_name or value not in by_name:
        raise ValidationError("图表的分类字段和数值字段都要从本数据集的字段中选择。")
    if by_name[value]["type"] not in ("int", "decimal"):
        raise ValidationError("图表的数值字段应为整数或数值类型。")
    if by_name[label]["mask"]:
        raise ValidationError("遮盖的字段不能作为图表分类。")
    return {"label": label, "value": value}


@transaction.atomic
def save_schema(*, actor, dataset: Dataset, fields: list[dict],
                chart: dict | None = None) -> tuple[Dataset, bool]:
    """Returns the dataset and whether a new schema version was started."""
    require(can_edit(actor, dataset.org), "您不能修改该单位数据集的字段。")
    clean = clean_fields(fields)
    new_chart = clean_chart(chart or {}, clean)
    ds = Dataset.objects.select_for_update().get(pk=dataset.pk)
    if clean == ds.fields and new_chart == (ds.chart or {}):
        return ds, False
    before = {"fields": ds.fields, "chart": ds.chart, "schema_version": ds.schema_version}
    bumped = False
    if clean != ds.fields and ds.releases.filter(schema_version=ds.schema_version).exists():
        ds.schema_version += 1
        bumped = True
    ds.fields, ds.chart = clean, new_chart
    ds.save(update_fields=["fields", "chart", "schema_version"])
    audit.record(actor=actor, action="api.dataset_schema", target=ds, org=ds.org,
                 changes=audit.diff(before, {"fields": ds.fields, "chart": ds.chart,
                                             "schema_version": ds.schema_version}),
                 summary=f"修改数据集字段：{ds.title}（字段第{ds.schema_version}版）")
    return ds, bumped
