"""通报 of an evaluation: drafted from the scores, reviewed, then published."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.models import Organization
from gongkai.core.permissions import is_coordinator, require
from gongkai.supervision import scoring
from gongkai.supervision.models import (
    Bulletin,
    BulletinStatus,
    Evaluation,
    Finding,
    FindingStatus,
)


def thresholds() -> dict:
    return {**scoring.THRESHOLDS, **getattr(settings, "GONGKAI_SUPERVISION_THRESHOLDS", {})}


def compose(evaluation: Evaluation, rectify_by: dt.date) -> str:
    """The body text: 表扬, 通报批评 with 限期整改 items, and the ranking."""
    t = thresholds()
    everyone = list(evaluation.scores.select_related("org").order_by("rank", "org__sort_order"))
    # A unit the platform has no data on is not criticised for it: it is listed apart.
    scores = [s for s in everyone if s.vetoes
              or any(i.get("points") is not None for i in s.indicators)]
    no_data = [s for s in everyone if s not in scores]
    vetoed = [s for s in scores if s.vetoes]
    praise = [s for s in scores if not s.vetoes
              and scoring.verdict(float(s.total), t) == "praise"]
    criticise = [s for s in scores if not s.vetoes
                 and scoring.verdict(float(s.total), t) == "criticise"]
    root = Organization.root()
    lines = [
        "各街道办事处，区政府各部门：",
        f"按照{root.name if root else '区政府'}政务公开工作要点“每季度督查、每半年评估”的要求，"
        f"区政府办公室依据政务公开平台数据，对{evaluation.start:%Y年%-m月%-d日}至"
        f"{evaluation.end:%Y年%-m月%-d日}各单位政务公开工作开展了评估。现将有关情况通报如下。",
    ]
    # 19号: 单项否决 first — the unit fails whatever its points.
    if vetoed:
        lines.append("一、单项否决单位")
        lines.append("、".join(s.org.name for s in vetoed)
                     + "存在单项否决问题，本期评估不合格，予以通报批评，请于"
                     f"{rectify_by:%Y年%-m月%-d日}前完成整改并将整改情况报区政府办公室。")
        for s in vetoed:
            lines.append(f"{s.org.name}：" + "；".join(
                f"{v['label']}（{v['url']}，整改期限{v['due']}，{v['status']}）"
                for v in s.vetoes) + "。")
    n = iter(["一", "二", "三", "四"][1 if vetoed else 0:])
    lines += [
        f"{next(n)}、表扬单位",
        ("、".join(s.org.name for s in praise) + f"等 {len(praise)} 个单位工作落实到位，"
         f"评估得分在 {t['praise']:g} 分以上，予以表扬。") if praise
        else "本期无得分达到表扬标准的单位。",
        f"{next(n)}、通报批评单位",
    ]
    if criticise:
        lines.append("、".join(s.org.name for s in criticise)
                     + f"评估得分低于 {t['criticise']:g} 分，"
                     f"工作落实不到位，予以通报批评，请于{rectify_by:%Y年%-m月%-d日}前完成整改"
                     "并将整改情况报区政府办公室。")
        for s in criticise:
            weak = [i for i in s.indicators if i.get("points") is not None
                    and i["points"] < i["weight"] * 0.6]
            items = "；".join(f"{i['label']}偏低" for i in weak) or "各项指标均需提升"
            open_f = Finding.objects.filter(org=s.org).exclude(
                status=FindingStatus.CLOSED).count()
            if open_f:
                items += f"；网站检查问题 {open_f} 个尚未整改"
            lines.append(f"{s.org.name}（{s.total} 分）：{items}。")
    else:
        lines.append("本期无通报批评单位。")
    lines.append(f"{next(n)}、评估排名")
    lines.extend(f"{s.rank}. {s.org.name}  {s.total} 分" + ("（单项否决）" if s.vetoes else "")
                 for s in scores)
    if no_data:
        lines.append("以下单位本期在平台上没有可评估的数据，未纳入排名，请核实："
                     + "、".join(s.org.name for s in no_data) + "。")
    lines.append("各单位要对照问题逐项整改，切实做好政务公开各项工作。")
    return "\n".join(lines)


@transaction.atomic(durable=True)
def draft_bulletin(*, actor, evaluation: Evaluation, rectify_by: dt.date, number: str = ""
                   ) -> Bulletin:
    require(is_coordinator(actor), "只有公开办协调员可以起草通报。")
    if not evaluation.scores.exists():
        raise ValidationError("该评估没有得分，无法生成通报。")
    if rectify_by <= evaluation.end:
        raise ValidationError("整改期限须晚于评估截止日期。")
    bulletin = Bulletin.objects.create(
        evaluation=evaluation, number=number.strip()[:100], rectify_by=rectify_by,
        title=f"关于{evaluation.title}情况的通报", body=compose(evaluation, rectify_by),
        written_by=actor if getattr(actor, "is_authenticated", False) else None)
    audit.record(actor=actor, action="dc.bulletin.draft", target=bulletin,
                 summary=f"起草通报，整改期限 {rectify_by}")
    return bulletin


@transaction.atomic(durable=True)
def save_bulletin(*, actor, bulletin: Bulletin, title: str, body: str, number: str = ""
                  ) -> Bulletin:
    require(is_coordinator(actor), "只有公开办协调员可以修改通报。")
    if bulletin.status == BulletinStatus.PUBLISHED:
        raise ValidationError("已发布的通报不能修改。")
    if not title.strip() or not body.strip():
        raise ValidationError("标题和正文不能为空。")
    bulletin.title, bulletin.body, bulletin.number = title.strip()[:200], body.strip(), \
        number.strip()[:100]
    bulletin.written_by = actor if getattr(actor, "is_authenticated", False) else None
    bulletin.save(update_fields=["title", "body", "number", "written_by"])
    audit.record(actor=actor, action="dc.bulletin.save", target=bulletin, summary="修改通报")
    return bulletin


def may_approve(user) -> bool:
    """Who may approve a 通报: a coordinator, or a 审核人 of the coordinating office."""
    from gongkai.core.models import Organization
    from gongkai.core.permissions import can_review

    office = Organization.objects.filter(is_coordinating=True).first()
    return is_coordinator(user) or (office is not None and can_review(user, office))


@transaction.atomic(durable=True)
def publish_bulletin(*, actor, bulletin: Bulletin, revision: str) -> Bulletin:
    """先审后发: another coordinator than the one who wrote the text approves exactly the
    version they read (``revision``, from ``Bulletin.revision()``); it cannot change
    afterwards."""
    require(may_approve(actor), "只有公开办协调员或区政府办公室审核人可以审核发布通报。")
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if bulletin.status == BulletinStatus.PUBLISHED:
        raise ValidationError("该通报已经发布。")
    require(bulletin.written_by_id is None or bulletin.written_by_id != actor.pk,
            "不能审核发布自己起草或修改的通报（先审后发），请由另一位协调员或审核人审核。")
    if revision != bulletin.revision():
        raise ValidationError("通报在您打开后已被修改，请重新阅读后再审核发布。")
    bulletin.status, bulletin.published_at = BulletinStatus.PUBLISHED, timezone.now()
    bulletin.published_by, bulletin.published_revision = actor, revision
    bulletin.save(update_fields=["status", "published_at", "published_by",
                                 "published_revision"])
    audit.record(actor=actor, action="dc.bulletin.publish", target=bulletin,
                 summary=f"审核发布通报（版本 {revision[:12]}）")
    return bulletin


def workbench_notices(user, today) -> list[tuple[str, str, str]]:
    """A 通报 awaiting review, for whoever may approve it and did not write it."""
    if not may_approve(user):
        return []
    waiting = Bulletin.objects.filter(status=BulletinStatus.DRAFT).exclude(
        written_by_id=getattr(user, "pk", None)).order_by("created_at")
    first = waiting.first()
    if first is None:
        return []
    return [("info", f"通报待审核发布：{waiting.count()} 件（{first.title}）",
             first.get_absolute_url())]
