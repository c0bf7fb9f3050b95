"""Staff page: put disclosing answers on the public record, review them, and see which
information several applicants asked for (依申请转主动)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.api import record_services as rs
from gongkai.api.models import PublicAnswer, RecordStatus
from gongkai.core.permissions import scope, staff_required, visible_org_ids
from gongkai.foi.models import Application
from gongkai.foi.models import Status as FoiStatus


@staff_required
def answers(request):
    request.gongkai_private = True
    user = request.user
    candidates = (scope(Application.objects.filter(status=FoiStatus.CLOSED,
                                                   result__in=rs.DISCLOSED), user)
                  .exclude(public_answer__status__in=[RecordStatus.PENDING,
                                                      RecordStatus.PUBLISHED])
                  .select_related("org").prefetch_related("answer_files")
                  .order_by("-closed_date")[:50])
    pending = scope(PublicAnswer.objects.filter(status=RecordStatus.PENDING), user
                    ).select_related("application", "org", "proposed_by")
    return render(request, "api/staff_answers.html", {
        "candidates": candidates, "pending": pending,
        "prompts": rs.repeat_prompts(visible_org_ids(user)),
        "threshold": rs.REPEAT_APPLICANTS,
    })


@staff_required
@require_POST
def propose(request, pk: int):
    app = get_object_or_404(scope(Application.objects.all(), request.user), pk=pk)
    try:
        rs.propose(actor=request.user, application=app,
                   question=request.POST.get("question", ""),
                   file_ids=[int(v) for v in request.POST.getlist("files")
                             if v.isascii() and v.isdigit() and len(v) < 18])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已提交审核：{app.number}")
    return redirect("kaifang:staff_answers")


@staff_required
@require_POST
def publish(request, pk: int):
    record = get_object_or_404(scope(PublicAnswer.objects.all(), request.user), pk=pk)
    try:
        rs.publish(actor=request.user, record=record)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已公开。")
    return redirect("kaifang:staff_answers")


@staff_required
def dataset_upload(request, code: str):
    from django import forms
    from django.http import HttpResponse

    from gongkai.api import opendata
    from gongkai.api.models import Dataset
    from gongkai.core.permissions import can_edit, require

    request.gongkai_private = True
    ds = get_object_or_404(Dataset, code=code)
    require(can_edit(request.user, ds.org), "您不能为该单位发布数据。")
    if request.GET.get("template"):
        resp = HttpResponse(opendata.template_xlsx(ds), content_type="application/vnd."
                            "openxmlformats-officedocument.spreadsheetml.sheet")
        resp["Content-Disposition"] = f'attachment; filename="{code}-template.xlsx"'
        return resp

    class UploadForm(forms.Form):
        file = forms.FileField(label="数据文件（XLSX）",
                               error_messages={"required": "请选择要上传的文件。"})

        def clean_file(self):
            from gongkai.core.uploads import validate_upload

            f = self.cleaned_data["file"]
            validate_upload(f, allowed=("xlsx",), max_bytes=opendata.MAX_BYTES)
            f.seek(0)
            return f
        note = forms.CharField(label="更新说明", max_length=300, required=False)

    errors = []
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            release = opendata.publish_release(actor=request.user, dataset=ds,
                                               upload=form.cleaned_data["file"],
                                               note=form.cleaned_data["note"])
        except opendata.ReleaseRejected as exc:
            errors = exc.errors
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, f"已发布第{release.version}版，共{len(release.rows)}行。")
            return redirect("kaifang:dataset", code=ds.code)
    return render(request, "api/dataset_upload.html", {"ds": ds, "form": form,
                                                       "errors": errors})


@staff_required
def datasets(request):
    """The unit's datasets: their fields and latest release, with links to edit and upload."""
    from gongkai.api.models import Dataset

    request.gongkai_private = True
    qs = Dataset.objects.select_related("org").prefetch_related("releases")
    ids = visible_org_ids(request.user)
    if ids is not None:
        qs = qs.filter(org_id__in=ids)
    return render(request, "api/staff_datasets.html", {"datasets": qs})


@staff_required
def dataset_schema(request, code: str):
    """字段设置: name, label, type, required and masking rule of each field, as a form."""
    from gongkai.api import dataset_schema as schema
    from gongkai.api.forms import ChartForm, field_formset
    from gongkai.api.models import Dataset
    from gongkai.core.permissions import can_edit, require

    request.gongkai_private = True
    ds = get_object_or_404(Dataset.objects.select_related("org"), code=code)
    require(can_edit(request.user, ds.org), "您不能修改该单位数据集的字段。")
    FieldFormSet = field_formset()
    names = [(f["name"], f["label"]) for f in ds.fields]
    if request.method == "POST":
        formset = FieldFormSet(request.POST, prefix="f")
        chart = ChartForm(request.POST, prefix="chart", choices=names)
        if formset.is_valid() and chart.is_valid():
            fields = [f.cleaned_data for f in formset.ordered_forms_or_forms()
                      if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            try:
                ds, bumped = schema.save_schema(actor=request.user, dataset=ds, fields=fields,
                                                chart=chart.cleaned_data)
            except ValidationError as exc:
                formset_errors = exc.messages
            else:
                messages.success(request, f"已保存字段设置，字段第{ds.schema_version}版。" + (
                    "已发布的版本保留原来的字段。" if bumped else ""))
                return redirect("kaifang:staff_dataset_schema", code=ds.code)
        else:
            formset_errors = []
    else:
        formset = FieldFormSet(initial=ds.fields, prefix="f")
        chart = ChartForm(initial=ds.chart or {}, prefix="chart", choices=names)
        formset_errors = []
    return render(request, "api/dataset_schema.html", {
        "ds": ds, "formset": formset, "chart": chart, "schema_errors": formset_errors,
        "has_releases": ds.releases.exists()})
