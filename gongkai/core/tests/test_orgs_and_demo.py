import json
from io import StringIO

import pytest
from django.core.management import call_command

from gongkai.core.models import AuditEntry, Organization, Role, StaffProfile


def test_demo_is_the_real_district_with_staff_in_several_roles(db):
    out = StringIO()
    from gongkai.core import demo

    demo.load_orgs()
    demo.load_staff()
    demo.load_orgs()  # idempotent
    assert Organization.objects.get(code="hyq").name == "济南市槐荫区人民政府"
    assert Organization.objects.get(code="hyq-zfb").is_coordinating
    names = set(Organization.objects.values_list("short_name", flat=True))
    for unit in ("区委编办", "区发展改革局", "区自然资源局", "区财政局", "区农业农村局",
                 "区卫生健康局", "公安槐荫分局", "区市场监管局", "区教育和体育局", "区民政局",
                 "区人力资源社会保障局", "区司法局", "振兴街街道", "玉清湖街道"):
        assert unit in names
    assert Organization.objects.filter(kind="subdistrict").count() == 16
    roles = set(StaffProfile.objects.values_list("role", flat=True))
    assert roles == {Role.EDITOR, Role.REVIEWER, Role.COORDINATOR, Role.ADMIN}
    assert StaffProfile.objects.values("org").distinct().count() >= 4
    assert out is not None


def test_orgs_import_loads_a_tree_and_reports_bad_lines(db, tmp_path, capsys):
    path = tmp_path / "orgs.jsonl"
    rows = [
        {"code": "x", "name": "某区人民政府", "parent": None, "kind": "government",
         "credit_code": "113701000041890665"},
        {"code": "x-a", "name": "某区财政局", "parent": "x", "kind": "department",
         "credit_code": ""},
        {"code": "x-b", "name": "坏信用代码局", "parent": "x", "kind": "department",
         "credit_code": "113701000041890666"},
        {"code": "x-c", "name": "孤儿单位", "parent": "nope", "kind": "department"},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\nnot json\n")
    call_command("orgs", "import", str(path))
    captured = capsys.readouterr()
    assert "imported 2 organizations, 3 lines with errors" in captured.out
    assert "line 3: invalid credit_code" in captured.err
    assert "line 4: unknown parent 'nope'" in captured.err
    assert "line 5:" in captured.err
    assert Organization.objects.get(code="x-a").parent.code == "x"
    assert AuditEntry.objects.filter(action="org.create").count() == 2
    call_command("orgs", "import", str(path))  # re-import updates, never duplicates
    assert Organization.objects.filter(code__startswith="x").count() == 2


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
