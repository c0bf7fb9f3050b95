import datetime as dt

import pytest
from django.utils import timezone

from gongkai.core.models import Role
from gongkai.participation import services
from gongkai.participation.models import Consultation

DRAFT = """第一章 总则
第一条 为了规范养犬行为，制定本办法。
第二条 本办法适用于本区行政区域内的养犬管理。
第二章 养犬登记
第三条 个人养犬应当办理登记。
登记应当提交犬只免疫证明。
第四条 重点管理区内禁止饲养烈性犬。
"""


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff(make_staff):
    return {
        "editor": make_staff("hyq-sfj", Role.EDITOR, "sfj_editor"),
        "reviewer": make_staff("hyq-sfj", Role.REVIEWER, "sfj_reviewer"),
        "other_reviewer": make_staff("hyq-fgj", Role.REVIEWER, "fgj_reviewer"),
    }


@pytest.fixture
def publish(staff):
    """Create, submit and publish a consultation of 司法局 (times relative to now)."""

    def make(*, start=-1, days=30, title="槐荫区养犬管理办法（征求意见稿）",
             **extra) -> Consultation:
        from gongkai.core.models import Organization

        now = timezone.now()
        starts = now + dt.timedelta(days=start)
        data = {"title": title, "draft_text": DRAFT, "explanation": "为规范养犬行为",
                "starts_at": starts, "ends_at": starts + dt.timedelta(days=days),
                "contact": "信函：槐荫区司法局", **extra}
        c = services.create_consultation(actor=staff["editor"],
                                         org=Organization.objects.get(code="hyq-sfj"),
                                         data=data)
        services.submit_consultation(actor=staff["editor"], consultation=c)
        rev = services.consultations.consultation_revision(c)
        # Publishing refuses a past end instant; publish first, then move the clock.
        if c.ends_at <= now:
            Consultation.objects.filter(pk=c.pk).update(ends_at=now + dt.timedelta(days=1))
            c.refresh_from_db()
            rev = services.consultations.consultation_revision(c)
            services.publish_consultation(actor=staff["reviewer"], consultation=c, revision=rev)
            Consultation.objects.filter(pk=c.pk).update(ends_at=starts + dt.timedelta(days=days))
        else:
            services.publish_consultation(actor=staff["reviewer"], consultation=c, revision=rev)
        c.refresh_from_db()
        return c

    return make
