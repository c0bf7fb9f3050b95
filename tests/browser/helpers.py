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


_TEXT_CONTRASTS_JS = """
(root) => {
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
  const out = [];
  for (const el of document.querySelectorAll(root + ' *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    const fg = lum(rgb(style.color)), bg = lum(background(el));
    out.push({text: el.textContent.trim().slice(0, 20),
              contrast: (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05)});
  }
  return out;
}
"""


def text_contrasts(page, root: str = "main") -> list[dict]:
    """WCAG contrast ratio of every visible piece of text under ``root``."""
    return page.evaluate(_TEXT_CONTRASTS_JS, root)


def focused(page) -> dict:
    """What has keyboard focus, and whether a reader can see it (a focus ring)."""
    return page.evaluate("""() => {
      const el = document.activeElement;
      const s = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      return {tag: el.tagName.toLowerCase(), id: el.id, name: el.name || '',
              text: (el.innerText || el.value || '').trim().slice(0, 40),
              ring: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
                    || s.boxShadow !== 'none',
              onScreen: r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.width > 0};
    }""")


def tab_to(page, predicate, limit: int = 40) -> dict:
    """Press Tab until the focused element satisfies ``predicate``; each stop shows a ring."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        assert now["ring"] and now["onScreen"], f"focus is not visible on {now}"
        if predicate(now):
            return now
    raise AssertionError(f"Tab never reached the element after {limit} presses on {page.url}")


def assert_site_shell(page) -> None:
    """Every public page carries the site's own name and the organizer in the footer."""
    from django.conf import settings

    site = settings.GONGKAI_SITE
    expect(page.locator("header .site-name")).to_have_text(site["name"])
    expect(page.locator("footer")).to_contain_text(site["organizer"])
