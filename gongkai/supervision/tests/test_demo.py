"""The demo builds the 台账 from the shipped seed plan, some progress and an evaluation."""

import io

import pytest

from gongkai.core import demo as core_demo
from gongkai.supervision import demo
from gongkai.supervision.models import Assignment, AssignmentStatus, Bulletin, Evaluation, Plan

pytestmark = pytest.mark.django_db


def test_demo_is_built_from_the_seed_and_idempotent(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    core_demo.load_orgs()
    core_demo.load_staff()
    out = io.StringIO()
    demo.load(out, quick=True)
    demo.load(io.StringIO(), quick=True)
    plan = Plan.objects.get()
    assert plan.doc_number == "槐政办字〔2021〕4号" and plan.unresolved == []  # alias applied
    assert "21 项任务" in out.getvalue() and "评估" in out.getvalue()
    assert Assignment.objects.exclude(status=AssignmentStatus.OPEN).count() == 3
    assert Evaluation.objects.count() == 1 and Bulletin.objects.count() == 1
    top = Evaluation.objects.get().scores.order_by("rank").first()
    assert top.total > 0
