"""Schemathesis against the live test server: every operation, a bounded number of
generated requests each (anonymous and with a token), no 5xx and nothing off-schema."""

import base64

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
from gongkai.core.tests.helpers import one_page_pdf
from gongkai.foi.tests.factories import ID_NUMBER

WRITE_AND_FEED = {("POST", "/api/v1/interaction/messages/"),
                  ("GET", "/api/v1/interaction/messages/"),
                  ("GET", "/api/v1/interaction/messages/{ref}/"),
                  ("POST", "/api/v1/foi/applications/"),
                  ("GET", "/api/v1/republish/documents/"),
                  ("GET", "/api/v1/republish/interpretations/")}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture
def fuzz_settings(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # files sent with the accepted requests
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
    by_route = {(op.method.upper(), op.path): op for op in operations}
    # The integrators' endpoints are among those fuzzed, not only the read ones.
    assert WRITE_AND_FEED <= set(by_route), WRITE_AND_FEED - set(by_route)
    for operation in operations:
        for headers in ({}, {"Authorization": f"Bearer {raw}"}):
            fuzz(operation, live_server.url, headers)
    # Random bodies rarely pass validation: the accepted answers (a message with files, an
    # application with its identity proof, the feeds' pages) are checked against the schema.
    auth = {"Authorization": f"Bearer {raw}"}
    pdf = base64.b64encode(one_page_pdf()).decode()
    message = {"order_number": "GD-FUZZ-1", "kind": "consult", "subject": "咨询",
               "body": "内容", "name": "李四", "phone": "13800000001",
               "attachments": [{"name": "说明.pdf", "content": pdf}]}
    application = {"external_ref": "FUZZ-1", "applicant_kind": "person", "name": "张三",
                   "id_type": "id_card", "id_number": ID_NUMBER, "phone": "13800000000",
                   "email": "zhangsan@example.com", "addressee": "hyq-fgj",
                   "subject": "老旧小区改造项目清单", "forms_wanted": ["email"],
                   "delivery": "email", "consent": True,
                   "identity_proof": {"name": "身份证.pdf", "content": pdf}}
    for route, body, expected in [
            (("POST", "/api/v1/interaction/messages/"), message, 201),
            (("POST", "/api/v1/interaction/messages/"), message, 200),
            (("POST", "/api/v1/foi/applications/"), application, 201),
            (("GET", "/api/v1/republish/documents/"), None, 200),
            (("GET", "/api/v1/republish/interpretations/"), None, 200)]:
        case = (by_route[route].Case(body=body, media_type="application/json")
                if body else by_route[route].Case())
        response = case.call_and_validate(base_url=live_server.url, headers=auth,
                                          checks=CHECKS)
        assert response.status_code == expected, (route, response.text[:300])


def fuzz(operation, base_url: str, headers: dict) -> None:
    @settings(max_examples=6, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def run(case):
        case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)

    run()
