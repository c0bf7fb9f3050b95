"""数据开放: validate an uploaded XLSX against a dataset's schema, mask, publish a release.

Nothing is published unless every row is clean; every problem is reported with its row
(as numbered in Excel) and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from gongkai.api.models import Dataset, DatasetRelease
from gongkai.core import audit
from gongkai.core.permissions import can_edit, require
from gongkai.disclosure import privacy

MAX_ROWS = 50000
MAX_BYTES = 10 * 1024 * 1024
TYPES = {"text": "文本", "int": "整数", "decimal": "数值", "date": "日期"}


@dataclass(frozen=True)
class RowError:
    row: int  # the row number in the spreadsheet (header is row 1)
    column: str  # the column letter and label, e.g. "C（金额（元））"
    message: str


class ReleaseRejected(ValidationError):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"文件有{len(errors)}处错误，未发布。")
        self.errors = errors


def mask_name(value: str) -> str:
    """张三 → 张*, 欧阳小明 → 欧***: the surname stays, the rest is hidden."""
    value = value.strip()
    return value[:1] + "*" * max(len(value) - 1, 1) if value else value


def mask_id(value: str) -> str:
    value = value.strip()
    return privacy.mask(value, 4, 4) if len(value) > 8 else "*" * len(value)


MASKS = {"name": mask_name, "id_number": mask_id}


def _cell(value, field: dict):
    """(clean value, error message or None)."""
    kind = field.get("type", "text")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ("不能为空" if field.get("required") else None)
    if kind == "int":
        if isinstance(value, bool):
            return None, "应为整数"
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int):
            return value, None
        try:
            return int(str(value).strip().replace(",", "")), None
        except ValueError:
            return None, f"“{str(value)[:20]}”不是整数"
    if kind == "decimal":
        try:
            number = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            return None, f"“{str(value)[:20]}”不是数值"
        if not number.is_finite():
            return None, "不是有限数值"
        return str(number), None
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date().isoformat(), None
        if isinstance(value, dt.date):
            return value.isoformat(), None
        try:
            return dt.date.fromisoformat(str(value).strip()).isoformat(), None
        except ValueError:
            return None, f"“{str(value)[:20]}”不是日期（应为 2026-01-31）"
    text = str(value).strip()
    if len(text) > 500:
        return None, "超过500字"
    return text, None


def parse(dataset: Dataset, upload) -> tuple[list[dict], list[RowError]]:
    """Read and check an XLSX: the header must name the schema's columns (labels)."""
    fields = dataset.fields
    if getattr(upload, "size", 0) > MAX_BYTES:
        return [], [RowError(0, "", "文件超过10MB。")]
    try:
        wb = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not XLSX
        return [], [RowError(0, "", "无法读取文件，请上传 Excel（.xlsx）文件。")]
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [str(v).strip() if v is not None else "" for v in next(rows, [])]
    labels = [f["label"] for f in fields]
    errors: list[RowError] = []
    missing = [lb for lb in labels if lb not in header]
    if missing:
        return [], [RowError(1, "", f"表头缺少列：{'、'.join(missing)}"
                                    f"（应为：{'、'.join(labels)}）")]
    index = {lb: header.index(lb) for lb in labels}
    out: list[dict] = []
    for n, values in enumerate(rows, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        if len(out) >= MAX_ROWS:
            errors.append(RowError(n, "", f"超过{MAX_ROWS}行。"))
            break
        record = {}
        for f in fields:
            i = index[f["label"]]
            value, problem = _cell(values[i] if i < len(values) else None, f)
            col = f"{get_column_letter(i + 1)}（{f['label']}）"
            if problem:
                errors.append(RowError(n, col, problem))
                continue
            if isinstance(value, str) and f.get("mask") in MASKS:
                value = MASKS[f["mask"]](value)
            elif isinstance(value, str) and privacy.scan(value):
                errors.append(RowError(n, col, "含有个人信息（身份证号、手机号等），"
                                                "请删除或在字段设置中规定遮盖规则"))
                continue
            record[f["name"]] = value
        out.append(record)
    if not out and not errors:
        errors.append(RowError(2, "", "文件中没有数据行。"))
    return out, errors


@transaction.atomic
def publish_release(*, actor, dataset: Dataset, upload, note: str = "",
                    check_permission: bool = True) -> DatasetRelease:
    if check_permission:
        require(can_edit(actor, dataset.org), "您不能为该单位发布数据。")
    rows, errors = parse(dataset, upload)
    if errors:
        raise ReleaseRejected(errors)
    dataset = Dataset.objects.select_for_update().get(pk=dataset.pk)
    version = (dataset.releases.aggregate(m=Max("version"))["m"] or 0) + 1
    release = DatasetRelease.objects.create(
        dataset=dataset, version=version, rows=rows, note=note[:300],
        fields=dataset.fields, schema_version=dataset.schema_version,
        source_name=getattr(upload, "name", "")[:200],
        published_by=actor if getattr(actor, "is_authenticated", False) else None)
    audit.record(actor=actor, action="api.dataset_release", target=dataset, org=dataset.org,
                 changes={"version": version, "rows": len(rows)},
                 summary=f"发布数据集{dataset.title}第{version}版（{len(rows)}行）")
    return release


# --- downloads -------------------------------------------------------------------------------


def template_xlsx(dataset: Dataset) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append([f["label"] for f in dataset.fields])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _table(release: DatasetRelease) -> tuple[list[str], list[list]]:
    fields = release.schema
    return ([f["label"] for f in fields],
            [[row.get(f["name"]) for f in fields] for row in release.rows])


def to_csv(release: DatasetRelease) -> bytes:
    header, rows = _table(release)
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(header)
    for r in rows:
        w.writerow(["'" + v if isinstance(v, str) and v[:1] in "=+-@" else v for v in r])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(release: DatasetRelease) -> bytes:
    header, rows = _table(release)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("数据")
    ws.append(header)
    types = [f.get("type") for f in release.schema]
    for r in rows:
        ws.append([Decimal(v) if t == "decimal" and v is not None else
                   ("'" + v if isinstance(v, str) and v[:1] in "=+-@" else v)
                   for v, t in zip(r, types, strict=True)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_json(release: DatasetRelease) -> bytes:
    ds = release.dataset
    data = {"dataset": ds.code, "title": ds.title, "version": release.version,
            "published_at": release.published_at.isoformat(), "demo": ds.is_demo,
            "schema_version": release.schema_version, "fields": release.schema,
            "rows": release.rows}
    return json.dumps(data, ensure_ascii=False, indent=1).encode()


def chart_rows(release: DatasetRelease, limit: int = 12) -> list[tuple[str, int]]:
    spec = release.dataset.chart or {}
    label, value = spec.get("label"), spec.get("value")
    if not label or not value:
        return []
    out = []
    for row in release.rows[:limit]:
        try:
            out.append((str(row.get(label, ""))[:12], int(Decimal(str(row.get(value) or 0)))))
        except (InvalidOperation, ValueError):
            continue
    return out
