"""Staff pages for 政策解读 under /xxgk/staff/interpretations/: thin — parse, call one
service, render. Publishing posts back the content hash the page showed (先审后发)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from gongkai.core.params import parse_id, parse_page
from gongkai.core.permissions import can_review, profile_of, scope, staff_required
from gongkai.disclosure import revision, services
from gongkai.disclosure.forms import InterpretationForm
from gongkai.disclosure.models import Document, Interpretation, Status
from gongkai.disclosure.staff_views import _errors_into, _private


@staff_required
def interpretation_list(request):
    _private(request)
    qs = scope(Interpretation.objects.select_related("org"), request.user).order_by(
        "-updated_at")
    page = Paginator(qs, 30).get_page(parse_page(request.GET.get("page")))
    return render(request, "disclosure/staff/interpretations.html", {"page": page})


@staff_required
def interpretation_edit(request, pk=None):
    _private(request)
    it = None
    if pk is not None:
        it = get_object_or_404(scope(Interpretation.objects.all(), request.user), pk=pk)
    docs_qs = scope(Document.objects.exclude(status=Status.WITHDRAWN), request.user)
    initial = {}
    doc_id = parse_id(request.GET.get("doc"))
    if it is None and doc_id is not None:
        linked = docs_qs.filter(pk=doc_id).first()
        if linked is not None:
            initial = {"documents": [linked], "title": f"《{linked.title}》政策解读"}
    org = it.org if it else profile_of(request.user).org
    if it is None and initial:
        org = initial["documents"][0].org
    docs_qs = docs_qs.filter(org=org)
    form = InterpretationForm(request.POST or None, instance=it, initial=initial,
                              documents_qs=docs_qs)
    if request.method == "POST":
        if "publish" in request.POST and it is not None:
            try:
                services.publish_interpretation(actor=request.user, interpretation=it,
                                                revision=request.POST.get("revision", ""))
            except ValidationError as exc:
                for m in exc.messages:
                    messages.error(request, m)
            else:
                messages.success(request, "解读已发布。")
            return redirect("disclosure:staff_interpretation", pk=it.pk)
        if form.is_valid():
            d = form.cleaned_data
            try:
                it = services.save_interpretation(
                    actor=request.user, org=org, interpretation=it, title=d["title"],
                    kind=d["kind"], body=d["body"], media_url=d["media_url"],
                    documents=d["documents"])
            except ValidationError as exc:
                _errors_into(form, exc)
            else:
                messages.success(request, "解读已保存。")
                return redirect("disclosure:staff_interpretation", pk=it.pk)
    current = services.interpretation_revision(it) if it is not None else ""
    return render(request, "disclosure/staff/interpretation_edit.html", {
        "form": form, "it": it, "org": org,
        "revision": current, "revision_short": revision.short(current),
        "can_publish": it is not None and it.status != Status.PUBLISHED
        and can_review(request.user, it.org) and request.user.pk not in services.authors(it),
    })
