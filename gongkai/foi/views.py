"""Public pages of 依申请公开: guide, application form, tracking page, letter downloads."""

from __future__ import annotations

import io

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
from gongkai.foi import crypto, receipts, services, submit_tokens
from gongkai.foi.forms import ApplicationForm, TrackForm
from gongkai.foi.models import AnswerFile, Application, Letter

TRACK_LIMIT = TRACK_FAILURES.limit
SESSION_TRACKED = "foi_tracked"
SESSION_RECEIPT = "foi_receipt"


def guide(request):
    office = Organization.objects.filter(is_coordinating=True).first()
    return render(request, "foi/guide.html", {"office": office})


@require_http_methods(["GET", "POST"])
def apply(request):
    """The form carries a one-time token (gongkai.foi.submit_tokens): however often the same
    form is POSTed, one application is filed and every POST gets its receipt."""
    request.gongkai_private = True
    if request.method == "POST":
        token = request.POST.get(submit_tokens.FIELD, "")
        done = submit_tokens.receipt_for(token)
        if done is not None:
            return _to_receipt(request, done)
        form = ApplicationForm(request.POST, request.FILES)
        # Submissions per client are limited; a slot taken for a post that does not
        # become an application (form errors) is given back, but the posts themselves are
        # bounded too (uploads cost work). A retry of a filed form got its receipt above.
        ip = client_ip(request)
        slot = APPLICATIONS.hit(ip)
        if slot is None or not APPLICATION_POSTS.hit(ip):
            APPLICATIONS.release(slot)
            return render(request, "foi/apply.html",
                          {"form": form, "limited": True, "submit_token": token}, status=429)
        if not form.is_valid():
            pass
        elif not submit_tokens.is_valid(token):
            form.add_error(None, "申请表已过期（超过24小时或来源不明），您填写的内容都已保留，"
                                 "请核对后再次提交。")
        else:
            try:
                receipt = submit_tokens.submit_once(
                    token=token, data=form.service_data(),
                    addressee=form.cleaned_data["addressee"],
                    identity_proof=form.cleaned_data.get("identity_proof"))
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return _to_receipt(request, receipt)
        APPLICATIONS.release(slot)  # not filed
    else:
        root = Organization.root()
        form = ApplicationForm(initial={"applicant_kind": "person",
                                        "addressee": root.pk if root else None})
        token = ""
    if not submit_tokens.is_valid(token):  # a new form, or one whose token cannot be used
        token = submit_tokens.issue()
    return render(request, "foi/apply.html", {"form": form, "submit_token": token})


def _to_receipt(request, receipt: submit_tokens.Receipt):
    """303: the browser GETs the receipt, so a reload there never re-POSTs the form."""
    request.session[SESSION_RECEIPT] = receipt.as_session()
    tracked = _tracked_ids(request)
    if receipt.pk not in tracked:
        request.session[SESSION_TRACKED] = [*tracked, receipt.pk][-20:]
    response = redirect("foi:submitted")
    response.status_code = 303
    return response


def submitted(request):
    """The receipt; it stays for the session, so a reload or a lost response loses nothing."""
    request.gongkai_private = True
    receipt = request.session.get(SESSION_RECEIPT)
    return render(request, "foi/submitted.html", {"receipt": receipt})


@require_http_methods(["POST"])
def receipt_pdf(request):
    """The 回执 as PDF, for the number and tracking code (rate-limited like tracking)."""
    request.gongkai_private = True
    form = TrackForm(request.POST)
    slot = TRACK_FAILURES.hit(client_ip(request))  # only failures keep their slot
    if slot is None:
        return render(request, "foi/track.html", {"form": form, "limited": True}, status=429)
    app = None
    if form.is_valid():
        app = receipts.find(number_variants(form.cleaned_data["number"]),
                            form.cleaned_data["code"])
    if app is None:
        if form.is_valid():
            form.add_error(None, "申请编号或查询码不正确，请核对后重试。")
        return render(request, "foi/track.html", {"form": form})
    TRACK_FAILURES.release(slot)
    data = receipts.build_pdf(app, receipts.format_code(form.cleaned_data["code"]))
    name = f"{receipts.TITLE}-{app.number}.pdf"
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=name,
                        content_type="application/pdf")


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
           "letters": app.letters.all(),
           # What an answer provided; files prepared before the answer stay internal.
           "answer_files": (app.answer_files.all() if not app.is_open
                            and app.result in ("3.1", "3.2") else [])}
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


def answer_file_download(request, pk: int):
    """A file an answer provided, inside the session that tracked the application."""
    request.gongkai_private = True
    item = AnswerFile.objects.filter(pk=pk).select_related("application").first()
    app = item.application if item else None
    if (item is None or not item.file or app.pk not in _tracked_ids(request)
            or app.is_open or app.result not in ("3.1", "3.2")):
        raise Http404("材料不存在或查询已过期，请重新查询。")
    return file_response(item)


def file_response(item: AnswerFile):
    ext = item.file.name.rsplit(".", 1)[-1].lower() if "." in item.file.name else "bin"
    return FileResponse(item.file.open("rb"), as_attachment=True,
                        filename=f"{item.title}.{ext}")


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
