"""On a 390-px phone, lists stay readable: a document title is not squeezed into a column
one or two characters wide, in the normal and the 关怀版 (large text) mode."""

import pytest

from .helpers import POLICY_TITLE, publish_policy_with_interpretation, shot

pytestmark = pytest.mark.browser

_TITLE_WIDTH_JS = """
(title) => {
  const link = [...document.querySelectorAll('main a')].find(a => a.textContent.trim() === title);
  const em = parseFloat(getComputedStyle(link).fontSize);
  return link.getBoundingClientRect().width / em;
}
"""


def test_policy_list_titles_are_readable_on_a_phone(phone):
    publish_policy_with_interpretation()
    widths = {}
    for mode in ("normal", "elder"):
        if mode == "elder":
            phone.get_by_role("button", name="关怀版").click()
        else:
            phone.goto("/xxgk/zcwj/")
        shot(phone, f"phone-policy-list-{mode}")
        widths[mode] = round(phone.evaluate(_TITLE_WIDTH_JS, POLICY_TITLE), 1)
    assert min(widths.values()) >= 8, (
        f"characters per line of a title in the list, by mode: {widths}")
