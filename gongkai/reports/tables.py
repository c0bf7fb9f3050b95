"""The tables of the annual report (国办公开办函〔2021〕30号, RULES.md §3) as plain data.

No ORM here: the figures are computed from plain records, so every cell can be unit-tested
without a database. ``gongkai.reports.sources`` turns database rows into these records.

Counting rules of section 三, for year Y (RULES.md §3 and issue 6):

* 一 本年新收 — received in Y;
* 二 上年结转 — received before Y and still open at the start of Y (not closed, or closed
  on or after 1 January Y);
* 三 办理结果 — closed in Y, counted by answer type (row code = ``Application.result``);
  （七）总计 is the sum of 三;
* 四 结转下年度 — received on or before 31 December Y and still open at the end of Y.

The form's check 一 + 二 = 三（七） + 四 holds for each column when every record is consistent;
records that break it (closed before they were received, closed without a result, an
unknown applicant type) are reported as anomalies with their reference, so the message that
blocks publishing can name both the column and the applications.

Section 四 counts the review and litigation cases active in Y: filed on or before 31
December Y and not concluded before 1 January Y, by their outcome at the end of Y (a case
concluded after Y counts as 尚未审结).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# --- section 三: columns and rows ------------------------------------------------------------

APPLICANT_COLUMNS: list[tuple[str, str]] = [
    ("natural_person", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("social_welfare", "社会公益组织"),
    ("legal_service", "法律服务机构"),
    ("other_org", "其他"),
]
COLUMNS: list[tuple[str, str]] = APPLICANT_COLUMNS + [("total", "总计")]
COLUMN_KEYS = [k for k, _ in COLUMNS]
APPLICANT_KEYS = [k for k, _ in APPLICANT_COLUMNS]
COLUMN_LABELS = dict(COLUMNS)
# How a column is named in messages: the organisation columns carry their group name.
COLUMN_NAMES = {
    "natural_person": "自然人",
    "commercial": "法人或其他组织·商业企业",
    "research": "法人或其他组织·科研机构",
    "social_welfare": "法人或其他组织·社会公益组织",
    "legal_service": "法人或其他组织·法律服务机构",
    "other_org": "法人或其他组织·其他",
    "total": "总计",
}

ROW_NEW = "1"
ROW_CARRIED_IN = "2"
ROW_RESULT_TOTAL = "3.7"
ROW_CARRIED_OUT = "4"

# (key, label) exactly as printed on the form; the groups of 三 are listed in GROUPS.
ROWS: list[tuple[str, str]] = [
    ("1", "一、本年新收政府信息公开申请数量"),
    ("2", "二、上年结转政府信息公开申请数量"),
    ("3.1", "（一）予以公开"),
    ("3.2", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("3.3.1", "1.属于国家秘密"),
    ("3.3.2", "2.其他法律行政法规禁止公开"),
    ("3.3.3", "3.危及“三安全一稳定”"),
    ("3.3.4", "4.保护第三方合法权益"),
    ("3.3.5", "5.属于三类内部事务信息"),
    ("3.3.6", "6.属于四类过程性信息"),
    ("3.3.7", "7.属于行政执法案卷"),
    ("3.3.8", "8.属于行政查询事项"),
    ("3.4.1", "1.本机关不掌握相关政府信息"),
    ("3.4.2", "2.没有现成信息需要另行制作"),
    ("3.4.3", "3.补正后申请内容仍不明确"),
    ("3.5.1", "1.信访举报投诉类申请"),
    ("3.5.2", "2.重复申请"),
    ("3.5.3", "3.要求提供公开出版物"),
    ("3.5.4", "4.无正当理由大量反复申请"),
    ("3.5.5", "5.要求行政机关确认或重新出具已获取信息"),
    ("3.6.1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("3.6.2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("3.6.3", "3.其他"),
    ("3.7", "（七）总计"),
    ("4", "四、结转下年度继续办理"),
]
ROW_KEYS = [k for k, _ in ROWS]
ROW_LABELS = dict(ROWS)
SECTION3_HEADING = "三、本年度办理结果"
# The sub-groups of 三 with their own label cell spanning their items.
GROUPS: list[tuple[str, str]] = [
    ("3.3", "（三）不予公开"),
    ("3.4", "（四）无法提供"),
    ("3.5", "（五）不予处理"),
    ("3.6", "（六）其他处理"),
]
GROUP_LABELS = dict(GROUPS)
RESULT_KEYS = [k for k in ROW_KEYS if k.startswith("3.") and k != ROW_RESULT_TOTAL]


def row_name(key: str) -> str:
    """A row's full name for messages: ``三（三）1.属于国家秘密``."""
    label = ROW_LABELS[key]
    if key in (ROW_NEW, ROW_CARRIED_IN, ROW_CARRIED_OUT):
        return label
    group = GROUP_LABELS.get(key[:3])
    return f"三{group}{label}" if group else f"三{label}"


@dataclass(frozen=True)
class AppRecord:
    """One application as the report sees it. ``ref`` names it in messages (its number)."""

    applicant_type: str
    received_date: dt.date | None
    closed_date: dt.date | None
    result: str = ""
    ref: str = ""


@dataclass(frozen=True)
class Anomaly:
    ref: str
    column: str
    message: str


def empty_section3() -> dict[str, dict[str, int]]:
    return {row: dict.fromkeys(COLUMN_KEYS, 0) for row in ROW_KEYS}


@dataclass
class Section3:
    """The 25 × 7 table, plus which records were carried in and out (for reconciliation)."""

    table: dict[str, dict[str, int]] = field(default_factory=empty_section3)
    carried_in: list[str] = field(default_factory=list)
    carried_out: list[str] = field(default_factory=list)
    anomalies: list[Anomaly] = field(default_factory=list)


def _open_on(rec: AppRecord, day: dt.date) -> bool:
    """Received by ``day`` and not closed by the end of ``day``."""
    return (rec.received_date is not None and rec.received_date <= day
            and (rec.closed_date is None or rec.closed_date > day))


def compute_section3(records: Iterable[AppRecord], year: int) -> Section3:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    before_start = start - dt.timedelta(days=1)
    out = Section3()
    t = out.table
    for rec in records:
        col = rec.applicant_type
        if col not in APPLICANT_KEYS:
            if rec.received_date is not None and rec.received_date <= end:
                out.anomalies.append(Anomaly(rec.ref, "total",
                                             f"申请人类型“{col}”无法归入任何一列"))
            continue
        if rec.received_date is None:
            continue  # not yet received: not an application in any year
        if start <= rec.received_date <= end:
            t[ROW_NEW][col] += 1
        if _open_on(rec, before_start):
            t[ROW_CARRIED_IN][col] += 1
            out.carried_in.append(rec.ref)
        if rec.closed_date is not None and start <= rec.closed_date <= end:
            if rec.result in RESULT_KEYS:
                t[rec.result][col] += 1
            else:
                out.anomalies.append(Anomaly(
                    rec.ref, col, "已办结但办理结果为空或不属于表内任何一项"
                    if not rec.result else f"办理结果“{rec.result}”不属于表内任何一项"))
            if rec.closed_date < rec.received_date:
                out.anomalies.append(Anomaly(rec.ref, col, "办结日期早于收到申请日期"))
        if _open_on(rec, end):
            t[ROW_CARRIED_OUT][col] += 1
            out.carried_out.append(rec.ref)
    finish_section3(t)
    out.carried_in.sort()
    out.carried_out.sort()
    return out


def finish_section3(t: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """Fill （七）总计 and the 总计 column from the other cells (in place)."""
    for col in APPLICANT_KEYS:
        t[ROW_RESULT_TOTAL][col] = sum(t[r][col] for r in RESULT_KEYS)
    for row in ROW_KEYS:
        t[row]["total"] = sum(t[row][c] for c in APPLICANT_KEYS)
    return t


@dataclass(frozen=True)
class CheckFailure:
    column: str
    message: str


def check_section3(t: dict[str, dict[str, int]]) -> list[CheckFailure]:
    """The check printed on the form: for every column, 一 + 二 = 三（七） + 四."""
    failures = []
    for col in COLUMN_KEYS:
        new, carried_in = t[ROW_NEW][col], t[ROW_CARRIED_IN][col]
        done, carried_out = t[ROW_RESULT_TOTAL][col], t[ROW_CARRIED_OUT][col]
        if new + carried_in != done + carried_out:
            failures.append(CheckFailure(col, (
                f"“{COLUMN_NAMES[col]}”列不平衡：一（本年新收 {new}）+ 二（上年结转 "
                f"{carried_in}）= {new + carried_in}，而 三（七）总计 {done} + 四（结转下年度 "
                f"{carried_out}）= {done + carried_out}。")))
    # Totals that do not add up (hand-edited or corrupted data) are reported too.
    for row in ROW_KEYS:
        if t[row]["total"] != sum(t[row][c] for c in APPLICANT_KEYS):
            failures.append(CheckFailure("total", f"“{row_name(row)}”行的总计不等于各列之和。"))
    for col in COLUMN_KEYS:
        if t[ROW_RESULT_TOTAL][col] != sum(t[r][col] for r in RESULT_KEYS):
            failures.append(CheckFailure(col, f"“{COLUMN_NAMES[col]}”列的三（七）总计不等于"
                                              "三（一）至（六）之和。"))
    return failures


def reconcile(carried_in: dict[str, int], last_carried_out: dict[str, int]) -> list[str]:
    """Columns where this year's 上年结转 differs from last year's 结转下年度, as messages."""
    msgs = []
    for col in COLUMN_KEYS:
        a, b = carried_in.get(col, 0), last_carried_out.get(col, 0)
        if a != b:
            msgs.append(f"“{COLUMN_NAMES[col]}”列：本年上年结转 {a} 件，"
                        f"上年报告结转下年度 {b} 件。")
    return msgs


# --- section 二 --------------------------------------------------------------------------------

DOC_TYPES: list[tuple[str, str]] = [("regulation", "规章"), ("normative", "行政规范性文件")]
DOC_MEASURES: list[tuple[str, str]] = [
    ("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("valid", "现行有效件数"),
]
DECISIONS: list[tuple[str, str]] = [
    ("licensing", "行政许可"), ("punishment", "行政处罚"), ("enforcement", "行政强制"),
]
FEES_LABEL = "行政事业性收费"
FEES_UNIT = "本年收费金额（单位：万元）"
FEES_PLACES = Decimal("0.0001")  # 万元 to four places = one yuan
MAX_COUNT = 10_000_000
MAX_FEES = Decimal("100000000")


def parse_fees(value) -> Decimal:
    """A 万元 amount: non-negative, at most four decimal places. Raises ValueError (Chinese)."""
    if isinstance(value, float):
        value = repr(value)
    try:
        amount = Decimal(str(value).strip() or "0")
    except (InvalidOperation, ValueError):
        raise ValueError(f"收费金额“{value}”不是数字。") from None
    if not amount.is_finite():
        raise ValueError(f"收费金额“{value}”不是数字。")
    if amount < 0:
        raise ValueError("收费金额不能为负数。")
    if amount >= MAX_FEES:
        raise ValueError("收费金额过大，请以万元为单位填写。")
    if amount != amount.quantize(FEES_PLACES, rounding=ROUND_HALF_UP):
        raise ValueError("收费金额以万元为单位，最多保留四位小数。")
    return amount.quantize(FEES_PLACES)


def parse_count(value, label: str) -> int:
    try:
        n = int(str(value).strip() or "0")
    except ValueError:
        raise ValueError(f"“{label}”必须是整数。") from None
    if n < 0:
        raise ValueError(f"“{label}”不能为负数。")
    if n >= MAX_COUNT:
        raise ValueError(f"“{label}”数量过大。")
    return n


@dataclass
class Section2:
    docs: dict[str, dict[str, int]] = field(
        default_factory=lambda: {t: {m: 0 for m, _ in DOC_MEASURES} for t, _ in DOC_TYPES})
    licensing: int = 0
    punishment: int = 0
    enforcement: int = 0
    fees: Decimal = Decimal("0.0000")

    def to_json(self) -> dict:
        out: dict = {t: dict(self.docs[t]) for t, _ in DOC_TYPES}
        out.update(licensing=self.licensing, punishment=self.punishment,
                   enforcement=self.enforcement, fees=float(self.fees))
        return out

    @classmethod
    def from_json(cls, data: dict) -> Section2:
        s = cls()
        for t, _ in DOC_TYPES:
            for m, _ in DOC_MEASURES:
                s.docs[t][m] = int(data.get(t, {}).get(m, 0))
        s.licensing = int(data.get("licensing", 0))
        s.punishment = int(data.get("punishment", 0))
        s.enforcement = int(data.get("enforcement", 0))
        s.fees = parse_fees(data.get("fees", 0))
        return s


def fees_text(amount: Decimal) -> str:
    """0.1500 → "0.15"; 0 → "0"; as people write 万元."""
    text = f"{amount.quantize(FEES_PLACES):f}".rstrip("0").rstrip(".")
    return text or "0"


# --- section 四 --------------------------------------------------------------------------------

APPEAL_KINDS: list[tuple[str, str]] = [
    ("review", "行政复议"),
    ("litigation", "未经复议直接起诉"),
    ("litigation_after_review", "复议后起诉"),
]
OUTCOMES: list[tuple[str, str]] = [
    ("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"),
    ("pending", "尚未审结"), ("total", "总计"),
]
OUTCOME_KEYS = [k for k, _ in OUTCOMES]


@dataclass(frozen=True)
class AppealRecord:
    kind: str
    filed_date: dt.date
    outcome: str
    concluded_date: dt.date | None = None
    ref: str = ""


def empty_section4() -> dict[str, dict[str, int]]:
    return {k: dict.fromkeys(OUTCOME_KEYS, 0) for k, _ in APPEAL_KINDS}


def compute_section4(records: Iterable[AppealRecord], year: int) -> dict[str, dict[str, int]]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    out = empty_section4()
    for rec in records:
        if rec.kind not in out or rec.filed_date > end:
            continue
        concluded = rec.outcome != "pending"
        # An outcome without a date is taken as reached in the year the case was filed.
        when = (rec.concluded_date or rec.filed_date) if concluded else None
        if when is not None and when < start:
            continue
        if when is None or when > end:
            outcome = "pending"
        else:
            outcome = rec.outcome if rec.outcome in ("upheld", "corrected") else "other"
        out[rec.kind][outcome] += 1
        out[rec.kind]["total"] += 1
    return out


# --- the whole report ---------------------------------------------------------------------------


@dataclass
class ReportData:
    """The figures of one unit's report (or, with ``org == "all"``, the district's sum)."""

    org: str
    year: int
    org_name: str = ""
    section2: Section2 = field(default_factory=Section2)
    section3: dict[str, dict[str, int]] = field(default_factory=empty_section3)
    section4: dict[str, dict[str, int]] = field(default_factory=empty_section4)

    def to_json(self) -> dict:
        return {
            "org": self.org,
            "year": self.year,
            "section2": self.section2.to_json(),
            "section3": {r: {c: self.section3[r][c] for c in COLUMN_KEYS} for r in ROW_KEYS},
            "section4": {k: dict(self.section4[k]) for k, _ in APPEAL_KINDS},
        }

    @classmethod
    def from_json(cls, data: dict, org_name: str = "") -> ReportData:
        s3 = empty_section3()
        for r in ROW_KEYS:
            for c in COLUMN_KEYS:
                s3[r][c] = int(data.get("section3", {}).get(r, {}).get(c, 0))
        s4 = empty_section4()
        for k, _ in APPEAL_KINDS:
            for o in OUTCOME_KEYS:
                s4[k][o] = int(data.get("section4", {}).get(k, {}).get(o, 0))
        return cls(org=data["org"], year=int(data["year"]), org_name=org_name,
                   section2=Section2.from_json(data.get("section2", {})), section3=s3,
                   section4=s4)

    def check(self) -> list[CheckFailure]:
        return check_section3(self.section3)


def sum_reports(reports: Iterable[ReportData], *, year: int, org: str = "all",
                org_name: str = "全区合计") -> ReportData:
    """Cell-by-cell sum of several units' reports (``--all``, the district summary)."""
    total = ReportData(org=org, year=year, org_name=org_name)
    for rep in reports:
        if rep.year != year:
            raise ValueError(f"cannot add a {rep.year} report to a {year} sum")
        for t, _ in DOC_TYPES:
            for m, _ in DOC_MEASURES:
                total.section2.docs[t][m] += rep.section2.docs[t][m]
        total.section2.licensing += rep.section2.licensing
        total.section2.punishment += rep.section2.punishment
        total.section2.enforcement += rep.section2.enforcement
        total.section2.fees += rep.section2.fees
        for r in ROW_KEYS:
            for c in COLUMN_KEYS:
                total.section3[r][c] += rep.section3[r][c]
        for k, _ in APPEAL_KINDS:
            for o in OUTCOME_KEYS:
                total.section4[k][o] += rep.section4[k][o]
    return total
