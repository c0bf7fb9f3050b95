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


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_policy_list_titles_are_readable_on_a_phone(phone, elder):
    publish_policy_with_interpretation()
    if elder:
        phone.goto("/")
        phone.get_by_role("button", name="关怀版").click()
    phone.goto("/xxgk/zcwj/")
    shot(phone, f"phone-policy-list-{'elder' if elder else 'normal'}")
    characters_per_line = phone.evaluate(_TITLE_WIDTH_JS, POLICY_TITLE)
    assert characters_per_line >= 8, (
        f"the title column is {characters_per_line:.1f} characters wide on a phone")
