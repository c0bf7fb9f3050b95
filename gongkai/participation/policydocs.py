"""Documents and 政策解读 of the platform that a decision stage links to (决策结果、解读、
草案 …), picked by staff by 索引号, 文号 or title.

Participation does not own these records and keeps no foreign key to them: a stage stores
the picked object's id (``doc_id`` / ``interp_id``, plain integers) and the title it had
when picked, exactly as interaction's 一号答 stores ``doc_ids``; this module is the only
place that reads them, importing the disclosure models lazily (as interaction's
``views._policy`` does). Whether a link is live is decided when a page is rendered: a
document withdrawn (撤回) or no longer public is shown by its title with 「已撤回」 and no
link."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.urls import Resolver404, resolve

DOC, INTERP = "doc", "interp"
KIND_LABELS = {DOC: "文件", INTERP: "政策解读"}


@dataclass(frozen=True)
class Ref:
    kind: str  # DOC or INTERP
    pk: int
    title: str
    url: str
    live: bool  # published and public now
    detail: str = ""  # 索引号 · 文号 · 日期, for the picker

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.pk}"

    @property
    def state(self) -> str:
        return "" if self.live else "已撤回或不再公开"


def _models():
    from gongkai.disclosure.models import Document, Interpretation

    return Document, Interpretation


def parse_key(value) -> tuple[str, int] | None:
    """"doc:12" / "interp:3" → (kind, pk); anything else → None."""
    kind, _, raw = str(value or "").partition(":")
    if kind in (DOC, INTERP) and raw.isdecimal() and len(raw) < 10:
        return kind, int(raw)
    return None


def from_path(url: str) -> tuple[str, int] | None:
    """A typed site path of a document or 解读 page (/xxgk/doc/12/) → (kind, pk)."""
    if not url.startswith("/"):
        return None
    try:
        match = resolve(url.split("?")[0].split("#")[0])
    except Resolver404:
        return None
    pk = match.kwargs.get("pk")
    if match.view_name == "disclosure:document" and pk:
        return DOC, int(pk)
    if match.view_name == "disclosure:interpretation" and pk:
        return INTERP, int(pk)
    return None


def _doc_ref(d) -> Ref:
    date = d.published_at.date().isoformat() if getattr(d, "published_at", None) else ""
    detail = " · ".join(x for x in [d.index_number, d.doc_number, date] if x)
    return Ref(DOC, d.pk, d.title, d.get_absolute_url(), d.is_public(), detail)


def _interp_ref(i) -> Ref:
    date = i.published_at.date().isoformat() if i.published_at else ""
    return Ref(INTERP, i.pk, i.title, i.get_absolute_url(), i.is_public(),
               " · ".join(x for x in ["政策解读", date] if x))


def get(kind: str, pk: int) -> Ref | None:
    """The document or 解读 ``pk`` as it is now (public or not), or None if it is gone."""
    try:
        Document, Interpretation = _models()
    except ImportError:  # disclosure not installed
        return None
    if kind == DOC:
        d = Document.objects.filter(pk=pk).first()
        return _doc_ref(d) if d is not None else None
    if kind == INTERP:
        i = Interpretation.objects.filter(pk=pk).first()
        return _interp_ref(i) if i is not None else None
    return None


def many(keys) -> dict[tuple[str, int], Ref]:
    """Batch ``get`` for a page's stages: {(kind, pk): Ref}."""
    keys = set(keys)
    if not keys:
        return {}
    try:
        Document, Interpretation = _models()
    except ImportError:
        return {}
    out = {}
    for d in Document.objects.filter(pk__in=[pk for k, pk in keys if k == DOC]):
        out[(DOC, d.pk)] = _doc_ref(d)
    for i in Interpretation.objects.filter(pk__in=[pk for k, pk in keys if k == INTERP]):
        out[(INTERP, i.pk)] = _interp_ref(i)
    return out


def annotate(stages) -> list:
    """Look up the picked documents of ``stages`` in two queries; returns the stages."""
    stages = list(stages)
    refs = many(k for s in stages if (k := s.ref_key()) is not None)
    for s in stages:
        key = s.ref_key()
        if key is not None:
            s._ref = refs.get(key)
    return stages


def search(query: str, *, limit: int = 15) -> list[Ref]:
    """Public documents (by 索引号, 文号 or title) and public 解读 (by title)."""
    query = (query or "").replace("\x00", "").strip()[:100]
    if not query:
        return []
    try:
        Document, Interpretation = _models()
    except ImportError:
        return []
    docs = Document.objects.public().filter(
        Q(index_number__iexact=query) | Q(doc_number__icontains=query)
        | Q(title__icontains=query)).order_by("-published_at", "-pk")[:limit]
    from gongkai.disclosure.models import Status

    interps = Interpretation.objects.filter(status=Status.PUBLISHED, title__icontains=query
                                            ).order_by("-published_at", "-pk")[:limit]
    return [_doc_ref(d) for d in docs] + [_interp_ref(i) for i in interps]
