"""The evaluation's default indicators are statistics the installed apps really register."""

from gongkai.core import registry
from gongkai.supervision.scoring import DEFAULT_WEIGHTS


def test_every_default_indicator_of_an_installed_app_is_registered():
    registered = set(registry.statistics())
    apps = {key.split(".")[0] for key in registered}
    expected = {key for key in DEFAULT_WEIGHTS
                if key.split(".")[0] in apps and not key.startswith("manual.")}
    assert expected - registered == set()
    assert {"participation.feedback_on_time_share", "interaction.messages_on_time"} <= expected
