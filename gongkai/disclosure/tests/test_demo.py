import io

import pytest
from django.test import Client

from gongkai.disclosure import demo
from gongkai.disclosure.models import Document, GazetteIssue, Interpretation, Regulation

pytestmark = pytest.mark.django_db


def test_quick_demo_loads_seed_plan_with_interpretation_and_is_idempotent(district):
    demo.load(io.StringIO(), quick=True)
    counts = (Document.objects.count(), Interpretation.objects.count(),
              Regulation.objects.count(), GazetteIssue.objects.count())
    seed = Document.objects.get(external_id=demo.SEED_ID)
    assert seed.doc_number == "槐政办字〔2021〕4号"
    assert seed.org.code == "hyq-zfb" and seed.written_date.isoformat() == "2021-06-23"
    assert seed.is_public() and "聚焦各项重点领域" in seed.body_text
    assert seed.public_interpretations().exists()
    assert Document.objects.public().filter(doc_type="normative").exclude(validity="").exists()
    assert Document.objects.public().count() >= 25
    assert Regulation.objects.count() >= 5
    demo.load(io.StringIO(), quick=True)
    assert (Document.objects.count(), Interpretation.objects.count(),
            Regulation.objects.count(), GazetteIssue.objects.count()) == counts
    html = Client().get("/xxgk/zcwj/", {"doc_number": "槐政办字[2021]4号"}).content.decode()
    assert seed.get_absolute_url() in html
