import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Letters and uploads go to a temporary directory, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """make_staff sets real passwords; a fast hasher keeps these tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(make_staff):
    """The 公开办 coordinator, the 发改局's handler and reviewers, and another unit's staff."""
    from gongkai.core.models import Role

    return {
        "gkb": make_staff("hyq-zfb", Role.COORDINATOR, "gkb"),
        "editor": make_staff("hyq-fgj", Role.EDITOR, "fgj_xxy"),
        "reviewer": make_staff("hyq-fgj", Role.REVIEWER, "fgj_shr"),
        "reviewer2": make_staff("hyq-fgj", Role.REVIEWER, "fgj_shr2"),
        "other": make_staff("hyq-czj", Role.REVIEWER, "czj_shr"),
    }


LETTER = {"kind": "consult", "subject": "小区停车收费咨询",
          "body": "请问本小区地面停车收费标准是否经过备案？", "name": "张三",
          "phone": "13812345678", "email": "", "address": "槐荫区某小区",
          "consent": "anonymous"}


@pytest.fixture
def letter():
    return dict(LETTER)
