"""Demo: the seed plan as the 台账, progress of a few units, an inspection finding set,
training, and a half-year evaluation with its draft 通报. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

D = dt.date


def load(stdout, quick: bool = False) -> None:
    from gongkai.core.models import Organization
    from gongkai.supervision import services
    from gongkai.supervision.models import (
        Assignment,
        AssignmentStatus,
        Evaluation,
        Plan,
        TrainingSession,
    )
    from gongkai.supervision.seed import seed_plan_text

    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["gkb", "fgj_xxy", "czj_xxy", "zxj_xxy"])}
    gkb = users.get("gkb")
    plan = Plan.objects.filter(year=2021).first() or services.import_plan(
        actor=gkb, text=seed_plan_text(), source_name="槐政办字〔2021〕4号",
        check_permission=gkb is not None)
    gaj = Organization.objects.filter(code="hyq-gaj").first()
    if gaj and "区公安分局" in plan.unresolved and gkb:
        services.add_alias(actor=gkb, plan=plan, name="区公安分局", org=gaj)
        plan.refresh_from_db()
    stdout.write(f"  {plan.title}：{plan.tasks.count()} 项任务")
    counts = {}
    for a in Assignment.objects.filter(task__plan=plan).select_related("org"):
        counts[a.org.name] = counts.get(a.org.name, 0) + 1
    for name, n in sorted(counts.items(), key=lambda kv: -kv[1])[: 5 if quick else 40]:
        stdout.write(f"    {name}：{n} 项")
    progress = [
        ("fgj_xxy", "一（二）",
         "已在区政府网站公开“十四五”规划纲要及3项专项规划，历史规划归集完成。",
         "/xxgk/hyq-fgj/", True),
        ("czj_xxy", "一（四）", "2021年部门预算已全部公开，政府债务信息按季度更新。",
         "/xxgk/hyq-czj/", False),
        ("zxj_xxy", "三（四）", "对照26+1+n标准化清单完成自查，整改3项。", "", False),
    ]
    for username, code, text, link, done in progress:
        user = users.get(username)
        if user is None:
            continue
        a = Assignment.objects.filter(task__plan=plan, task__code=code,
                                      org=user.staff_profile.org).first()
        if a and a.status == AssignmentStatus.OPEN:
            services.report_progress(actor=user, assignment=a, text=text, evidence=link,
                                     done=done, quarter="2021Q3")
    if gkb is None:
        return
    if not TrainingSession.objects.exists():
        orgs = Organization.objects.filter(code__in=["hyq-fgj", "hyq-czj", "hyq-zxj"])
        services.save_training(actor=gkb, title="政务公开业务培训（条例与年报）",
                               date=D(2021, 5, 20), level="staff", orgs=orgs,
                               audience=["editor", "reviewer", "subdistrict"],
                               material_links="培训课件 /xxgk/hyq-zfb/")
    if not Evaluation.objects.exists():
        # 第三方评估 scores (a manual indicator) for the demo units, others have none
        third = {"hyq-fgj": 96, "hyq-czj": 88, "hyq-wjj": 72, "hyq-zxj": 91, "hyq-mzj": 45}
        manual = {o.pk: {"manual.third_party": third[o.code]}
                  for o in Organization.objects.filter(code__in=third)}
        ev = services.run_evaluation(actor=gkb, title="2021年上半年政务公开工作评估",
                                     start=D(2021, 1, 1), end=D(2021, 6, 30), manual=manual)
        top = ev.scores.order_by("rank").select_related("org")[:3]
        for s in top:
            stdout.write(f"    评估：{s.rank}. {s.org.name} {s.total} 分")
        services.draft_bulletin(actor=gkb, evaluation=ev,
                                rectify_by=max(timezone.localdate(), D(2021, 6, 30))
                                + dt.timedelta(days=30))
        stdout.write("  已生成半年评估和通报草稿")
