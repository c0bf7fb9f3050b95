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
                   file_ids=[int(v) for v in request.POST.getlist("files") if v.isdigit()])
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
