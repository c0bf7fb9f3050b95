"""Schemathesis against the live test server: every operation, a bounded number of
generated requests each (anonymous and with a token), no 5xx and nothing off-schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from gongkai.api import services
from gongkai.api.models import Scope

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture
def fuzz_settings(monkeypatch):
    # The fuzzer sends a few hundred requests; the anonymous limit is not under test here.
    from gongkai.api.throttles import AnonApiThrottle

    monkeypatch.setattr(AnonApiThrottle, "THROTTLE_RATES", {"anon_api": "100000/min"})


def test_every_operation_survives_fuzzing(transactional_db, live_server, catalogue,
                                          fuzz_settings, make_staff):
    import io

    from django.contrib.auth import get_user_model

    from gongkai.api import demo

    demo.load(stdout=io.StringIO())  # datasets, so their detail endpoints answer 200 too
    owner = get_user_model().objects.create_user("hotline-admin")
    _token, raw = services.create_token(actor=None, name="12345热线", owner=owner,
                                        scopes=list(Scope.values), rate_per_minute=100000)
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/?format=json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 19
    for operation in operations:
        for headers in ({}, {"Authorization": f"Bearer {raw}"}):
            fuzz(operation, live_server.url, headers)


def fuzz(operation, base_url: str, headers: dict) -> None:
    @settings(max_examples=6, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def run(case):
        case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)

    run()
