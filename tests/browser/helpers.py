"""What the browser tests check on every page: screenshots, axe-core, labels, contrast."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .conftest import SCREENSHOTS

_axe = Axe()


def shot(page, name: str) -> None:
    """Leave a full-page screenshot in artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def assert_accessible(page) -> None:
    """axe-core (WCAG 2.x A/AA rules and best practices): no serious or critical violation."""
    results = _axe.run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    lines = [
        f"- {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        for v in bad
    ]
    assert not bad, f"axe-core found on {page.url}:\n" + "\n".join(lines)


_UNLABELLED_FIELDS_JS = """
() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => !['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type))
  .filter(el => {
    const byLabel = [...(el.labels || [])].some(l => l.textContent.trim());
    const byAria = (el.getAttribute('aria-label') || '').trim();
    const byRef = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
      .some(id => (document.getElementById(id)?.textContent || '').trim());
    return !(byLabel || byAria || byRef || (el.title || '').trim());
  })
  .map(el => el.outerHTML.slice(0, 160))
"""


def assert_fields_labelled(page) -> None:
    """Every form field has a label a screen reader announces (a placeholder is not one)."""
    missing = page.evaluate(_UNLABELLED_FIELDS_JS)
    assert not missing, f"fields without a label on {page.url}:\n" + "\n".join(missing)


_CONTRAST_JS = """
(selector) => {
  const rgb = s => s.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => {
    const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = el => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length < 4 || c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const el = document.querySelector(selector);
  const style = getComputedStyle(el);
  const fg = lum(rgb(style.color)), bg = lum(background(el));
  return {
    fontSize: parseFloat(style.fontSize),
    color: style.color,
    contrast: (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05),
  };
}
"""


def text_style(page, selector: str) -> dict:
    """Computed font size (px), colour and WCAG contrast ratio of the element's text."""
    return page.evaluate(_CONTRAST_JS, selector)


def login(page, username: str, password: str | None = None) -> None:
    from gongkai.core.demo import DEMO_PASSWORD

    page.goto("/staff/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password or DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()
