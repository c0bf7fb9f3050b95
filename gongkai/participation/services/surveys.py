"""问卷调查: staff build a questionnaire into a consultation before review; citizens answer
it anonymously while the consultation is open."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.permissions import can_edit, require
from gongkai.participation import surveyrules
from gongkai.participation.models import (
    Consultation,
    Question,
    QuestionKind,
    Review,
    SurveyResponse,
)
from gongkai.participation.services.common import clean_text
from gongkai.participation.services.opinions import ClosedError

MAX_QUESTIONS = 30
MAX_OPTIONS = 12


def as_rules(questions) -> list[surveyrules.Q]:
    return [surveyrules.Q(q.pk, q.kind, q.text, list(q.options), q.required)
            for q in questions]


@transaction.atomic(durable=True)
def add_question(*, actor, consultation: Consultation, kind: str, text: str,
                 options: str = "", required: bool = False) -> Question:
    c = Consultation.objects.select_for_update().get(pk=consultation.pk)
    require(can_edit(actor, c.org), "您不能修改该单位的征求意见。")
    if c.is_published:
        raise ValidationError("已发布的征求意见不能修改问卷。")
    if kind not in QuestionKind.values:
        raise ValidationError({"kind": "请选择题型。"})
    text = clean_text(text, 300)
    if not text:
        raise ValidationError({"text": "请填写题目。"})
    opts = [clean_text(o, 100) for o in (options or "").splitlines()]
    opts = [o for o in opts if o]
    if kind != QuestionKind.TEXT and not 2 <= len(opts) <= MAX_OPTIONS:
        raise ValidationError({"options": f"选择题须有2至{MAX_OPTIONS}个选项，每行一个。"})
    if c.questions.count() >= MAX_QUESTIONS:
        raise ValidationError(f"问卷最多{MAX_QUESTIONS}题。")
    number = (c.questions.order_by("-number").values_list("number", flat=True).first()
              or 0) + 1
    q = Question.objects.create(consultation=c, number=number, kind=kind, text=text,
                                options=opts if kind != QuestionKind.TEXT else [],
                                required=required)
    c.review_status = Review.DRAFT  # the reviewer must see the questionnaire too
    c.save(update_fields=["review_status", "updated_at"])
    audit.record(actor=actor, action="gzcy.survey.add_question", target=c, org=c.org,
                 summary=f"{q.number}. {text}")
    return q


@transaction.atomic(durable=True)
def answer_survey(*, consultation: Consultation, raw: dict, now=None) -> SurveyResponse:
    c = Consultation.objects.select_for_update().get(pk=consultation.pk)
    now = now or timezone.now()
    if not c.is_published or not c.questions.exists():
        raise ClosedError("该问卷尚未发布。")
    if c.is_withdrawn:
        raise ClosedError("该征求意见已撤回，问卷调查不再接收答卷。")
    if now < c.starts_at:
        raise ClosedError("问卷调查尚未开始。")
    if now >= c.ends_at:
        raise ClosedError("问卷调查已截止，不能再提交。感谢您的关注。")
    answers, problems = surveyrules.clean_answers(as_rules(c.questions.all()), raw)
    if problems:
        raise ValidationError(problems)
    if not answers:
        raise ValidationError("请至少回答一题。")
    r = SurveyResponse.objects.create(consultation=c, answers=answers, submitted_at=now)
    audit.record(actor=None, action="gzcy.survey.answer", target=c, org=c.org,
                 summary=f"问卷答卷{r.pk}")
    return r
