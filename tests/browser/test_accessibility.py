"""axe-core and labelled fields on the pages citizens and staff use most."""

import pytest

from .helpers import assert_accessible, assert_fields_labelled, assert_site_shell

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/", "/staff/login/"], ids=["home", "staff-login"])
def test_page_has_no_serious_accessibility_violations(page, path):
    response = page.goto(path)
    assert response.ok, f"{path} answered {response.status}"
    assert_site_shell(page)
    assert_fields_labelled(page)
    assert_accessible(page)
