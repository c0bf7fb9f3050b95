"""Staff pages under /xxgk/staff/: thin — parse, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.core import audit
from gongkai.core.calendar import get_calendar
from gongkai.core.models import Organization
from gongkai.core.params import clean_text, parse_choice, parse_id, parse_page, parse_slug
from gongkai.core.permissions import (
    can_edit,
    can_review,
    is_coordinator,
    profile_of,
    require,
    scope,
    staff_required,
    visible_orgs,
)
from gongkai.disclosure import privacy, revision, rules, services
from gongkai.disclosure.forms import (
    AttachmentForm,
    DocumentForm,
    GazetteForm,
    NodeForm,
    PublishForm,
    ReasonForm,
    UnitChoiceForm,
)
from gongkai.disclosure.models import (
    Attachment,
    DirectoryNode,
    DocType,
    Document,
    GazetteIssue,
    Status,
)


def _private(request):
    request.gongkai_private = True


# Not yet public: anyone who may edit the unit's documents may change them (a change to a
# pending or scheduled one voids its review, see services.update_document).
UNPUBLISHED = (Status.DRAFT, Status.PENDING, Status.SCHEDULED)


def _say_reopened(request, before: str, after: str) -> None:
    if before in (Status.PENDING, Status.SCHEDULED) and after == Status.DRAFT:
        messages.warning(request, "内容已修改，原审核失效，文件已退回草稿，请确认后重新提交审核。")


def _errors_into(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errs in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        for msg in exc.messages:
            form.add_error(None, msg)


def _my_doc(request, pk) -> Document:
    """A document of a unit the user may see; others' documents are 404, not 403."""
    return get_object_or_404(scope(Document.objects.select_related("org", "node"),
                                   request.user), pk=pk)


@staff_required
def my_documents(request):
    _private(request)
    qs = scope(Document.objects.select_related("org"), request.user).order_by("-updated_at")
    status = parse_choice(request.GET.get("status"), Status.values, default="")
    if status:
        qs = qs.filter(status=status)
    q = clean_text(request.GET.get("q"), max_len=100)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(doc_number__icontains=q))
    page = Paginator(qs, 30).get_page(parse_page(request.GET.get("page")))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "disclosure/staff/documents.html", {
        "page": page, "query": query.urlencode(), "status": status, "q": q,
        "statuses": Status.choices,
        "pending_count": _review_queue(request.user).count(),
    })


def _orgs_for(user):
    return visible_orgs(user).filter(is_active=True)


@staff_required
def document_new(request):
    _private(request)
    orgs = _orgs_for(request.user)
    org = profile_of(request.user).org
    if request.GET.get("org") or request.POST.get("org"):
        chooser = UnitChoiceForm(request.POST or request.GET, orgs=orgs)
        if chooser.is_valid():
            org = chooser.cleaned_data["org"]
    else:
        chooser = UnitChoiceForm(initial={"org": org}, orgs=orgs)
    require(can_edit(request.user, org), "您不能为该单位起草文件。")
    form = DocumentForm(request.POST or None, org=org)
    if request.method == "POST" and "title" in request.POST and form.is_valid():
        try:
            d = form.cleaned_data
            doc = services.create_document(
                actor=request.user, org=org, co_issuers=d["co_issuers"], related=d["related"],
                amends=d["amends"], replaces=d["replaces"], **form.service_fields())
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, "草稿已保存。")
            return redirect("disclosure:staff_edit", pk=doc.pk)
    return render(request, "disclosure/staff/edit.html",
                  {"form": form, "org": org, "chooser": chooser, "doc": None})


@staff_required
def document_edit(request, pk):
    _private(request)
    doc = _my_doc(request, pk)
    editable = doc.status in UNPUBLISHED or can_review(request.user, doc.org)
    form = DocumentForm(request.POST or None, instance=doc, org=doc.org)
    if request.method == "POST":
        require(editable, "已发布的文件只能由审核人更正。")
        if form.is_valid():
            d = form.cleaned_data
            was = doc.status
            try:
                saved = services.update_document(
                    actor=request.user, document=doc, note=d.get("note", ""),
                    co_issuers=d["co_issuers"], related=d["related"], amends=d["amends"],
                    replaces=d["replaces"], **form.service_fields())
            except ValidationError as exc:
                _errors_into(form, exc)
            else:
                messages.success(request, "已保存。")
                _say_reopened(request, was, saved.status)
                return redirect("disclosure:staff_edit", pk=doc.pk)
        doc.refresh_from_db()
    hits = services.privacy_hits(doc)
    return render(request, "disclosure/staff/edit.html", {
        "form": form, "doc": doc, "org": doc.org, "editable": editable,
        "attachment_form": AttachmentForm(),
        "hits": hits, "hit_summary": privacy.summarize(hits),
        "can_review": can_review(request.user, doc.org),
        "revisions": doc.revisions.all(),
        "interpretations": doc.interpretations.all(),
        "needs_interpretation": rules.needs_interpretation(
            doc_type=doc.doc_type, is_important=doc.is_important, attribute=doc.attribute),
    })


@staff_required
@require_POST
def document_action(request, pk, action):
    _private(request)
    doc = _my_doc(request, pk)
    was = doc.status
    try:
        if action == "submit":
            services.submit_document(actor=request.user, document=doc)
            messages.success(request, "已提交审核。")
        elif action == "delete":
            services.delete_draft(actor=request.user, document=doc)
            messages.success(request, "草稿已删除。")
            return redirect("disclosure:staff_documents")
        elif action == "attach":
            form = AttachmentForm(request.POST, request.FILES)
            if not form.is_valid():
                raise ValidationError("请选择要上传的文件。")
            services.add_attachment(actor=request.user, document=doc,
                                    upload=form.cleaned_data["file"],
                                    name=form.cleaned_data["name"])
            messages.success(request, "附件已上传。")
        elif action == "redact":
            n = services.redact_document(actor=request.user, document=doc)
            messages.success(request, f"已遮蔽 {n} 处个人信息；"
                                      "附件中的个人信息须删除附件后重新上传。")
        elif action == "detach":
            att = get_object_or_404(Attachment, pk=parse_id(request.POST.get("attachment")),
                                    document=doc)
            services.remove_attachment(actor=request.user, attachment=att)
            messages.success(request, "附件已删除。")
        else:
            raise ValidationError("未知操作。")
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    doc.refresh_from_db(fields=["status"])
    _say_reopened(request, was, doc.status)
    return redirect("disclosure:staff_edit", pk=doc.pk)


def _review_queue(user):
    qs = scope(Document.objects.filter(status=Status.PENDING).select_related("org"), user)
    return qs.exclude(Q(created_by=user) | Q(submitted_by=user)).exclude(contributors=user)


@staff_required
def review_queue(request):
    _private(request)
    docs = [d for d in _review_queue(request.user).order_by("publish_by", "id")
            if can_review(request.user, d.org)]
    return render(request, "disclosure/staff/review_queue.html", {"docs": docs})


@staff_required
def review(request, pk):
    _private(request)
    doc = _my_doc(request, pk)
    require(can_review(request.user, doc.org), "只有本单位审核人或公开办协调员可以审核。")
    current = services.document_revision(doc)
    offered = doc.interpretations.exclude(status=Status.PUBLISHED)
    publish_form = PublishForm(request.POST or None, document=doc, prefix="pub", revisions={
        "document": current, **{it.pk: services.interpretation_revision(it) for it in offered}})
    return_form = ReasonForm(prefix="ret")
    withdraw_form = ReasonForm(prefix="wd")
    if request.method == "POST":
        try:
            if "pub-submit" in request.POST and publish_form.is_valid():
                d = publish_form.cleaned_data
                services.publish_document(
                    actor=request.user, document=doc, revision=d["revision"],
                    interpretation_revisions=d["interpretation_revisions"],
                    sync_reason=d["sync_reason"], privacy_reason=d["privacy_reason"],
                    with_interpretations=d["with_interpretations"], at=d["at"])
                messages.success(request, "已定时发布。" if d["at"] else "已发布。")
                return redirect("disclosure:staff_review_queue")
            if "ret-submit" in request.POST:
                return_form = ReasonForm(request.POST, prefix="ret")
                if return_form.is_valid():
                    services.return_document(actor=request.user, document=doc,
                                             reason=return_form.cleaned_data["reason"])
                    messages.success(request, "已退回起草人。")
                    return redirect("disclosure:staff_review_queue")
            if "wd-submit" in request.POST:
                withdraw_form = ReasonForm(request.POST, prefix="wd")
                if withdraw_form.is_valid():
                    services.withdraw_document(actor=request.user, document=doc,
                                               reason=withdraw_form.cleaned_data["reason"])
                    messages.success(request, "已撤回。公开页面将显示撤回说明。")
                    return redirect("disclosure:staff_edit", pk=doc.pk)
        except services.StaleRevision as exc:
            # Re-open the page so the reviewer sees (and is bound to) the current text.
            for m in exc.messages:
                messages.error(request, m)
            return redirect("disclosure:staff_review", pk=doc.pk)
        except ValidationError as exc:
            target = publish_form if "pub-submit" in request.POST else (
                return_form if "ret-submit" in request.POST else withdraw_form)
            if not target.is_bound:
                target.is_bound = True
            _errors_into(target, exc)
    hits = services.privacy_hits(doc)
    author_ids = services.authors(doc)
    return render(request, "disclosure/staff/review.html", {
        "doc": doc, "publish_form": publish_form, "return_form": return_form,
        "withdraw_form": withdraw_form, "hits": hits,
        "problems": services.publish_problems(doc) if doc.status == Status.PENDING else [],
        "own": request.user.pk in author_ids,
        "revision_number": doc.revisions.order_by("-number").values_list(
            "number", flat=True).first(),
        "revision_short": revision.short(current),
        "authors": [audit.actor_label(u) for u in get_user_model().objects.filter(
            pk__in=author_ids).select_related("staff_profile").order_by("pk")],
        "attachments": doc.attachments.all(),
        "co_issuers": doc.co_issuers.all(),
        "amends": doc.amends.all(), "replaces": doc.replaces.all(),
        "needs_interpretation": rules.needs_interpretation(
            doc_type=doc.doc_type, is_important=doc.is_important, attribute=doc.attribute),
    })


@staff_required
def sync_dashboard(request):
    """三同步: regulatory or important documents without a published interpretation."""
    _private(request)
    qs = scope(Document.objects.select_related("org"), request.user).filter(
        Q(doc_type=DocType.NORMATIVE) | Q(is_important=True), attribute="public",
        status__in=[Status.DRAFT, Status.PENDING, Status.SCHEDULED, Status.PUBLISHED],
    ).annotate(n=Count("interpretations", filter=Q(interpretations__status=Status.PUBLISHED))
               ).filter(n=0).order_by("org__sort_order", "-written_date")
    return render(request, "disclosure/staff/sync.html", {"docs": qs[:300]})


@staff_required
def timeliness(request):
    """Late publications and drafts about to be late, per unit (Art. 26)."""
    _private(request)
    cal = get_calendar()
    today = timezone.localdate()
    since = today.replace(year=today.year - 1)
    qs = scope(Document.objects.select_related("org"), request.user).filter(
        attribute="public", publish_by__isnull=False, written_date__gte=since,
    ).exclude(status=Status.WITHDRAWN).order_by("org__sort_order", "publish_by")
    rows: dict = {}
    for d in qs[:2000]:
        published = timezone.localdate(d.published_at) if d.published_at else None
        state = rules.timeliness(cal, due=d.publish_by, published=published, today=today)
        if state in (rules.LATE, rules.SOON, rules.PUBLISHED_LATE):
            rows.setdefault(d.org, []).append((d, state))
    return render(request, "disclosure/staff/timeliness.html", {
        "rows": list(rows.items()), "today": today, "since": since,
        "warnings": cal.warnings(today, today.replace(year=today.year + 1)),
        "coordinator": is_coordinator(request.user),
    })


@staff_required(coordinator=True)
def directory(request):
    _private(request)
    orgs = Organization.objects.filter(is_active=True)
    code = parse_slug(request.GET.get("org") or request.POST.get("org"), default="hyq")
    org = orgs.filter(code=code).first() or orgs.first()
    node = None
    node_id = parse_id(request.GET.get("node") or request.POST.get("node"))
    if node_id is not None:
        node = DirectoryNode.objects.filter(org=org, pk=node_id).first()
    form = NodeForm(request.POST or None, instance=node, org=org)
    if request.method == "POST":
        if "seed" in request.POST:
            n = services.seed_directory(actor=request.user, org=org)
            messages.success(request, f"已补齐标准目录：新增 {n} 个栏目。")
            return redirect(f"{request.path}?org={org.code}")
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.save_node(actor=request.user, org=org, node=node, **d)
            except ValidationError as exc:
                _errors_into(form, exc)
            else:
                messages.success(request, "栏目已保存。")
                return redirect(f"{request.path}?org={org.code}")
    return render(request, "disclosure/staff/directory.html", {
        "orgs": orgs, "org": org, "nodes": DirectoryNode.objects.filter(org=org)
        .select_related("parent"), "form": form, "node": node,
    })


@staff_required(coordinator=True)
def gazette(request):
    _private(request)
    form = GazetteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            issue = services.save_gazette_issue(actor=request.user, **d)
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, f"已保存{issue}。")
            return redirect("disclosure:staff_gazette")
    return render(request, "disclosure/staff/gazette.html",
                  {"form": form, "issues": GazetteIssue.objects.all()[:50]})
