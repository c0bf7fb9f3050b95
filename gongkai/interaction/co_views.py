"""协办 on a letter's page: a co-handling unit saves its part, sends it for review in the
unit and its reviewer approves or returns it; the file is served only to who may see it."""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from gongkai.core.permissions import staff_required
from gongkai.interaction import services
from gongkai.interaction.forms import CoPartForm, CoReviewForm
from gongkai.interaction.models import CoPart, Message
from gongkai.interaction.services import coparts
from gongkai.interaction.staff_views import _act, _form_error, _message_for


def _part_for(user, pk: int, part_pk: int) -> tuple[Message, CoPart]:
    msg = _message_for(user, pk)
    part = msg.co_parts.select_related("org").filter(pk=part_pk).first()
    if part is None:
        raise Http404("协办意见不存在。")
    return msg, part


@require_POST
@staff_required
def co_part(request: HttpRequest, pk: int, part_pk: int) -> HttpResponse:
    """A co-handler's part: save the draft, send it for review in the unit, or review it."""
    msg, part = _part_for(request.user, pk, part_pk)
    action = request.POST.get("action")
    if action == "save":
        form = CoPartForm(request.POST, request.FILES, prefix=f"co{part.pk}")
        if not form.is_valid():
            return _form_error(request, msg, form)
        return _act(request, msg, lambda: services.save_part(
            actor=request.user, part=part, text=form.cleaned_data["text"],
            attachment=form.cleaned_data["attachment"],
            remove_attachment=form.cleaned_data["remove_attachment"]), "协办意见草稿已保存。")
    if action == "submit":
        return _act(request, msg, lambda: services.submit_part(actor=request.user, part=part),
                    "协办意见已提交本单位审核。")
    if action == "review":
        form = CoReviewForm(request.POST, prefix=f"cr{part.pk}")
        if not form.is_valid():
            return _form_error(request, msg, form)
        if form.cleaned_data["decision"] == "approve":
            return _act(request, msg, lambda: services.approve_part(
                actor=request.user, part=part, revision=form.cleaned_data["revision"]),
                "协办意见已审核通过，提交主办单位。")
        return _act(request, msg, lambda: services.return_part(
            actor=request.user, part=part, reason=form.cleaned_data["reason"]),
            "协办意见已退回修改。")
    flash.error(request, "未知操作。")
    return redirect("interaction:staff_detail", msg.pk)


@staff_required
def co_attachment(request: HttpRequest, pk: int, part_pk: int) -> HttpResponse:
    from django.http import FileResponse

    msg, part = _part_for(request.user, pk, part_pk)
    if not part.attachment or not coparts.visible_text(request.user, part):
        raise Http404("该协办意见没有附件。")
    try:
        handle = part.attachment.open("rb")
    except OSError as exc:
        raise Http404("附件文件不存在。") from exc
    ext = part.attachment.name[part.attachment.name.rfind("."):]
    return FileResponse(handle, as_attachment=True, filename=f"{msg.number}-协办意见附件{ext}")
