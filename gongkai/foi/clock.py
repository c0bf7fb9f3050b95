"""The statutory clock of an application (条例 Art. 30-34), free of the ORM.

Counting convention (RULES.md §2): the day of an event is not counted; day 1 is the
first working day after it. The answer is due on the 20th working day after receipt
(or after the corrected application arrived, Art. 30). A pause — third-party or
other-agency consultation (Art. 32, 34) or the wait for a fee — excludes the working
days after the day it began up to and including the day it ended, and moves the due date
later by that many. One extension (Art. 33) of 1-20 working days, approved on or before
the due date in force, adds its working days after that due date.

``compute(ClockInput, calendar)`` returns every date with the steps that produced it, each
with a Chinese sentence, so the page can say *how* a due date was computed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from gongkai.core.workdays import Calendar

ANSWER_WD = 20
CORRECTION_NOTICE_WD = 7
CONSULTATION_WD = 15
FEE_PAYMENT_WD = 20
MAX_EXTENSION_WD = 20

PAUSE_CONSULT_THIRD_PARTY = "third_party"
PAUSE_CONSULT_AGENCY = "other_agency"
PAUSE_FEE = "fee"
PAUSE_KINDS = {
    PAUSE_CONSULT_THIRD_PARTY: "征求第三方意见",
    PAUSE_CONSULT_AGENCY: "征求其他机关意见",
    PAUSE_FEE: "等待缴纳信息处理费",
}


class ClockError(ValueError):
    """An impossible or unlawful sequence of events; the message is Chinese for the UI."""

    def __init__(self, message: str, english: str):
        super().__init__(message)
        self.english = english


@dataclass(frozen=True)
class Pause:
    kind: str
    start: dt.date
    end: dt.date | None = None  # None: still running


@dataclass(frozen=True)
class Extension:
    days: int
    approved_on: dt.date


@dataclass(frozen=True)
class ClockInput:
    received: dt.date
    correction_notice: dt.date | None = None  # 补正通知 sent
    correction_deadline: dt.date | None = None  # the period the notice set
    correction_received: dt.date | None = None  # corrected application arrived
    pauses: tuple[Pause, ...] = ()
    extension: Extension | None = None


@dataclass(frozen=True)
class Step:
    date: dt.date
    label: str
    added: int  # working days this step added to the answer period
    due_after: dt.date | None
    text: str


@dataclass
class ClockResult:
    received: dt.date
    start: dt.date | None  # the day the 20 days count from (receipt or corrected application)
    correction_notice_due: dt.date
    answer_due: dt.date | None  # None while waiting for the applicant's correction
    provisional: bool = False  # a pause is still running; answer_due assumes it ends as_of
    waiting_for_correction: bool = False
    correction_deadline: dt.date | None = None
    consultation_dues: list[tuple[Pause, dt.date]] = field(default_factory=list)
    # Counted from the notice date; the deadline the applicant is held to counts from the
    # day they received the notice (fee_services.payment_due).
    fee_payment_due: dt.date | None = None
    steps: list[Step] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        def iso(d):
            return d.isoformat() if d else None

        return {
            "received": iso(self.received),
            "correction_notice_due": iso(self.correction_notice_due),
            "answer_due": iso(self.answer_due),
            "warnings": list(self.warnings),
        }

    def explanation(self) -> list[str]:
        return [s.text for s in self.steps] + self.notes


def _f(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def compute(data: ClockInput, cal: Calendar, as_of: dt.date | None = None) -> ClockResult:
    """All dates of an application's clock; raises ClockError for an invalid sequence.

    ``as_of`` (default: the latest event date) is used only for a pause that has not ended
    yet: the answer date is then provisional, as if the pause ended that day.
    """
    received = data.received
    notice_due = cal.add(received, CORRECTION_NOTICE_WD)
    steps: list[Step] = []
    notes: list[str] = []
    res = ClockResult(received=received, start=received, correction_notice_due=notice_due,
                      answer_due=None)
    start = received
    if data.correction_received and not data.correction_notice:
        raise ClockError("未发出补正通知，不能登记收到补正材料。",
                         "correction received without a correction notice")
    if data.correction_deadline and not data.correction_notice:
        raise ClockError("未发出补正通知，不能设定补正期限。",
                         "correction deadline without a correction notice")
    steps.append(Step(received, "收到申请", ANSWER_WD, cal.add(received, ANSWER_WD),
                      f"{_f(received)}收到申请（当日不计入）：补正通知应在此后第"
                      f"{CORRECTION_NOTICE_WD}个工作日即{_f(notice_due)}前发出；答复期限为此后第"
                      f"{ANSWER_WD}个工作日，即{_f(cal.add(received, ANSWER_WD))}。"))
    if data.correction_notice:
        cn = data.correction_notice
        if cn < received:
            raise ClockError("补正通知日期早于收到申请日期。",
                             "correction notice before the receipt date")
        if cn > notice_due:
            notes.append(f"注意：补正通知于{_f(cn)}发出，晚于第{CORRECTION_NOTICE_WD}个工作日"
                         f"（{_f(notice_due)}）的法定期限。")
        deadline = data.correction_deadline
        if deadline is not None and deadline <= cn:
            raise ClockError("补正期限必须晚于补正通知日期。",
                             "correction deadline not after the notice")
        res.correction_deadline = deadline
        text = f"{_f(cn)}一次性告知申请人补正（第{cal.count(received, cn)}个工作日）"
        if deadline:
            text += f"，补正期限至{_f(deadline)}"
        steps.append(Step(cn, "补正通知", 0, None,
                          text + "；答复期限自收到补正材料之日起重新计算。"))
        if data.correction_received is None:
            res.waiting_for_correction = True
            res.start = None
            res.steps, res.notes = steps, notes
            last = deadline or cn
            res.warnings = cal.warnings(received, last)
            return res
        cr = data.correction_received
        if cr < cn:
            raise ClockError("收到补正材料的日期早于补正通知日期。",
                             "correction received before the notice")
        start = cr
        res.start = cr
        steps.append(Step(cr, "收到补正材料", ANSWER_WD, cal.add(cr, ANSWER_WD),
                          f"{_f(cr)}收到补正后的申请：答复期限自次日起重新计算"
                          f"{ANSWER_WD}个工作日，即{_f(cal.add(cr, ANSWER_WD))}。"))
    due = cal.add(start, ANSWER_WD)

    events: list[tuple[dt.date, int, object]] = [(p.start, 0, p) for p in data.pauses]
    if data.extension is not None:
        events.append((data.extension.approved_on, 1, data.extension))
    events.sort(key=lambda e: (e[0], e[1]))

    last_end: dt.date | None = None
    open_pause: Pause | None = None
    extended = False
    latest = start
    for _when, _, ev in events:
        if isinstance(ev, Pause):
            label = PAUSE_KINDS.get(ev.kind)
            if label is None:
                raise ClockError("未知的暂停类型。", f"unknown pause kind {ev.kind!r}")
            if ev.start < start:
                raise ClockError(f"{label}的开始日期早于答复期限起算日（{_f(start)}）。",
                                 "pause starts before the answer period began")
            if open_pause is not None:
                raise ClockError("上一次暂停尚未结束，不能开始新的暂停。",
                                 "a pause starts while another is still running")
            if last_end is not None and ev.start < last_end:
                raise ClockError("暂停期间相互重叠。", "pauses overlap")
            if ev.start > due:
                raise ClockError(f"{label}开始于答复期限（{_f(due)}）之后，不能暂停已超期的期限。",
                                 "pause starts after the due date in force")
            if ev.kind in (PAUSE_CONSULT_THIRD_PARTY, PAUSE_CONSULT_AGENCY):
                res.consultation_dues.append((ev, cal.add(ev.start, CONSULTATION_WD)))
            if ev.kind == PAUSE_FEE:
                res.fee_payment_due = cal.add(ev.start, FEE_PAYMENT_WD)
            if ev.end is None:
                open_pause = ev
                latest = max(latest, ev.start)
                continue
            if ev.end < ev.start:
                raise ClockError(f"{label}的结束日期早于开始日期。",
                                 "pause ends before it starts")
            n = cal.count(ev.start, ev.end)
            due = cal.add(due, n)
            last_end = ev.end
            latest = max(latest, ev.end)
            steps.append(Step(ev.start, label, n, due,
                              f"{_f(ev.start)}至{_f(ev.end)}{label}，不计入答复期限的工作日"
                              f"{n}个（开始当日之后至结束当日），答复期限顺延至{_f(due)}。"))
        else:
            ext: Extension = ev  # type: ignore[assignment]
            if extended:
                raise ClockError("答复期限只能延长一次。", "only one extension is allowed")
            if not 1 <= ext.days <= MAX_EXTENSION_WD:
                raise ClockError(f"延长期限须为1至{MAX_EXTENSION_WD}个工作日。",
                                 f"extension must be 1-{MAX_EXTENSION_WD} working days")
            if ext.approved_on < start:
                raise ClockError("延期批准日期早于答复期限起算日。",
                                 "extension approved before the answer period began")
            if open_pause is not None:
                raise ClockError("暂停期间不能延期，请先结束暂停。",
                                 "extension approved during a running pause")
            if ext.approved_on > due:
                raise ClockError(f"延期须在答复期限（{_f(due)}）届满前批准。",
                                 "extension approved after the due date in force")
            extended = True
            old = due
            due = cal.add(due, ext.days)
            latest = max(latest, ext.approved_on)
            steps.append(Step(ext.approved_on, "延长答复期限", ext.days, due,
                              f"{_f(ext.approved_on)}经政府信息公开工作机构负责人同意延长答复期限"
                              f"{ext.days}个工作日：自原期限{_f(old)}次日起算，"
                              f"延至{_f(due)}。"))
    if open_pause is not None:
        label = PAUSE_KINDS[open_pause.kind]
        until = max(as_of or open_pause.start, open_pause.start)
        n = cal.count(open_pause.start, until)
        due = cal.add(due, n)
        res.provisional = True
        steps.append(Step(open_pause.start, label, n, due,
                          f"自{_f(open_pause.start)}起{label}，尚未结束，期间不计入答复期限；"
                          f"截至{_f(until)}已暂停{n}个工作日，答复期限暂计为{_f(due)}，"
                          "将随暂停继续而顺延。"))
        latest = max(latest, until)
    res.answer_due = due
    res.steps, res.notes = steps, notes
    res.warnings = cal.warnings(received, max(due, latest))
    return res


def remaining_workdays(cal: Calendar, today: dt.date, due: dt.date) -> int:
    """Working days left until ``due`` (0 on the day; negative when overdue)."""
    if due >= today:
        return cal.count(today, due)
    return -cal.count(due, today)
