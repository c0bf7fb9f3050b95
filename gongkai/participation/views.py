"""Public pages of 公众参与: the column, a consultation with its articles and comment form,
the published 意见采纳情况, the disposition lookup by code, and the decision catalog."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.core import ratelimit
from gongkai.core.models import Organization
from gongkai.disclosure import textdiff
from gongkai.participation import articles as arts
from gongkai.participation import policydocs, privacy, queries
from gongkai.participation.forms import CommentForm, LookupForm
from gongkai.participation.models import (
    Catalog,
    ChangeKind,
    Consultation,
    Decision,
    Review,
    timeline,
)
from gongkai.participation.services import opinions as opinion_services

COMMENT_LIMIT, COMMENT_WINDOW = 10, 3600
LOOKUP_LIMIT, LOOKUP_WINDOW = 20, 3600


def _org_param(request) -> Organization | None:
    code = (request.GET.get("org") or "").replace("\x00", "")[:64]
    if not code:
        return None
    return Organization.objects.filter(code=code, is_active=True).first()


def index(request: HttpRequest) -> HttpResponse:
    org = _org_param(request)
    active = set(queries.public_consultations().values_list("org_id", flat=True)) | set(
        queries.public_catalogs().values_list("org_id", flat=True))
    return render(request, "participation/index.html", {
        "org": org, "groups": queries.column(org),
        "units": Organization.objects.filter(pk__in=active).order_by("sort_order", "code"),
        "catalogs": queries.public_catalogs(org)[:20],
    })


def _published(pk: int) -> Consultation:
    c = get_object_or_404(Consultation.objects.select_related("org", "decision"), pk=pk)
    if c.review_status != Review.PUBLISHED:
        raise Http404("征求意见不存在或尚未发布。")
    return c


def _article_choice(request, c: Consultation, params=None):
    raw = ((params if params is not None else request.GET).get("article") or "").strip()
    if raw.isdecimal() and len(raw) < 10:
        return c.articles.filter(pk=int(raw)).first()
    return None


def consultation(request: HttpRequest, pk: int, form: CommentForm | None = None,
                 status: int = 200, error: str = "") -> HttpResponse:
    c = _published(pk)
    chosen = _article_choice(request, c)
    if form is None:
        form = CommentForm()
    elif chosen is None:
        chosen = _article_choice(request, c, request.POST)
    diff_rows = []
    if c.final_text:
        draft = arts.split(c.draft_text)
        final = arts.split(c.final_text)
        for label, state, before, after in arts.compare(draft, final):
            diff_rows.append({"label": label, "state": state,
                              "rows": textdiff.diff(before, after) if state == "changed"
                              else [], "before": before, "after": after})
    return render(request, "participation/consultation.html", {
        "c": c, "articles": c.articles.all(), "form": form, "chosen": chosen,
        "open": c.is_open(), "phase": c.phase(), "error": error, "diff_rows": diff_rows,
        "report": getattr(c, "report", None),
        "extensions": c.period_changes.filter(kind=ChangeKind.EXTEND,
                                              status=Review.PUBLISHED).order_by("applied_at"),
    }, status=status)


@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    c = _published(pk)
    # NUL characters (pasted from broken editors) are dropped rather than refused.
    form = CommentForm({k: v.replace("\x00", "") for k, v in request.POST.items()})
    if (request.POST.get("website") or "").strip():
        # A bot filled the honeypot: answer as if accepted, store nothing.
        return render(request, "participation/thanks.html", {"c": c, "code": None})
    if not ratelimit.allow(request, "gzcy-comment", limit=COMMENT_LIMIT, window=COMMENT_WINDOW):
        return consultation(request, pk, form, status=429,
                            error="提交过于频繁，请稍后再试。您的意见尚未提交，内容已保留。")
    if not form.is_valid():
        return consultation(request, pk, form, status=400)
    data = form.cleaned_data
    raw_article = (request.POST.get("article") or "").strip()
    try:
        op, code = opinion_services.submit_comment(
            consultation=c, body=data["body"],
            article_id=raw_article if raw_article.isdecimal() and len(raw_article) < 10
            else None,
            name=data["name"], contact=data["contact"], publish_name=data["publish_name"])
    except ValidationError as exc:
        status = 403 if isinstance(exc, opinion_services.ClosedError) else 400
        return consultation(request, pk, form, status=status, error="；".join(exc.messages))
    return render(request, "participation/thanks.html", {"c": c, "code": code, "op": op})


def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    c = _published(pk)
    report = getattr(c, "report", None)
    if report is None or not report.is_published:
        raise Http404("意见采纳情况尚未公布。")
    return render(request, "participation/feedback.html", {
        "c": c, "report": report, "counts": queries.report_counts(c),
        "opinions": queries.visible_opinions(c), "groups": c.groups.all(),
    })


@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    request.gongkai_private = True
    form = LookupForm(request.POST or None)
    ctx: dict = {"form": form}
    status = 200
    if request.method == "POST":
        if not ratelimit.allow(request, "gzcy-lookup", limit=LOOKUP_LIMIT, window=LOOKUP_WINDOW):
            form.is_valid()
            form.add_error(None, "查询过于频繁，请一小时后再试。")
            return render(request, "participation/lookup.html", ctx, status=429)
        if form.is_valid():
            op = queries.find_by_code(privacy.code_hash(form.cleaned_data["code"]))
            if op is None or op.consultation.review_status != Review.PUBLISHED:
                form.add_error("code", "查询码不正确，请核对后重试。")
                status = 400
            else:
                report = getattr(op.consultation, "report", None)
                ctx |= {"op": op, "published": report is not None and report.is_published}
    return render(request, "participation/lookup.html", ctx, status=status)


def catalogs(request: HttpRequest) -> HttpResponse:
    org = _org_param(request)
    return render(request, "participation/catalogs.html", {
        "org": org, "catalogs": queries.public_catalogs(org)})


def catalog(request: HttpRequest, pk: int) -> HttpResponse:
    cat = get_object_or_404(Catalog.objects.select_related("org"), pk=pk,
                            published_at__isnull=False)
    live = {d.pk: d for d in cat.items.all()}
    rows = [row | {"decision": live.get(row["id"])} for row in cat.snapshot]
    return render(request, "participation/catalog.html", {"cat": cat, "rows": rows})


def decision(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Decision.objects.select_related("catalog__org"), pk=pk)
    cat = item.catalog
    row = next((r for r in cat.snapshot if r["id"] == item.pk), None)
    if cat.published_at is None or row is None:
        raise Http404("该事项尚未公布。")
    stages = timeline(s for s in policydocs.annotate(item.stages.filter(
        review_status=Review.PUBLISHED).select_related("consultation", "consultation__report"))
                      if s.consultation is None or s.consultation.is_published)
    consults = [c for c in item.consultations.filter(review_status=Review.PUBLISHED)]
    return render(request, "participation/decision.html", {
        "item": item, "row": row, "cat": cat, "stages": stages, "consultations": consults})


SURVEY_LIMIT, SURVEY_WINDOW = 10, 3600


def survey(request: HttpRequest, pk: int) -> HttpResponse:
    """The questionnaire: answered while the consultation is open; results after it closes."""
    from gongkai.participation import surveyrules
    from gongkai.participation.services import surveys

    c = _published(pk)
    questions = list(c.questions.all())
    if not questions:
        raise Http404("该征求意见没有问卷。")
    ctx: dict = {"c": c, "questions": questions, "open": c.is_open(), "done": False,
                 "errors": [], "chosen": {}}
    status = 200
    if request.method == "POST":
        raw = {k: request.POST.getlist(k) for k in request.POST if k.startswith("q")}
        ctx["chosen"] = raw
        if (request.POST.get("website") or "").strip():
            ctx["done"] = True
        elif not ratelimit.allow(request, "gzcy-survey", limit=SURVEY_LIMIT, window=SURVEY_WINDOW):
            ctx["errors"], status = ["提交过于频繁，请稍后再试。"], 429
        else:
            try:
                surveys.answer_survey(consultation=c, raw=raw)
                ctx["done"] = True
            except ValidationError as exc:
                closed = isinstance(exc, opinion_services.ClosedError)
                ctx["errors"], status = exc.messages, 403 if closed else 400
    if not c.is_open():
        responses = list(c.survey_responses.values_list("answers", flat=True))
        ctx["results"] = surveyrules.tally(surveys.as_rules(questions), responses)
        ctx["respondents"] = len(responses)
    return render(request, "participation/survey.html", ctx, status=status)
