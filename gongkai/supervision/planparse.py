"""Read a work plan (工作要点) into tasks: plain text in, plain data out, no database.

A plan is numbered 一、二、… (sections) and （一）（二）… (tasks); each task paragraph ends
with 「（责任单位：…）」. The names there are split, the collective phrases expanded to
groups (「区政府各部门」 → every department, 「各街道办事处」 → every 街道) and every other name
matched against the units; names that match nothing are reported so the coordinator can
map them once (an alias) instead of the import guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CN_DIGITS = "一二三四五六七八九十"
SECTION_RE = re.compile(rf"^\s*([{CN_DIGITS}]{{1,3}})、\s*(.+?)\s*$")
TASK_RE = re.compile(rf"^\s*[（(]([{CN_DIGITS}]{{1,3}})[）)]\s*(.+?)\s*$", re.S)
RESP_RE = re.compile(r"[（(]\s*(?:责任单位|牵头单位|责任部门)\s*[:：]\s*([^（）()]*)[）)]\s*$")
DOCNO_RE = re.compile(r"([\u4e00-\u9fff]+[〔\[]\d{4}[〕\]]\d+号)")
TITLE_RE = re.compile(r"^\s*(\d{4})年(.{2,40}?工作要点)\s*$")
SPLIT_RE = re.compile(r"[，,、；;]")

# Collective phrases → groups. 「有关部门」 means "the departments it concerns": the plan does
# not say which, so every department gets the task (marked as not named) and the coordinator
# removes the ones it does not concern.
GROUPS = {
    "区政府各部门": "departments",
    "区政府有关部门": "departments",
    "各有关部门": "departments",
    "有关部门": "departments",
    "各部门": "departments",
    "各街道办事处": "subdistricts",
    "各街道": "subdistricts",
}


@dataclass
class ParsedTask:
    section_no: str  # 一
    section_title: str
    number: str  # （一）
    title: str  # the first sentence
    text: str
    responsibility: str  # the raw 「责任单位」 text, "" when missing
    names: list[str] = field(default_factory=list)  # named units, in order
    groups: list[str] = field(default_factory=list)  # "departments", "subdistricts"

    @property
    def code(self) -> str:
        return f"{self.section_no}（{self.number}）"


@dataclass
class ParsedPlan:
    title: str = ""
    year: int | None = None
    doc_number: str = ""
    tasks: list[ParsedTask] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def split_responsibility(raw: str) -> tuple[list[str], list[str]]:
    """Named units and groups of a 「责任单位」 text, each once, in order of appearance."""
    names: list[str] = []
    groups: list[str] = []
    for part in SPLIT_RE.split(raw.replace(" ", "").replace("\u3000", "")):
        part = part.strip("。. ")
        if not part:
            continue
        group = GROUPS.get(part)
        if group is None:
            # 「区自然资源局等有关部门」: a name followed by a collective tail
            for phrase in sorted(GROUPS, key=len, reverse=True):
                if part.endswith(phrase) and len(part) > len(phrase):
                    head = part[: -len(phrase)].removesuffix("等")
                    if head and head not in names:
                        names.append(head)
                    group = GROUPS[phrase]
                    break
            else:
                if part.endswith("等"):
                    part = part[:-1]
                if part and part not in names:
                    names.append(part)
                continue
        if group not in groups:
            groups.append(group)
    return names, groups


def first_sentence(text: str) -> str:
    head = re.split(r"[。；]", text, maxsplit=1)[0]
    return head[:120]


def parse(text: str) -> ParsedPlan:
    """Tasks of a plan's text (paragraphs one per line, as the seed and DOCX paragraphs)."""
    plan = ParsedPlan()
    section_no, section_title = "", ""
    for raw_line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw_line.strip().strip("\u3000")
        if not line:
            continue
        if not plan.doc_number and (m := DOCNO_RE.search(line)) and len(line) < 40:
            plan.doc_number = m.group(1)
            continue
        if not plan.title and (m := TITLE_RE.match(line)):
            plan.year, plan.title = int(m.group(1)), line
            continue
        if m := SECTION_RE.match(line):
            if len(line) <= 60 and not RESP_RE.search(line):
                section_no, section_title = m.group(1), m.group(2)
                continue
        if m := TASK_RE.match(line):
            if not section_no:
                plan.warnings.append(f"任务「{line[:20]}」之前没有一级标题，已忽略。")
                continue
            body = m.group(2)
            resp = RESP_RE.search(body)
            raw = resp.group(1).strip() if resp else ""
            content = body[: resp.start()].rstrip() if resp else body
            names, groups = split_responsibility(raw)
            task = ParsedTask(section_no, section_title, m.group(1), first_sentence(content),
                              content, raw, names, groups)
            if not resp:
                plan.warnings.append(f"任务{task.code}没有写明责任单位。")
            plan.tasks.append(task)
    if not plan.tasks:
        plan.warnings.append("没有找到编号为「一、」「（一）」的任务。")
    codes = [t.code for t in plan.tasks]
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        plan.warnings.append(f"任务编号{code}重复出现。")
    return plan


@dataclass(frozen=True)
class Unit:
    id: int
    name: str
    short_name: str
    kind: str  # OrgKind value


def _norm(name: str) -> str:
    return re.sub(r"\s+", "", name)


def resolve(names: list[str], groups: list[str], units: list[Unit],
            aliases: dict[str, int | None] | None = None
            ) -> tuple[list[int], list[int], list[str]]:
    """(named unit ids, group unit ids not named, names matching no unit).

    A name matches a unit's full name, its short name, or a coordinator's alias; a name
    written with 「区」 for the district (区财政局) also matches 「槐荫区财政局」. An alias
    to None is a name the coordinator said is no unit of this platform: left aside.
    """
    aliases = {_norm(k): v for k, v in (aliases or {}).items()}
    by_name: dict[str, int] = {}
    for u in units:
        for n in (u.name, u.short_name):
            if n:
                by_name.setdefault(_norm(n), u.id)
    named: list[int] = []
    unknown: list[str] = []
    for name in names:
        key = _norm(name)
        if key in aliases and aliases[key] is None:
            continue  # not a unit of this platform: neither assigned nor asked again
        uid = aliases.get(key) or by_name.get(key)
        if uid is None and key.startswith("区"):
            tail = key[1:]
            hits = [u.id for u in units if _norm(u.name).endswith("区" + tail)]
            uid = hits[0] if len(hits) == 1 else None
        if uid is None:
            unknown.append(name)
        elif uid not in named:
            named.append(uid)
    kinds = set()
    if "departments" in groups:
        kinds |= {"department", "office"}
    if "subdistricts" in groups:
        kinds.add("subdistrict")
    grouped = [u.id for u in units if u.kind in kinds and u.id not in named]
    return named, grouped, unknown
