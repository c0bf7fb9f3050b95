import pytest
from django.db import DatabaseError, connection, transaction

from gongkai.core import audit, services
from gongkai.core.models import AuditEntry, Role


@pytest.fixture
def entry(district, org):
    return audit.record(actor=None, action="test.action", target=org("hyq-fgj"),
                        org=org("hyq-fgj"), changes={"name": {"before": "a", "after": "b"}})


def test_entry_records_who_what_which_and_the_change(make_staff, org):
    coordinator = make_staff("hyq-zfb", Role.COORDINATOR)
    import datetime as dt

    services.mark_calendar_day(actor=coordinator, date=dt.date(2027, 1, 1), is_workday=False,
                               name="元旦")
    e = AuditEntry.objects.get(action="calendar.mark")
    assert e.actor == coordinator
    assert "测试" in e.actor_label
    assert e.target_type == "core.calendarday"
    assert e.changes["is_workday"] == {"before": None, "after": False}
    assert e.at is not None


def test_entries_cannot_be_changed_through_the_model(entry):
    entry.action = "tampered"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="tampered")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.action"


def test_entries_cannot_be_changed_even_with_raw_sql(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
        c.execute("UPDATE core_auditentry SET action = 'x' WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
        c.execute("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk, action="test.action").exists()


def test_personal_fields_are_redacted_in_diffs():
    changes = audit.diff({"id_number": "11010519491231002X", "title": "a"},
                         {"id_number": "110105194912310038", "title": "b"})
    assert changes["id_number"] == {"before": "***", "after": "***"}
    assert changes["title"] == {"before": "a", "after": "b"}


def test_coordinator_browses_and_filters_every_unit(make_staff, client_for, org, entry):
    audit.record(actor=None, action="other.action", target=org("hyq-czj"), org=org("hyq-czj"))
    c = client_for(make_staff("hyq-zfb", Role.COORDINATOR))
    page = c.get("/staff/audit/").content.decode()
    assert "test.action" in page and "other.action" in page
    page = c.get("/staff/audit/", {"org": org("hyq-czj").pk}).content.decode()
    assert "other.action" in page and "test.action" not in page
    page = c.get("/staff/audit/", {"action": "test"}).content.decode()
    assert "test.action" in page and "other.action" not in page


@pytest.mark.parametrize("role", [Role.EDITOR, Role.REVIEWER])
def test_department_staff_see_only_their_own_units_entries(make_staff, client_for, org, entry,
                                                           role):
    audit.record(actor=None, action="czj.secret", target=org("hyq-czj"), org=org("hyq-czj"))
    page = client_for(make_staff("hyq-fgj", role)).get("/staff/audit/").content.decode()
    assert "test.action" in page
    assert "czj.secret" not in page
    page = client_for(make_staff("hyq-czj", role)).get("/staff/audit/").content.decode()
    assert "czj.secret" in page and "test.action" not in page


def test_anonymous_visitors_are_sent_to_login(client, district):
    response = client.get("/staff/audit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")


@pytest.mark.django_db(transaction=True)
def test_transactional_tests_can_write_audit_entries(district, org):
    # Teardown flushes the database; on SQLite that must get past the append-only triggers.
    audit.record(actor=None, action="flush.me", target=org("hyq-fgj"))
    assert AuditEntry.objects.filter(action="flush.me").exists()


@pytest.mark.django_db(transaction=True)
def test_the_triggers_are_back_after_a_flush(district, org):
    entry = audit.record(actor=None, action="after.flush", target=org("hyq-fgj"))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
        c.execute("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])
