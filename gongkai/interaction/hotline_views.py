"""12345 hand-off for the 公开办 on the web: upload work orders, download them back."""

from __future__ import annotations

import io

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.core.params import parse_choice
from gongkai.core.permissions import staff_required
from gongkai.interaction import hotline
from gongkai.interaction.forms import HotlineImportForm
from gongkai.interaction.models import Message
from gongkai.interaction.services.common import today


@staff_required(coordinator=True)
def hotline_page(request: HttpRequest) -> HttpResponse:
    """12345 hand-off for the 公开办: import work orders (each becomes a 待分办 letter
    keeping its order number), download the orders with status and reply."""
    form = HotlineImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"]
        created, skipped, errors = hotline.import_orders(
            io.StringIO(data["text"], newline=""), data["format"], actor=request.user)
        result = {"created": created, "skipped": skipped, "errors": errors[:200],
                  "more": max(0, len(errors) - 200)}
    return render(request, "interaction/staff/hotline.html", {
        "form": form, "result": result, "import_fields": hotline.IMPORT_FIELDS,
        "export_fields": hotline.EXPORT_FIELDS,
        "orders": Message.objects.exclude(hotline_number="").count()})


@staff_required(coordinator=True)
def hotline_export(request: HttpRequest) -> HttpResponse:
    fmt = parse_choice(request.GET.get("format"), ("csv", "jsonl"), default="csv")
    everything = parse_choice(request.GET.get("all"), ("1",)) == "1"
    qs = Message.objects.select_related("org").order_by("pk")
    if not everything:
        qs = qs.exclude(hotline_number="")
    content_type = "text/csv" if fmt == "csv" else "application/x-ndjson"
    response = HttpResponse(content_type=f"{content_type}; charset=utf-8")
    if fmt == "csv":
        response.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with a BOM
    hotline.write(hotline.export_rows(qs), response, fmt)
    name = f"12345-orders-{today():%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
