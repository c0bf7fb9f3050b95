import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Letters and uploads go to a temporary directory, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """Rate-limit counters start empty. The cache is a database table without Redis, so only
    tests that use the database touch it."""
    from django.core.cache import cache

    if not ({"db", "transactional_db"} & set(request.fixturenames)
            or request.node.get_closest_marker("django_db")):
        yield
        return
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """make_staff sets real passwords; a fast hasher keeps these tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
