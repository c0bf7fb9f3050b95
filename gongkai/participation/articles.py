"""Split a draft into 章/条/款 so each article can be cited and commented on. No database.

A line starting with 第…章 opens a chapter; 第…条 opens an article; the paragraphs of an
article after its first line are its 款 (numbered from 1, the first line being 第一款).
Text before the first article (title, preamble) becomes a preamble block with number 0.
A draft with no 条 at all is split into numbered paragraphs so it can still be cited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_NUM = "[一二三四五六七八九十百零〇两0-9]+"
CHAPTER_RE = re.compile(rf"^\s*(第{_NUM}章)\s*(.*)$")
ARTICLE_RE = re.compile(rf"^\s*(第{_NUM}条)[\s　]*(.*)$")
MAX_ARTICLES = 2000


@dataclass
class Article:
    number: int  # 1-based order among articles; 0 for the preamble
    label: str  # "第三条", "第2段" or "说明"
    chapter: str = ""  # "第一章 总则"
    paragraphs: list[str] = field(default_factory=list)  # the 款

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


def _clean(text: str) -> list[str]:
    text = (text or "").replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    return [line.strip().replace("\u3000", " ").strip() for line in text.split("\n")
            if line.strip()]


def split(text: str) -> list[Article]:
    """Articles in reading order; the preamble (if any) first with number 0."""
    lines = _clean(text)
    if not any(ARTICLE_RE.match(line) for line in lines):
        return [Article(i, f"第{i}段", "", [line]) for i, line in enumerate(lines, 1)][
            :MAX_ARTICLES]
    out: list[Article] = []
    preamble = Article(0, "说明")
    chapter = ""
    current: Article | None = None
    for line in lines:
        m = CHAPTER_RE.match(line)
        if m:
            chapter = f"{m.group(1)} {m.group(2)}".strip()
            current = None
            continue
        m = ARTICLE_RE.match(line)
        if m:
            current = Article(len(out) + 1, m.group(1), chapter, [m.group(2).strip()])
            out.append(current)
            continue
        if current is None:
            preamble.paragraphs.append(line)
        else:
            current.paragraphs.append(line)
    if preamble.paragraphs:
        out.insert(0, preamble)
    return out[:MAX_ARTICLES]


def joined(articles: list[Article]) -> str:
    """The text of articles as the diff sees it: one line per 款, label on the first."""
    lines = []
    for a in articles:
        for i, p in enumerate(a.paragraphs):
            lines.append(f"{a.label} {p}" if i == 0 and a.number else p)
    return "\n".join(lines)


def by_label(articles: list[Article]) -> dict[str, Article]:
    return {a.label: a for a in articles}


def compare(draft: list[Article], final: list[Article]) -> list[tuple[str, str, str, str]]:
    """Article by article: (label, status, draft text, final text) where status is
    "same", "changed", "added" or "removed". Articles are matched by their label."""
    old, new = by_label(draft), by_label(final)
    rows = []
    for a in final:
        before = old.get(a.label)
        if before is None:
            rows.append((a.label, "added", "", a.text))
        else:
            rows.append((a.label, "same" if before.text == a.text else "changed",
                         before.text, a.text))
    for a in draft:
        if a.label not in new:
            rows.append((a.label, "removed", a.text, ""))
    return rows


def docx_text(data: bytes) -> str:
    """The paragraphs of an uploaded DOCX as plain text (one paragraph per line)."""
    import io

    from docx import Document

    doc = Document(io.BytesIO(data))
    return "\n".join(p.text for p in doc.paragraphs)
