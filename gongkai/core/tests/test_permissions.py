import pytest

from gongkai.core import permissions as p
from gongkai.core.models import Organization, OrgKind, Role


@pytest.fixture
def community(district, org):
    return Organization.objects.create(code="hyq-zxj-sq1", name="振兴街街道某社区居委会",
                                       kind=OrgKind.COMMUNITY, parent=org("hyq-zxj"))


@pytest.mark.parametrize("role", [Role.EDITOR, Role.REVIEWER])
def test_department_staff_see_their_unit_and_not_another(make_staff, org, role):
    user = make_staff("hyq-fgj", role)
    assert p.can_view(user, org("hyq-fgj"))
    assert not p.can_view(user, org("hyq-czj"))
    assert not p.can_view(user, org("hyq"))
    assert set(p.visible_orgs(user).values_list("code", flat=True)) == {"hyq-fgj"}


def test_subdistrict_staff_see_their_communities(make_staff, org, community):
    user = make_staff("hyq-zxj", Role.EDITOR)
    assert p.can_view(user, community)
    assert not p.can_view(make_staff("hyq-ddj", Role.EDITOR), community)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_coordinator_and_admin_see_every_unit(make_staff, org, role):
    user = make_staff("hyq-zfb", role)
    assert p.visible_org_ids(user) is None
    assert p.can_view(user, org("hyq-czj"))
    assert p.can_review(user, org("hyq-czj"))
    assert p.visible_orgs(user).count() == Organization.objects.count()


def test_only_reviewers_of_the_unit_review(make_staff, org):
    assert not p.can_review(make_staff("hyq-fgj", Role.EDITOR), org("hyq-fgj"))
    assert p.can_review(make_staff("hyq-fgj", Role.REVIEWER), org("hyq-fgj"))
    assert not p.can_review(make_staff("hyq-fgj", Role.REVIEWER), org("hyq-czj"))


def test_users_without_a_staff_profile_have_no_rights(db, district, org, django_user_model):
    user = django_user_model.objects.create_user("citizen", password="x-long-password-1")
    assert not p.is_staff_member(user)
    assert p.visible_org_ids(user) == set()
    assert not p.can_view(user, org("hyq-fgj"))
    assert not p.can_review(user, org("hyq-fgj"))


def test_inactive_accounts_lose_their_rights(make_staff, org):
    user = make_staff("hyq-fgj", Role.REVIEWER)
    user.is_active = False
    user.save()
    assert not p.can_review(user, org("hyq-fgj"))


def test_a_user_without_a_role_gets_a_chinese_403_on_the_workbench(client, district,
                                                                   django_user_model):
    user = django_user_model.objects.create_user("norole", password="x-long-password-1")
    client.force_login(user)
    response = client.get("/staff/")
    assert response.status_code == 403
    assert "未分配单位和角色" in response.content.decode()


def test_only_the_coordinator_manages_the_calendar(make_staff, client_for):
    for role in (Role.EDITOR, Role.REVIEWER):
        response = client_for(make_staff("hyq-fgj", role)).get("/staff/calendar/")
        assert response.status_code == 403
    assert client_for(make_staff("hyq-zfb", Role.COORDINATOR)).get(
        "/staff/calendar/").status_code == 200
