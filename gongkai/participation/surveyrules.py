"""Questionnaire answers: validation and tallies, free of the database."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

MAX_TEXT = 1000


@dataclass(frozen=True)
class Q:
    id: int
    kind: str  # "single", "multiple", "text"
    text: str
    options: Sequence[str]
    required: bool = False


def clean_answers(questions: Sequence[Q], raw: Mapping[str, list[str]]) -> tuple[dict, list[str]]:
    """``raw``: form values by field name ``q<id>`` (lists, as a QueryDict gives them).
    Returns the answers to store and the problems (Chinese, one per question)."""
    answers: dict[str, object] = {}
    problems: list[str] = []
    for q in questions:
        values = [v.replace("\x00", "").strip() for v in raw.get(f"q{q.id}", [])]
        values = [v for v in values if v]
        if q.kind == "text":
            text = values[0] if values else ""
            if len(text) > MAX_TEXT:
                problems.append(f"第{q.text}题的回答不能超过{MAX_TEXT}字。")
                continue
            if text:
                answers[str(q.id)] = text
        else:
            picked = []
            for v in values:
                if not v.isdecimal() or int(v) >= len(q.options):
                    problems.append(f"“{q.text}”的选项不正确。")
                    break
                picked.append(int(v))
            else:
                picked = sorted(set(picked))
                if q.kind == "single" and len(picked) > 1:
                    problems.append(f"“{q.text}”只能选择一项。")
                    continue
                if picked:
                    answers[str(q.id)] = picked[0] if q.kind == "single" else picked
        if q.required and str(q.id) not in answers and not any(
                q.text in p for p in problems):
            problems.append(f"请回答“{q.text}”。")
    return answers, problems


def tally(questions: Sequence[Q], responses: Sequence[Mapping]) -> list[dict]:
    """Per question: counts per option with their share of respondents, or the texts."""
    out = []
    for q in questions:
        key = str(q.id)
        answered = [r[key] for r in responses if key in r]
        row = {"q": q, "answered": len(answered)}
        if q.kind == "text":
            row["texts"] = [str(a) for a in answered]
        else:
            counts = [0] * len(q.options)
            for a in answered:
                for i in (a if isinstance(a, list) else [a]):
                    if isinstance(i, int) and 0 <= i < len(counts):
                        counts[i] += 1
            total = len(answered) or 1
            row["options"] = [{"label": label, "count": n,
                               "percent": round(100 * n / total, 1)}
                              for label, n in zip(q.options, counts, strict=True)]
        out.append(row)
    return out
