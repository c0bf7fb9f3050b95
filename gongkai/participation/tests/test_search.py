import io

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.core import demo as core_demo
from gongkai.participation import demo
from gongkai.participation.models import Consultation, Decision

pytestmark = pytest.mark.django_db


def test_published_consultations_reports_and_items_are_found(
        district, django_capture_on_commit_callbacks):
    core_demo.load_staff()
    with django_capture_on_commit_callbacks(execute=True):
        demo.load(io.StringIO())
    client = Client()
    elder = Consultation.objects.get(title__contains="养老服务业")
    item = Decision.objects.get(title__contains="养老服务业")
    html = client.get(reverse("search:search"), {"q": "养老服务业"}).content.decode()
    assert f'href="{elder.get_absolute_url()}"' in html
    assert f'href="{item.get_absolute_url()}"' in html  # the catalog item
    parking = Consultation.objects.get(title__contains="停车场")
    html = client.get(reverse("search:search"), {"q": "免费停车时长"}).content.decode()
    assert f'href="{reverse("participation:feedback", args=[parking.pk])}"' in html


def test_a_full_rebuild_keeps_them(district, django_capture_on_commit_callbacks):
    """`gongkai search reindex` rebuilds every registered search source, not only documents."""
    from gongkai.search.indexing import reindex_all

    core_demo.load_staff()
    with django_capture_on_commit_callbacks(execute=True):
        demo.load(io.StringIO())
    counts = reindex_all(workers=0)
    assert counts["gzcy-consultation"] >= 2 and counts["gzcy-decision"] >= 1
    elder = Consultation.objects.get(title__contains="养老服务业")
    html = Client().get(reverse("search:search"), {"q": "养老服务业"}).content.decode()
    assert f'href="{elder.get_absolute_url()}"' in html


def test_a_withdrawn_consultation_is_found_marked_withdrawn(
        district, django_capture_on_commit_callbacks):
    from django.contrib.auth import get_user_model

    from gongkai.participation import services
    from gongkai.participation.services.periods import change_revision

    core_demo.load_staff()
    with django_capture_on_commit_callbacks(execute=True):
        demo.load(io.StringIO())
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["fgj_xxy", "fgj_shr"])}
    elder = Consultation.objects.get(title__contains="养老服务业")
    ch = services.request_change(actor=users["fgj_xxy"], consultation=elder, kind="withdraw",
                                 reason="并入全市统一政策")
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_change(actor=users["fgj_shr"], change=ch, revision=change_revision(ch))
    html = Client().get(reverse("search:search"), {"q": "养老服务业"}).content.decode()
    assert f'href="{elder.get_absolute_url()}"' in html and "（已撤回）" in html
