import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from gongkai.core import demo, services
from gongkai.core.models import Role


def test_staff_log_in_and_see_their_unit_and_role(client, make_staff):
    user = make_staff("hyq-fgj", Role.REVIEWER, username="fgj_reviewer")
    response = client.post("/staff/login/", {"username": "fgj_reviewer",
                                             "password": demo.DEMO_PASSWORD}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "工作台" in page
    assert "槐荫区发展和改革局" in page
    assert "审核人" in page
    assert user.get_username() in page or "测试fgj_reviewer" in page


def test_wrong_password_shows_a_chinese_error_and_keeps_the_user_name(client, make_staff):
    make_staff("hyq-fgj", Role.EDITOR, username="fgj_editor")
    response = client.post("/staff/login/", {"username": "fgj_editor", "password": "wrong-pass"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "请输入一个正确的" in page or "用户名" in page
    assert 'value="fgj_editor"' in page


def test_five_failures_lock_the_account_even_for_the_right_password(client, make_staff):
    make_staff("hyq-fgj", Role.EDITOR, username="locked_user")
    for _ in range(5):
        client.post("/staff/login/", {"username": "locked_user", "password": "wrong-pass"})
    response = client.post("/staff/login/", {"username": "locked_user",
                                             "password": demo.DEMO_PASSWORD})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("password", ["short1", "password123", "1234567890"])
def test_password_policy_refuses_short_common_and_numeric_passwords(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_creating_staff_with_a_weak_password_is_refused(district, org):
    with pytest.raises(ValidationError):
        services.create_staff(actor=None, username="weak", password="abc", display_name="弱",
                              org=org("hyq-fgj"), role=Role.EDITOR, check_permission=False)


def test_passwords_are_hashed_with_django_default_in_real_settings():
    # The test suite swaps in a fast hasher (conftest); the project settings must not.
    from django.conf import global_settings

    import gongkai.settings as project_settings

    assert not hasattr(project_settings, "PASSWORD_HASHERS")
    assert global_settings.PASSWORD_HASHERS[0].endswith("PBKDF2PasswordHasher")


def test_staff_sessions_expire_after_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_forms_are_csrf_protected(make_staff, district):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/staff/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


def test_pages_carry_security_headers(client, district):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_staff_pages_are_not_cached_or_indexed(client_for, make_staff):
    response = client_for(make_staff("hyq-fgj", Role.EDITOR)).get("/staff/")
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


def test_login_page_shows_the_district_not_the_host_name(client, district):
    page = client.get("/staff/login/").content.decode()
    assert "济南市槐荫区人民政府" in page
    assert ">testserver<" not in page
