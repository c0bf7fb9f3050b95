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
def fee_account(db):
    """The district's default payee, which every fee notice prints."""
    from gongkai.foi.models import FeeAccount

    return FeeAccount.objects.create(org=None, payee="济南市槐荫区财政局",
                                     bank="某银行济南槐荫支行", account="1234567890",
                                     payment_code="山东省非税收入缴款码：3701040000001")
