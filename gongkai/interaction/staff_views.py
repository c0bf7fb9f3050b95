"""Staff pages of 政民互动: the queue, a message's handling page, the coordinator's
dashboard (routing, overdue, 3-month alarms, statistics, hot topics) and 一号答."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.core.calendar import get_calendar
from gongkai.core.permissions import (
    can_edit,
    can_review,
    can_view,
    is_coordinator,
    require,
    scope,
    staff_required,
    visible_org_ids,
)
from gongkai.interaction import clock, services, stats, topics
from gongkai.interaction.crypto import decrypt, mask_name, mask_phone
from gongkai.interaction.forms import (
    CoPartForm,
    CoReviewForm,
    MergeForm,
    NoteForm,
    PublishForm,
    QAForm,
    ReplyForm,
    ReviewForm,
    RouteForm,
)
from gongkai.interaction.models import CoPart, CPStatus, Message, MStatus, QAEntry, QStatus, RStatus
from gongkai.interaction.services import coparts
from gongkai.interaction.services.common import today

STATUS_FILTERS = {"open": [MStatus.NEW, MStatus.HANDLING, MStatus.REVIEW],
                  "answered": [MStatus.ANSWERED], "merged": [MStatus.MERGED]}


def _visible_messages(user):
    qs = Message.objects.select_related("org")
    ids = visible_org_ids(user)
    if ids is None:
        return qs
    return qs.filter(org_id__in=ids) | qs.filter(co_orgs__in=ids)


def _row(cal, on, m: Message) -> dict:
    flag = clock.flag(cal, on, m.received_date, m.due_date, m.reopened) if m.is_open else clock.OK
    return {"msg": m, "flag": flag, "writer": mask_name(decrypt(m.name_enc))}


@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") if request.GET.get("status") in STATUS_FILTERS \
        else "open"
    qs = _visible_messages(request.user).filter(status__in=STATUS_FILTERS[status]).distinct()
    qs = qs.order_by("due_date", "received_date", "pk") if status == "open" \
        else qs.order_by("-received_date", "-pk")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    cal, on = get_calendar(), today()
    rows = [_row(cal, on, m) for m in page]
    # A co-handling unit sees its own part's state and deadline beside the lead's.
    ids = visible_org_ids(request.user)
    if ids is not None:
        parts = {p.message_id: p for p in CoPart.objects.filter(
            message__in=[r["msg"] for r in rows], org_id__in=ids)}
        for r in rows:
            part = parts.get(r["msg"].pk)
            if part is not None:
                r["part"] = part
                if not part.is_submitted and part.due_date and r["msg"].is_open:
                    left = clock.remaining(cal, on, part.due_date)
                    r["part_flag"] = clock.LATE if left < 0 else \
                        clock.SOON if left <= clock.SOON_WD else ""
    return render(request, "interaction/staff/queue.html", {
        "page": page, "rows": rows, "status": status,
        "coordinator": is_coordinator(request.user)})


def _message_for(user, pk: int) -> Message:
    msg = Message.objects.select_related("org", "merged_into", "suggested_org").filter(
        pk=pk).first()
    if msg is None:
        raise Http404("来信不存在。")
    co_ids = set(msg.co_orgs.values_list("pk", flat=True))
    visible = is_coordinator(user) or (msg.org_id and can_view(user, msg.org_id)) or any(
        can_view(user, i) for i in co_ids)
    require(bool(visible), "您无权查看该来信。")
    return msg


@staff_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    msg = _message_for(request.user, pk)
    user = request.user
    reply = msg.current_reply()
    cal, on = get_calendar(), today()
    lead = msg.org_id is not None and can_edit(user, msg.org_id)
    replies = msg.replies.select_related("written_by", "reviewed_by", "org")
    if not lead and not is_coordinator(user):  # a co-handler: not the lead's drafts
        replies = replies.filter(status=RStatus.SENT)
    ctx = {
        "msg": msg, "replies": replies, "parts": _parts(user, msg, cal, on),
        "outstanding": [p.org.short_name or p.org.name for p in coparts.outstanding(msg)],
        "current": reply, "coordinator": is_coordinator(user), "lead": lead,
        "writer": {"name": decrypt(msg.name_enc), "phone": decrypt(msg.phone_enc),
                   "email": decrypt(msg.email_enc), "address": decrypt(msg.address_enc)}
        if lead or is_coordinator(user) else None,
        "masked_phone": mask_phone(decrypt(msg.phone_enc)),
        "flag": clock.flag(cal, on, msg.received_date, msg.due_date,
                           msg.reopened) if msg.is_open else "",
        "remaining": clock.remaining(cal, on, msg.due_date) if msg.is_open and msg.due_date
        else None,
        "alarm_date": clock.alarm_date(msg.received_date),
        "route_form": RouteForm(initial={"org": msg.suggested_org}),
        "note_form": NoteForm(), "merge_form": MergeForm(), "reply_form": ReplyForm(),
        "publish_form": PublishForm(),
        "can_review": reply is not None and reply.status == RStatus.PENDING
        and can_review(user, reply.org_id) and reply.written_by_id != user.pk,
        "can_publish": msg.status == MStatus.ANSWERED and not msg.published
        and can_review(user, msg.org_id),
    }
    if ctx["can_review"]:
        ctx["review_form"] = ReviewForm(initial={"revision": services.reply_revision(reply)})
    if ctx["can_publish"]:
        from gongkai.disclosure import privacy
        from gongkai.interaction.services.publication import privacy_hits

        hits = privacy_hits(msg)
        ctx["privacy"] = privacy.summarize(hits) if hits else ""
    return render(request, "interaction/staff/detail.html", ctx)


def _parts(user, msg: Message, cal, on) -> list[dict]:
    """The co-handlers' parts as this user may see them: every unit's state and deadline;
    the text only of submitted parts, or of the user's own unit."""
    rows = []
    for part in msg.co_parts.select_related("org", "written_by", "reviewed_by"):
        own = can_edit(user, part.org_id)
        flag = ""
        if not part.is_submitted and part.due_date and msg.is_open:
            left = clock.remaining(cal, on, part.due_date)
            flag = clock.LATE if left < 0 else clock.SOON if left <= clock.SOON_WD else ""
        row = {"part": part, "show": coparts.visible_text(user, part), "flag": flag,
               "can_write": own and msg.status in (MStatus.HANDLING, MStatus.REVIEW)
               and part.status in coparts.EDITABLE,
               "can_submit": own and part.status == CPStatus.DRAFT,
               "can_review": part.status == CPStatus.PENDING
               and can_review(user, part.org_id) and part.written_by_id != user.pk}
        if row["can_write"]:
            row["form"] = CoPartForm(initial={"text": part.text}, prefix=f"co{part.pk}")
        if row["can_review"]:
            row["review_form"] = CoReviewForm(initial={"revision": coparts.part_revision(part)},
                                              prefix=f"cr{part.pk}")
        rows.append(row)
    return rows


def _act(request, msg: Message, fn, ok: str) -> HttpResponse:
    try:
        fn()
        flash.success(request, ok)
    except ValidationError as exc:
        flash.error(request, "；".join(exc.messages))
    return redirect("interaction:staff_detail", msg.pk)


def _form_error(request, msg, form) -> HttpResponse:
    flash.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("interaction:staff_detail", msg.pk)


@require_POST
@staff_required(coordinator=True)
def route(request: HttpRequest, pk: int) -> HttpResponse:
    msg = _message_for(request.user, pk)
    form = RouteForm(request.POST)
    if not form.is_valid():
        return _form_error(request, msg, form)
    return _act(request, msg, lambda: services.route_message(
        actor=request.user, message=msg, org=form.cleaned_data["org"],
        co_orgs=list(form.cleaned_data["co_orgs"])), "已分办。")


@require_POST
@staff_required
def send_back(request: HttpRequest, pk: int) -> HttpResponse:
    msg = _message_for(request.user, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _form_error(request, msg, form)
    return _act(request, msg, lambda: services.return_message(
        actor=request.user, message=msg, note=form.cleaned_data["note"]), "已退回公开办。")


@require_POST
@staff_required(coordinator=True)
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    msg = _message_for(request.user, pk)
    form = MergeForm(request.POST)
    if not form.is_valid():
        return _form_error(request, msg, form)
    target = Message.objects.filter(number="".join(form.cleaned_data["into"].split()).upper()
                                    ).first()
    if target is None:
        flash.error(request, "没有找到该信件编号。")
        return redirect("interaction:staff_detail", msg.pk)
    return _act(request, msg, lambda: services.merge_message(
        actor=request.user, message=msg, into=target), f"已合并至 {target.number}。")


@require_POST
@staff_required
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    msg = _message_for(request.user, pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _form_error(request, msg, form)
    return _act(request, msg, lambda: services.submit_reply(
        actor=request.user, message=msg, text=form.cleaned_data["text"],
        outstanding_note=form.cleaned_data["outstanding_note"]), "答复已提交审核。")


@require_POST
@staff_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    msg = _message_for(request.user, pk)
    current = msg.current_reply()
    form = ReviewForm(request.POST)
    if current is None or not form.is_valid():
        flash.error(request, "请选择审核意见。")
        return redirect("interaction:staff_detail", msg.pk)
    if form.cleaned_data["decision"] == "approve":
        return _act(request, msg, lambda: services.approve_reply(
            actor=request.user, reply=current, revision=form.cleaned_data["revision"]),
            "答复已审核发出。")
    return _act(request, msg, lambda: services.return_reply(
        actor=request.user, reply=current, reason=form.cleaned_data["reason"]), "答复已退回修改。")


@require_POST
@staff_required
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    msg = _message_for(request.user, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _form_error(request, msg, form)
    return _act(request, msg, lambda: services.publish_message(
        actor=request.user, message=msg, privacy_reason=form.cleaned_data["privacy_reason"]),
        "来信和答复已公开。")


@require_POST
@staff_required
def to_qa(request: HttpRequest, pk: int) -> HttpResponse:
    msg = _message_for(request.user, pk)
    try:
        entry = services.qa_from_message(actor=request.user, message=msg)
    except ValidationError as exc:
        flash.error(request, "；".join(exc.messages))
        return redirect("interaction:staff_detail", msg.pk)
    flash.success(request, "已转为一号答问答草稿（已隐去个人信息），待审核发布。")
    return redirect("interaction:staff_qa_detail", entry.pk)


def _hot(on: dt.date, days: int) -> list:
    from gongkai.interaction import hot

    return hot.hot(on, days)


@staff_required(coordinator=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    on = today()
    cal = get_calendar()
    open_msgs = Message.objects.filter(status__in=STATUS_FILTERS["open"]).select_related("org")
    late = [m for m in open_msgs if m.due_date and clock.remaining(cal, on, m.due_date) < 0]
    period = 30 if request.GET.get("period") == "month" else 7
    hot = _hot(on, period)
    top = max((t.count for t in hot), default=1)
    rows = stats.unit_rows(dt.date(on.year, 1, 1), on)
    unanswered = stats.unanswered_by_unit(on)
    for r in rows:
        r.unanswered = unanswered.get(r.org_id, 0)
    return render(request, "interaction/staff/dashboard.html", {
        "alarms": stats.alarms(on), "late": late, "approaching": stats.approaching(on),
        "unanswered_total": sum(unanswered.values()),
        "new": open_msgs.filter(status=MStatus.NEW).order_by("received_date"),
        "rows": rows, "hot": hot, "top": top,
        "period": period, "rising": topics.rising(hot)})


@staff_required
def qa(request: HttpRequest) -> HttpResponse:
    qs = scope(QAEntry.objects.select_related("org"), request.user).order_by("status", "-pk")
    form = QAForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.create_qa(actor=request.user,
                                       org=request.user.staff_profile.org,
                                       **form.cleaned_data)
            flash.success(request, "问答已保存，待审核发布。")
            return redirect("interaction:staff_qa_detail", entry.pk)
        except ValidationError as exc:
            for field, errs in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errs)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "interaction/staff/qa.html", {"page": page, "form": form})


@staff_required
def qa_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(scope(QAEntry.objects.select_related("org"), request.user), pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "withdraw":
                from gongkai.interaction.views import text

                services.withdraw_qa(actor=request.user, entry=entry,
                                     reason=text(request.POST.get("reason"), 300))
                flash.success(request, "问答已撤下，网站和站内搜索不再显示。")
                return redirect("interaction:staff_qa_detail", entry.pk)
            services.publish_qa(actor=request.user, entry=entry)
            flash.success(request, "问答已发布。")
        except ValidationError as exc:
            flash.error(request, "；".join(exc.messages))
        return redirect("interaction:staff_qa_detail", entry.pk)
    return render(request, "interaction/staff/qa_detail.html", {
        "entry": entry, "can_publish": entry.status != QStatus.PUBLISHED
        and can_review(request.user, entry.org_id) and entry.created_by_id != request.user.pk,
        "can_withdraw": entry.status == QStatus.PUBLISHED
        and can_review(request.user, entry.org_id)})


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


@staff_required
def topic_responses(request: HttpRequest) -> HttpResponse:
    """Hot topics assigned for a response: the coordinator assigns, the unit closes."""
    from gongkai.core.models import Organization
    from gongkai.interaction.models import TopicResponse
    from gongkai.interaction.services import topics as topic_services
    from gongkai.interaction.views import _int, text

    user = request.user
    if request.method == "POST":
        post = {k: text(v) for k, v in request.POST.items()}
        try:
            if post.get("action") == "assign":
                org = Organization.objects.filter(pk=_int(post.get("org")) or 0).first()
                deadline = _date(post.get("deadline"))
                if org is None or deadline is None:
                    raise ValidationError("请选择回应单位并填写有效的回应期限。")
                topic_services.assign_topic(actor=user, term=post.get("term", ""), org=org,
                                            deadline=deadline, channel=post.get("channel", ""))
            else:
                t = get_object_or_404(scope(TopicResponse.objects.all(), user),
                                      pk=_int(post.get("topic")) or 0)
                topic_services.close_topic(actor=user, topic=t, result=post.get("result", ""))
            flash.success(request, "已保存。")
        except ValidationError as exc:
            flash.error(request, "；".join(exc.messages))
        return redirect("interaction:staff_topics")
    on = today()
    period = 30 if request.GET.get("period") == "month" else 7
    hot_topics = _hot(on, period) if is_coordinator(user) else []
    return render(request, "interaction/staff/topics.html", {
        "items": scope(TopicResponse.objects.select_related("org", "assigned_by"), user),
        "today": on, "hot": hot_topics, "period": period,
        "coordinator": is_coordinator(user), "term": text(request.GET.get("term"), 100),
        "units": Organization.objects.filter(is_active=True).exclude(kind="community")})


@staff_required
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """The writer's attachment, only for staff who may see the letter (never MEDIA_URL)."""
    from django.http import FileResponse

    msg = _message_for(request.user, pk)
    if not msg.attachment:
        raise Http404("该来信没有附件。")
    try:
        handle = msg.attachment.open("rb")
    except OSError as exc:
        raise Http404("附件文件不存在。") from exc
    name = f"{msg.number}-附件{msg.attachment.name[msg.attachment.name.rfind('.'):]}"
    return FileResponse(handle, as_attachment=True, filename=name)


@staff_required
def message_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    """A further attachment of the letter (e.g. of a 12345 work order), same permission."""
    from django.http import FileResponse

    msg = _message_for(request.user, pk)
    item = get_object_or_404(msg.files.all(), pk=file_pk)
    try:
        handle = item.file.open("rb")
    except OSError as exc:
        raise Http404("附件文件不存在。") from exc
    index = list(msg.files.values_list("pk", flat=True)).index(item.pk) + 1
    name = f"{msg.number}-附件{index}{item.file.name[item.file.name.rfind('.'):]}"
    return FileResponse(handle, as_attachment=True, filename=name)

