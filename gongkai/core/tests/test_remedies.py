"""Each unit's 行政复议机关 and 管辖法院: legal defaults by kind, explicit for branches."""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from gongkai.core import remedies
from gongkai.core.models import Organization


def test_defaults_follow_the_2023_review_law_by_kind():
    args = {"administration": remedies.LOCAL, "district": "济南市槐荫区人民政府"}
    assert remedies.default_bodies(kind="government", is_root=True, **args) == (
        "济南市人民政府", "济南市中级人民法院")
    for kind in ("department", "office", "subdistrict"):
        assert remedies.default_bodies(kind=kind, is_root=False, **args) == (
            "济南市槐荫区人民政府", "济南市槐荫区人民法院")
    # No legal default: a community, another unit, a branch, a vertically managed unit.
    assert remedies.default_bodies(kind="community", is_root=False, **args) == ("", "")
    for admin in (remedies.BRANCH, remedies.VERTICAL):
        assert remedies.default_bodies(kind="department", is_root=False, district="区政府",
                                       administration=admin) == ("", "")
    # A unit's own entry wins; the court name is a setting (cross-district jurisdiction).
    assert remedies.bodies(review_body="", court="", kind="department", is_root=False,
                           names={"local_court": "济南铁路运输法院"}, **args) == (
        "济南市槐荫区人民政府", "济南铁路运输法院")


@pytest.mark.django_db
def test_demo_units_of_all_four_kinds_have_the_right_bodies(district):
    """District government, department, 街道, and a city bureau's branch."""
    def bodies(code):
        return Organization.objects.get(code=code).remedy_bodies()

    assert bodies("hyq") == ("济南市人民政府", "济南市中级人民法院")
    assert bodies("hyq-fgj") == ("济南市槐荫区人民政府", "济南市槐荫区人民法院")
    assert bodies("hyq-zxj") == ("济南市槐荫区人民政府", "济南市槐荫区人民法院")
    assert bodies("hyq-gaj") == ("济南市人民政府或者济南市槐荫区人民政府", "济南市槐荫区人民法院")
    assert bodies("hyq-zrzyj")[0] == "济南市人民政府或者济南市槐荫区人民政府"
    assert Organization.objects.get(code="hyq-gaj").administration == remedies.BRANCH


@pytest.mark.django_db
def test_a_branch_unit_without_bodies_is_refused_in_the_admin_and_the_import(district,
                                                                           tmp_path):
    gaj = Organization.objects.get(code="hyq-gaj")
    gaj.review_body = ""
    with pytest.raises(ValidationError, match="复议机关"):
        gaj.full_clean()
    path = tmp_path / "orgs.jsonl"
    rows = [{"code": "hyq-x1", "name": "济南市某局槐荫分局", "parent": "hyq",
             "administration": "branch"},
            {"code": "hyq-x3", "name": "国家统计局槐荫调查队", "kind": "other",
             "administration": "vertical", "review_body": "国家统计局济南调查队",
             "court": "济南市槐荫区人民法院"},
            {"code": "hyq-x2", "name": "济南市某某局槐荫分局", "parent": "hyq",
             "administration": "branch", "review_body": "济南市人民政府",
             "court": "济南市槐荫区人民法院"}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows),
                    encoding="utf-8")
    err = io.StringIO()
    call_command("orgs", "import", str(path), stdout=io.StringIO(), stderr=err)
    assert "line 1: branch unit needs review_body and court" in err.getvalue()
    assert not Organization.objects.filter(code="hyq-x1").exists()
    assert Organization.objects.get(code="hyq-x2").remedy_bodies() == (
        "济南市人民政府", "济南市槐荫区人民法院")
    assert Organization.objects.get(code="hyq-x3").remedy_bodies() == (
        "国家统计局济南调查队", "济南市槐荫区人民法院")
    # Re-importing a line without the bodies keeps what was set.
    path.write_text(json.dumps({"code": "hyq-x2", "name": "济南市某某局槐荫分局",
                                "parent": "hyq"}, ensure_ascii=False), encoding="utf-8")
    call_command("orgs", "import", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert Organization.objects.get(code="hyq-x2").review_body == "济南市人民政府"
