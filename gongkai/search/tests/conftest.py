"""Search fixtures: the index follows documents created through the disclosure services."""

import pytest

from gongkai.core.models import Role


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """Run a block and deliver its on-commit document_changed signals (as a real commit would)."""

    class Ctx:
        def __enter__(self):
            self.cm = django_capture_on_commit_callbacks(execute=True)
            return self.cm.__enter__()

        def __exit__(self, *exc):
            return self.cm.__exit__(*exc)

    return Ctx


@pytest.fixture
def fgj_staff(make_staff):
    return make_staff("hyq-fgj", Role.EDITOR), make_staff("hyq-fgj", Role.REVIEWER)


@pytest.fixture(autouse=True)
def _engine_order(settings):
    """These tests check the engine's own order (its fast path, exact or approximate pages),
    whatever GONGKAI_SEARCH_RERANK the environment sets; test_rerank turns re-ranking on."""
    settings.GONGKAI_SEARCH_RERANK = 0
