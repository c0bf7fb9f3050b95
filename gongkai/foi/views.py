"""Public pages of 依申请公开: guide, application form, tracking page, letter downloads."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gongkai.core.calendar import get_calendar
from gongkai.core.models import Organization
from gongkai.core.ratelimit import (
    APPLICATION_POSTS,
    APPLICATIONS,
    TRACK_FAILURES,
    client_ip,
)
from gongkai.foi import crypto, services
from gongkai.foi.forms import ApplicationForm, TrackForm
from gongkai.foi.models import Application, Letter

TRACK_LIMIT = TRACK_FAILURES.limit
SESSION_TRACKED = "foi_tracked"
SESSION_RECEIPT = "foi_receipt"


def guide(request):
    office = Organization.objects.filter(is_coordinating=True).first()
    return render(request, "foi/guide.html", {"office": office})


@require_http_methods(["GET", "POST"])
def apply(request):
    if request.method == "POST":
        form = ApplicationForm(request.POST, request.FILES)
        # Submissions per client are limited; a slot taken for a post that does not
        # become an application (form errors) is given back, but the posts themselves are
        # bounded too (uploads cost work).
        ip = client_ip(request)
        slot = APPLICATIONS.hit(ip)
        if slot is None or not APPLICATION_POSTS.hit(ip):
            APPLICATIONS.release(slot)
            request.gongkai_private = True
            return render(request, "foi/apply.html", {"form": form, "limited": True},
                          status=429)
        if form.is_valid():
            try:
                app, code = services.submit_online(
                    data=form.service_data(), addressee=form.cleaned_data["addressee"],
                    identity_proof=form.cleaned_data.get("identity_proof"))
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                request.session[SESSION_RECEIPT] = {"number": app.number, "code": code}
                return redirect("foi:submitted")
        APPLICATIONS.release(slot)  # not submitted
    else:
        root = Organization.root()
        form = ApplicationForm(initial={"applicant_kind": "person",
                                        "addressee": root.pk if root else None})
    request.gongkai_private = True
    return render(request, "foi/apply.html", {"form": form})


def submitted(request):
    """Shows the number and tracking code once; a reload shows the number is gone."""
    request.gongkai_private = True
    receipt = request.session.pop(SESSION_RECEIPT, None)
    return render(request, "foi/submitted.html", {"receipt": receipt})


_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "(": "〔", ")": "〕", "（": "〔", "）": "〕",
                           "【": "〔", "】": "〕", "［": "〔", "］": "〕"})


def number_variants(raw: str) -> list[str]:
    """The number as typed, and with the brackets people type instead of 〔〕."""
    typed = "".join(raw.split())
    return list(dict.fromkeys([typed, typed.translate(_BRACKETS)]))


def _tracked_ids(request) -> list[int]:
    return list(request.session.get(SESSION_TRACKED, []))


def _track_context(app: Application) -> dict:
    cal = get_calendar()
    ctx = {"app": app, "events": app.events.filter(public=True),
           "letters": app.letters.all()}
    if app.is_open and app.answer_due:
        from gongkai.foi.clock import remaining_workdays
        from gongkai.foi.forms import today

        ctx["remaining"] = remaining_workdays(cal, today(), app.answer_due)
    return ctx


@require_http_methods(["GET", "POST"])
def track(request):
    request.gongkai_private = True
    form = TrackForm(request.POST or None)
    ctx: dict = {"form": form}
    if request.method == "POST":
        # Only failed lookups count: guessing codes is what the limit stops, and an
        # applicant checking their own application again and again harms no one.
        # The slot is taken before the lookup (so concurrent guesses cannot overrun the
        # limit) and given back when the lookup succeeds.
        slot = TRACK_FAILURES.hit(client_ip(request))
        if slot is None:
            ctx["limited"] = True
            return render(request, "foi/track.html", ctx, status=429)
        if form.is_valid():
            numbers = number_variants(form.cleaned_data["number"])
            code_hash = crypto.tracking_hash(form.cleaned_data["code"])
            app = Application.objects.filter(number__in=numbers,
                                             tracking_code_hash=code_hash).first()
            if app is None:
                form.add_error(None, "申请编号或查询码不正确，请核对后重试。")
            else:
                TRACK_FAILURES.release(slot)
                tracked = _tracked_ids(request)
                if app.pk not in tracked:
                    tracked.append(app.pk)
                request.session[SESSION_TRACKED] = tracked[-20:]
                ctx.update(_track_context(app))
    return render(request, "foi/track.html", ctx)


def letter_download(request, pk: int, fmt: str):
    """Letters are downloadable only inside the session that tracked the application."""
    request.gongkai_private = True
    letter = Letter.objects.filter(pk=pk).select_related("application").first()
    if letter is None or letter.application_id not in _tracked_ids(request):
        raise Http404("文书不存在或查询已过期，请重新查询。")
    return letter_response(letter, fmt)


def letter_response(letter: Letter, fmt: str):
    if fmt == "pdf":
        services.letter_pdf(letter)
        f = letter.pdf
        ctype = "application/pdf"
    elif fmt == "docx":
        f = letter.docx
        ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        raise Http404
    name = f"{letter.title}-{letter.pk}.{fmt}"
    return FileResponse(f.open("rb"), as_attachment=True, filename=name, content_type=ctype)
