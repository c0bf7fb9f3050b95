"""Public pages of 政民互动: write to the 区长信箱, follow and rate it, read published
exchanges, the statistics, and 一号答."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from gongkai.core import ratelimit
from gongkai.interaction import services, stats
from gongkai.interaction.crypto import decrypt, mask_name, tracking_hash
from gongkai.interaction.forms import MessageForm, RateForm, TrackForm
from gongkai.interaction.models import Consent, Message, MStatus, QAEntry, QStatus, Source

WRITE_LIMIT, WRITE_WINDOW = 5, 3600  # messages per address per hour
TRACK_LIMIT, TRACK_WINDOW = 20, 600


def rate_limited(request: HttpRequest, bucket: str, limit: int, window: int) -> bool:
    """Count one attempt; True when this client used up its allowance (the project-wide
    limiter: shared by every worker, client address read through trusted proxies)."""
    return not ratelimit.allow(request, f"hdjl-{bucket}", limit=limit, window=window)


def _int(value) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def text(value, limit: int = 10000) -> str:
    """A query parameter or raw POST value as safe text: no NUL or other control
    characters (PostgreSQL refuses NUL in text), trimmed, at most ``limit`` characters."""
    raw = str(value or "")[:limit]
    return "".join(ch for ch in raw if ch in "\n\t" or ch >= " ").strip()


def _page(request, qs, per_page=20):
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def home(request: HttpRequest) -> HttpResponse:
    exchanges = Message.objects.filter(published=True).select_related("org").order_by(
        "-published_at")[:10]
    qa = QAEntry.objects.filter(status=QStatus.PUBLISHED).select_related("org")[:6]
    return render(request, "interaction/home.html", {"exchanges": exchanges, "qa": qa})


def _policy(request) -> dict:
    """The policy a 「我要问」 question is about (?doc= or ?interp=), if public."""
    from gongkai.disclosure.models import Document, Interpretation

    doc_id, interp_id = _int(request.GET.get("doc")), _int(request.GET.get("interp"))
    if doc_id:
        doc = Document.objects.filter(pk=doc_id).select_related("org").first()
        if doc is not None and doc.is_public():
            return {"doc_id": doc.pk, "policy_title": doc.title, "org": doc.org}
    if interp_id:
        it = Interpretation.objects.filter(pk=interp_id).select_related("org").first()
        if it is not None and it.is_public():
            return {"interp_id": it.pk, "policy_title": it.title, "org": it.org}
    return {}


def _write(request: HttpRequest, template: str, policy: dict) -> HttpResponse:
    request.gongkai_private = True
    initial = ({"kind": "consult", "subject": f"关于《{policy['policy_title']}》的咨询"[:100]}
               if policy else {})
    form = MessageForm(request.POST or None, request.FILES or None, initial=initial)
    ctx = {"form": form, "policy": policy}
    if request.method != "POST":
        return render(request, template, ctx)
    if form.data.get("website"):
        # A bot filled the honeypot: answer as if accepted, store nothing.
        return render(request, "interaction/submitted.html", {"bot": True})
    if rate_limited(request, "write", WRITE_LIMIT, WRITE_WINDOW):
        ctx["limited"] = True
        return render(request, template, ctx, status=429)
    if not form.is_valid():
        return render(request, template, ctx)
    data = form.cleaned_data
    try:
        msg, code = services.submit_message(
            data=data, attachment=data.get("attachment"),
            source=Source.ASK if policy else Source.WEB,
            suggested_org=policy.get("org"), doc_id=policy.get("doc_id"),
            interp_id=policy.get("interp_id"), policy_title=policy.get("policy_title", ""))
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return render(request, template, ctx)
    return render(request, "interaction/submitted.html", {"msg": msg, "code": code})


@require_http_methods(["GET", "POST"])
def write(request: HttpRequest) -> HttpResponse:
    return _write(request, "interaction/write.html", {})


@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    """「我要问」 from a document or 解读 page: a 咨询 to the policy's drafting unit."""
    policy = _policy(request)
    return _write(request, "interaction/write.html", policy)


def _find(form) -> Message | None:
    number = "".join(form.cleaned_data["number"].split()).upper()
    msg = Message.objects.filter(number=number,
                                 tracking_code_hash=tracking_hash(form.cleaned_data["code"])
                                 ).select_related("org", "merged_into").first()
    if msg is None:
        form.add_error(None, "信件编号或查询码不正确，请核对后重试。")
    return msg


def _track_ctx(msg: Message) -> dict:
    shown = msg.merged_into if msg.status == MStatus.MERGED and msg.merged_into else msg
    return {"msg": msg, "shown": shown, "replies": shown.sent_replies(),
            "can_rate": shown.pk == msg.pk and msg.status == MStatus.ANSWERED
            and not msg.rating}


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    request.gongkai_private = True
    form = TrackForm(request.POST or None)
    ctx: dict = {"form": form}
    if request.method == "POST":
        if rate_limited(request, "track", TRACK_LIMIT, TRACK_WINDOW):
            ctx["limited"] = True
            return render(request, "interaction/track.html", ctx, status=429)
        if form.is_valid():
            msg = _find(form)
            if msg is not None:
                ctx.update(_track_ctx(msg))
                ctx["rate_form"] = RateForm(initial={"number": msg.number,
                                                     "code": form.cleaned_data["code"]})
    return render(request, "interaction/track.html", ctx)


@require_http_methods(["POST"])
def rate(request: HttpRequest) -> HttpResponse:
    request.gongkai_private = True
    form = RateForm(request.POST)
    ctx: dict = {"form": TrackForm(request.POST)}
    if rate_limited(request, "track", TRACK_LIMIT, TRACK_WINDOW):
        ctx["limited"] = True
        return render(request, "interaction/track.html", ctx, status=429)
    if not form.is_valid():
        msg = _find(form) if "number" in form.cleaned_data and "code" in form.cleaned_data \
            else None
        if msg is not None:
            ctx.update(_track_ctx(msg))
        ctx["rate_form"] = form
        return render(request, "interaction/track.html", ctx)
    msg = _find(form)
    if msg is None:
        ctx["form"] = form
        return render(request, "interaction/track.html", ctx)
    try:
        msg = services.rate_message(message=msg, rating=form.cleaned_data["rating"],
                                    note=form.cleaned_data["note"])
        ctx["rated"] = True
    except ValidationError as exc:
        ctx["rate_error"] = "；".join(exc.messages)
    ctx.update(_track_ctx(msg))
    return render(request, "interaction/track.html", ctx)


def exchanges(request: HttpRequest) -> HttpResponse:
    qs = Message.objects.filter(published=True).select_related("org").order_by("-published_at")
    q = text(request.GET.get("q"), 50)
    if q:
        qs = qs.filter(Q(subject__icontains=q) | Q(body__icontains=q))
    return render(request, "interaction/exchanges.html", {"page": _page(request, qs), "q": q})


def exchange(request: HttpRequest, pk: int) -> HttpResponse:
    msg = Message.objects.filter(pk=pk, published=True).select_related("org").first()
    if msg is None:
        raise Http404("该来信不存在或未公开。")
    writer = mask_name(decrypt(msg.name_enc)) if msg.consent == Consent.NAMED else "匿名"
    return render(request, "interaction/exchange.html",
                  {"msg": msg, "writer": writer, "replies": msg.sent_replies()})


def _period(request) -> tuple[dt.date, dt.date, int]:
    from django.utils import timezone

    this_year = timezone.localdate().year
    year = _int(request.GET.get("year")) or this_year
    if not 2000 <= year <= this_year + 1:
        year = this_year
    return dt.date(year, 1, 1), dt.date(year, 12, 31), year


def statistics(request: HttpRequest) -> HttpResponse:
    start, end, year = _period(request)
    from django.utils import timezone

    rows = stats.unit_rows(start, end)
    on = min(end, timezone.localdate())
    unanswered = stats.unanswered_by_unit(on)
    for r in rows:
        r.unanswered = unanswered.get(r.org_id, 0)
    top = max((r.received for r in rows), default=0)
    this_year = timezone.localdate().year
    return render(request, "interaction/statistics.html", {
        "rows": rows, "year": year, "top": top or 1, "on": on,
        "unanswered_total": sum(unanswered.values()),
        "years": list(range(this_year, max(2000, this_year - 5) - 1, -1))})


def qa_list(request: HttpRequest) -> HttpResponse:
    from gongkai.interaction.qa_search import search_qa

    q = text(request.GET.get("q"), 50)
    if q:
        items = search_qa(q)
        page = Paginator(items, 20).get_page(request.GET.get("page"))
    else:
        page = _page(request, QAEntry.objects.filter(status=QStatus.PUBLISHED)
                     .select_related("org"))
    return render(request, "interaction/qa_list.html", {"page": page, "q": q})


def qa_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = QAEntry.objects.filter(pk=pk, status=QStatus.PUBLISHED).select_related("org").first()
    if entry is None:
        raise Http404("该问答不存在或未发布。")
    return render(request, "interaction/qa_detail.html", {"entry": entry})
