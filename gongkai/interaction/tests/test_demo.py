import io

import pytest

from gongkai.core import demo as core_demo
from gongkai.interaction import demo
from gongkai.interaction.models import Commitment, Event, Message, Proposal, QAEntry

pytestmark = pytest.mark.django_db


def test_demo_loads_every_state_once(district):
    core_demo.load_staff()
    demo.load(io.StringIO(), quick=True)
    statuses = set(Message.objects.values_list("status", flat=True))
    assert {"new", "handling", "review", "answered"} <= statuses
    assert Message.objects.filter(published=True).count() == 3
    assert QAEntry.objects.filter(status="published").count() == 3
    assert Proposal.objects.filter(published=True).count() == 2
    assert Event.objects.count() == 2 and Commitment.objects.count() == 1
    from gongkai.interaction.models import CoPart

    assert sorted(CoPart.objects.values_list("org__code", "status")) == [
        ("hyq-czj", "submitted"), ("hyq-wjj", "open")]
    n = Message.objects.count()
    demo.load(io.StringIO(), quick=True)
    assert Message.objects.count() == n
