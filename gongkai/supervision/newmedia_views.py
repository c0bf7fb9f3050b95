"""政务新媒体 registry on the workbench."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.core.permissions import can_view, is_coordinator, profile_of, scope, staff_required
from gongkai.supervision import forms
from gongkai.supervision.models import NewMediaAccount
from gongkai.supervision.services import newmedia
from gongkai.supervision.views import _errors


@staff_required
def media_list(request: HttpRequest) -> HttpResponse:
    coordinator = is_coordinator(request.user)
    form = forms.MediaForm(request.POST or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        org = data.pop("org") if coordinator and data.get("org") else profile_of(
            request.user).org
        data.pop("org", None)
        try:
            account = newmedia.register_account(actor=request.user, org=org, **data)
            messages.success(request, f"已登记 {account}。")
            return redirect("supervision:media")
        except ValidationError as exc:
            errors = _errors(exc)
    accounts = scope(NewMediaAccount.objects.select_related("org"), request.user)
    return render(request, "supervision/media.html", {
        "accounts": accounts, "form": form, "errors": errors, "coordinator": coordinator,
    }, status=400 if request.method == "POST" else 200)


def _account(request, pk) -> NewMediaAccount:
    account = get_object_or_404(NewMediaAccount.objects.select_related("org"), pk=pk)
    if not can_view(request.user, account.org):
        raise PermissionDenied("只能查看本单位的政务新媒体。")
    return account


@staff_required
def media_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(request, pk)
    return render(request, "supervision/media_detail.html", {
        "a": account, "coordinator": is_coordinator(request.user),
        "request_form": forms.MediaRequestForm(), "check_form": forms.MediaCheckForm(),
        "checks": account.checks.all(),
    })


@staff_required
@require_POST
def media_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    account = _account(request, pk)
    try:
        if action == "request":
            form = forms.MediaRequestForm(request.POST)
            if not form.is_valid():
                raise ValidationError("请选择申请类型并填写理由。")
            target = None
            if form.cleaned_data["merge_into"]:
                target = NewMediaAccount.objects.filter(pk=form.cleaned_data["merge_into"]).first()
            newmedia.request_change(actor=request.user, account=account,
                                    kind=form.cleaned_data["kind"],
                                    reason=form.cleaned_data["reason"], merge_into=target)
            messages.success(request, "申请已提交，待公开办审批。")
        elif action in ("approve", "reject"):
            newmedia.decide_change(actor=request.user, account=account,
                                   approve=action == "approve")
            messages.success(request, "已审批。")
        elif action == "check":
            form = forms.MediaCheckForm(request.POST)
            if not form.is_valid():
                raise ValidationError("请填写季度（如 2026Q4）和检查情况。")
            newmedia.record_check(actor=request.user, account=account, **form.cleaned_data)
            messages.success(request, "季度检查已登记。")
        elif action == "monitor":
            if not is_coordinator(request.user):
                raise PermissionDenied("只有公开办协调员可以发起监测。")
            if not account.feed_url:
                raise ValidationError("该账号没有登记订阅地址。")
            stale = newmedia.monitor(account, actor=request.user)
            messages.success(request,
                             "监测完成：" + ("超过两周未更新。" if stale else "更新正常。"))
        else:
            raise ValidationError("未知操作。")
    except ValidationError as exc:
        messages.error(request, "；".join(_errors(exc)))
    return redirect("supervision:media_detail", pk=account.pk)
