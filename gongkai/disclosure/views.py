"""Public pages of 政府信息公开. Read-only; everything shown is published and 主动公开."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header

from gongkai.core import registry
from gongkai.core.models import Organization
from gongkai.core.params import clean_text, parse_choice, parse_id, parse_page, parse_year
from gongkai.disclosure import docnumber
from gongkai.disclosure.forms import DocumentFilterForm
from gongkai.disclosure.models import (
    Attachment,
    DirectoryNode,
    DocType,
    Document,
    GazetteIssue,
    Interpretation,
    InterpretationKind,
    NodeKind,
    Regulation,
    RegulationVersion,
    Status,
    Validity,
)
from gongkai.disclosure.services import version_diff

PAGE_SIZE = 20
CLEANUP_SINCE = dt.date(2016, 1, 1)


def _public_docs():
    return Document.objects.public().select_related("org", "node")


def _page(request, qs, size=PAGE_SIZE):
    page = Paginator(qs, size).get_page(parse_page(request.GET.get("page")))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def apply_filters(qs, form: DocumentFilterForm):
    if not form.is_valid():
        return qs
    d = form.cleaned_data
    if d.get("org"):
        qs = qs.filter(Q(org=d["org"]) | Q(co_issuers=d["org"])).distinct()
    if d.get("year"):
        y = int(d["year"])
        qs = qs.filter(Q(written_date__year=y) | Q(written_date__isnull=True,
                                                    published_at__year=y))
    if d.get("topic"):
        qs = qs.filter(topic=d["topic"])
    if d.get("validity"):
        qs = qs.filter(validity=d["validity"])
    if d.get("doc_type"):
        qs = qs.filter(doc_type=d["doc_type"])
    if d.get("node"):
        code = d["node"]  # the node itself or any node below it (the tree is 3 deep)
        qs = qs.filter(Q(node__code=code) | Q(node__parent__code=code)
                       | Q(node__parent__parent__code=code))
    if d.get("doc_number"):
        parsed = docnumber.parse(d["doc_number"])
        qs = qs.filter(doc_number=parsed.text) if parsed.valid else qs.filter(
            doc_number__icontains=d["doc_number"].strip())
    if d.get("q"):
        qs = qs.filter(title__icontains=d["q"].strip())
    return qs


def index(request):
    units = Organization.objects.filter(is_active=True).exclude(kind="community")
    return render(request, "disclosure/index.html", {
        "units": units,
        "latest": _public_docs()[:10],
        "interpretations": Interpretation.objects.filter(status=Status.PUBLISHED)
        .select_related("org")[:5],
    })


def _unit(code: str) -> Organization:
    return get_object_or_404(Organization, code=code, is_active=True)


def unit_home(request, org_code):
    org = _unit(org_code)
    nodes = list(DirectoryNode.objects.filter(org=org, is_active=True))
    by_kind = {}
    for n in nodes:
        by_kind.setdefault(n.kind, n)
    children: dict = {}
    for n in nodes:
        children.setdefault(n.parent_id, []).append(n)
    docs = _public_docs().filter(org=org)

    def first_doc(kind):
        node = by_kind.get(kind)
        return docs.filter(node=node).first() if node else None

    tree_root = next((n for n in nodes if n.code == "fdzdgk"), None)
    return render(request, "disclosure/unit_home.html", {
        "org": org,
        "guide_node": by_kind.get(NodeKind.GUIDE), "guide": first_doc(NodeKind.GUIDE),
        "system_node": by_kind.get(NodeKind.SYSTEM), "system": first_doc(NodeKind.SYSTEM),
        "report_node": by_kind.get(NodeKind.ANNUAL_REPORT),
        "reports": docs.filter(node__kind=NodeKind.ANNUAL_REPORT)[:5],
        "tree": [(n, children.get(n.pk, [])) for n in children.get(
            tree_root.pk if tree_root else None, []) if n.kind != NodeKind.ANNUAL_REPORT],
        "latest": docs[:10],
        "foi_url": registry.section_url("ysqgk"),
        "reports_url": registry.section_url("ndbg"),
    })


def node_list(request, org_code, node_code):
    org = _unit(org_code)
    node = get_object_or_404(DirectoryNode, org=org, code=node_code, is_active=True)
    if node.kind == NodeKind.INTERPRETATION:
        qs = Interpretation.objects.filter(status=Status.PUBLISHED).filter(
            Q(org=org) | Q(documents__org=org)).distinct().select_related("org")
        page, query = _page(request, qs)
        return render(request, "disclosure/interpretation_list.html",
                      {"page": page, "query": query, "org": org, "node": node})
    form = DocumentFilterForm(request.GET or None)
    qs = apply_filters(_public_docs().filter(node_id__in=node.descendant_ids()), form)
    page, query = _page(request, qs)
    return render(request, "disclosure/node.html", {
        "org": org, "node": node, "form": form, "page": page, "query": query,
        "children": node.children.filter(is_active=True),
    })


def document_list(request):
    form = DocumentFilterForm(request.GET or None)
    qs = apply_filters(_public_docs(), form)
    page, query = _page(request, qs)
    return render(request, "disclosure/document_list.html",
                  {"form": form, "page": page, "query": query, "title": "政府信息"})


def policy_library(request):
    cleanup = request.GET.get("view") == "xxyx"
    form = DocumentFilterForm(request.GET or None)
    qs = _public_docs().filter(doc_type__in=[DocType.REGULATION, DocType.NORMATIVE,
                                             DocType.POLICY])
    if cleanup:
        qs = qs.filter(doc_type__in=[DocType.NORMATIVE, DocType.POLICY],
                       written_date__gte=CLEANUP_SINCE).exclude(
            validity__in=[Validity.REPEALED, Validity.EXPIRED])
    qs = apply_filters(qs, form)
    page, query = _page(request, qs)
    return render(request, "disclosure/policy_library.html", {
        "form": form, "page": page, "query": query, "cleanup": cleanup,
        "since": CLEANUP_SINCE,
    })


def _visible_document(pk) -> Document:
    return get_object_or_404(Document.objects.visible_pages().select_related("org", "node"),
                             pk=pk)


def document_detail(request, pk, template="disclosure/document_detail.html"):
    doc = _visible_document(pk)
    public = doc.is_public()
    return render(request, template, {
        "doc": doc,
        "public": public,
        "attachments": doc.attachments.all() if public else [],
        "interpretations": doc.public_interpretations() if public else [],
        "related": [d for d in doc.related.all() if d.is_public()] if public else [],
        "amends": doc.amends.filter(status=Status.PUBLISHED),
        "amended_by": doc.amended_by.filter(status=Status.PUBLISHED),
        "replaces": doc.replaces.filter(status=Status.PUBLISHED),
        "replaced_by": doc.replaced_by.filter(status=Status.PUBLISHED),
        "corrections": doc.corrections(),
        "co_issuers": doc.co_issuers.all(),
        "gazettes": doc.gazette_issues.filter(is_published=True),
        # A 行政法规 carried as a 上级政策文件 is also in the 法规库, with its later versions.
        "regulation": Regulation.objects.filter(title=doc.title).first() if public else None,
    })


def document_print(request, pk):
    return document_detail(request, pk, template="disclosure/document_print.html")


def attachment_download(request, pk):
    att = get_object_or_404(Attachment.objects.select_related("document"), pk=pk)
    if not att.document.is_public():
        raise Http404
    if settings.GONGKAI_MEDIA_ACCEL:
        # nginx sends the file itself (deploy/nginx: location /_protected_media/, internal);
        # the check above stays here, so a withdrawn document's files go with it.
        response = HttpResponse(content_type="application/octet-stream")
        response["X-Accel-Redirect"] = "/_protected_media/" + quote(att.file.name)
        name = att.name if "." in att.name else f"{att.name}.{att.kind}"
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
    return FileResponse(att.file.open("rb"), as_attachment=True,
                        filename=f"{att.name}.{att.kind}" if "." not in att.name else att.name)


def interpretation_list(request):
    qs = Interpretation.objects.filter(status=Status.PUBLISHED).select_related("org")
    kind = parse_choice(request.GET.get("kind"), InterpretationKind.choices, default="")
    if kind:
        qs = qs.filter(kind=kind)
    page, query = _page(request, qs)
    return render(request, "disclosure/interpretation_list.html",
                  {"page": page, "query": query, "kind": kind,
                   "kinds": InterpretationKind.choices})


def interpretation_detail(request, pk):
    it = get_object_or_404(Interpretation.objects.select_related("org"), pk=pk,
                           status=Status.PUBLISHED)
    return render(request, "disclosure/interpretation_detail.html", {
        "it": it, "documents": it.documents.filter(status=Status.PUBLISHED,
                                                   attribute="public"),
    })


def gazette_list(request):
    issues = GazetteIssue.objects.filter(is_published=True)
    years = sorted({i.year for i in issues}, reverse=True)
    year = parse_year(request.GET.get("year"))
    if year is not None:
        issues = issues.filter(year=year)
    return render(request, "disclosure/gazette_list.html",
                  {"issues": issues, "years": years, "year": str(year or "")})


def gazette_issue(request, year, number):
    issue = get_object_or_404(GazetteIssue, year=year, number=number, is_published=True)
    return render(request, "disclosure/gazette_issue.html", {
        "issue": issue,
        "documents": issue.documents.filter(status=Status.PUBLISHED, attribute="public")
        .select_related("org"),
    })


def regulation_list(request):
    qs = Regulation.objects.all()
    q = clean_text(request.GET.get("q"), max_len=100)
    collection = clean_text(request.GET.get("collection"), max_len=100)
    if q:
        qs = qs.filter(title__icontains=q)
    if collection:
        qs = qs.filter(collection=collection)
    collections = (Regulation.objects.order_by("collection").values_list("collection", flat=True)
                   .distinct())
    page, query = _page(request, qs, 30)
    return render(request, "disclosure/regulation_list.html", {
        "page": page, "query": query, "q": q, "collection": collection,
        "collections": [c for c in collections if c],
    })


def regulation_detail(request, pk):
    reg = get_object_or_404(Regulation, pk=pk)
    versions = list(reg.versions.all())
    current = next((v for v in versions if v.is_current), versions[0] if versions else None)
    return render(request, "disclosure/regulation_detail.html",
                  {"reg": reg, "versions": versions, "current": current})


def regulation_diff(request, pk):
    reg = get_object_or_404(Regulation, pk=pk)
    versions = list(reg.versions.all())
    if len(versions) < 2:
        raise Http404
    by_id = {v.pk: v for v in versions}
    new = by_id.get(parse_id(request.GET.get("b")), next((v for v in versions if v.is_current),
                                                    versions[0]))
    older = [v for v in versions if v.pk != new.pk]
    old = by_id.get(parse_id(request.GET.get("a")), older[0])
    return render(request, "disclosure/regulation_diff.html", {
        "reg": reg, "old": old, "new": new, "versions": versions,
        "changes": version_diff(old, new),
    })


def version_text(request, pk):
    v = get_object_or_404(RegulationVersion.objects.select_related("regulation"), pk=pk)
    return render(request, "disclosure/regulation_detail.html", {
        "reg": v.regulation, "versions": list(v.regulation.versions.all()), "current": v,
    })
