"""访谈和开放日: public pages (register, ask) and the organiser's page."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from gongkai.core.models import Organization
from gongkai.core.permissions import can_edit, can_review, scope, staff_required
from gongkai.interaction.forms import EventForm, QuestionForm, RegisterForm
from gongkai.interaction.models import Commitment, Event
from gongkai.interaction.services import events as svc
from gongkai.interaction.views import _int, rate_limited, text


def public_list(request: HttpRequest) -> HttpResponse:
    qs = Event.objects.filter(published=True).select_related("org")
    return render(request, "interaction/events.html",
                  {"page": Paginator(qs, 20).get_page(request.GET.get("page"))})


@require_http_methods(["GET", "POST"])
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = Event.objects.filter(pk=pk, published=True).select_related("org").first()
    if event is None:
        raise Http404("活动不存在。")
    action = request.POST.get("action") if request.method == "POST" else ""
    reg_form = RegisterForm(request.POST if action == "register" else None)
    q_form = QuestionForm(request.POST if action == "ask" else None)
    ctx = {"event": event, "reg_form": reg_form, "q_form": q_form,
           "questions": event.questions.filter(public=True),
           "commitments": event.commitments.select_related("org"),
           "taken": event.registrations.count()}
    if action in ("register", "ask"):
        request.gongkai_private = True
        form = reg_form if action == "register" else q_form
        if form.data.get("website"):
            return render(request, "interaction/event.html", dict(ctx, thanks=True))
        if rate_limited(request, "event", 10, 3600):
            return render(request, "interaction/event.html", dict(ctx, limited=True), status=429)
        if form.is_valid():
            try:
                if action == "register":
                    _reg, code = svc.register(event=event, name=form.cleaned_data["name"],
                                              phone=form.cleaned_data["phone"])
                    ctx.update(code=code, taken=ctx["taken"] + 1)
                else:
                    svc.ask_question(event=event, text=form.cleaned_data["text"])
                    ctx["asked"] = True
            except ValidationError as exc:
                form.add_error(None, exc.messages)
    return render(request, "interaction/event.html", ctx)


@staff_required
def staff_list(request: HttpRequest) -> HttpResponse:
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = svc.create_event(actor=request.user, org=request.user.staff_profile.org,
                                     **form.cleaned_data)
            return redirect("interaction:staff_event", event.pk)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
    qs = scope(Event.objects.select_related("org"), request.user)
    return render(request, "interaction/staff/events.html",
                  {"page": Paginator(qs, 30).get_page(request.GET.get("page")), "form": form})


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value or ""))
    except ValueError:
        return None


@staff_required
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(scope(Event.objects.select_related("org"), request.user), pk=pk)
    if request.method == "POST":
        action, user = request.POST.get("action"), request.user
        post = {k: text(v) for k, v in request.POST.items()}
        try:
            if action == "record":
                svc.publish_record(actor=user, event=event, record=post.get("record", ""),
                                   video_url=post.get("video_url", ""))
            elif action == "answer":
                q = get_object_or_404(event.questions, pk=_int(post.get("question")) or 0)
                svc.answer_question(actor=user, question=q, answer=post.get("answer", ""))
            elif action == "commit":
                org = Organization.objects.filter(pk=_int(post.get("org")) or 0).first()
                deadline = _date(post.get("deadline"))
                if org is None or deadline is None:
                    raise ValidationError("请选择责任单位并填写有效的完成期限。")
                svc.add_commitment(actor=user, event=event, text=post.get("text", ""),
                                   org=org, deadline=deadline)
            elif action == "close":
                c = get_object_or_404(Commitment, pk=_int(post.get("commitment")) or 0,
                                      event=event)
                svc.close_commitment(actor=user, commitment=c, result=post.get("result", ""))
            flash.success(request, "已保存。")
        except ValidationError as exc:
            flash.error(request, "；".join(exc.messages))
        return redirect("interaction:staff_event", event.pk)
    return render(request, "interaction/staff/event.html", {
        "event": event, "questions": event.questions.all(),
        "commitments": event.commitments.select_related("org"),
        "registrations": event.registrations.count(),
        "can_review": can_review(request.user, event.org_id),
        "can_edit": can_edit(request.user, event.org_id),
        "units": Organization.objects.filter(is_active=True).exclude(kind="community")})
