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


POLICY_TITLE = "槐荫区关于减免小微企业和个体工商户房屋租金的实施意见"
POLICY_NUMBER = "槐政办发〔2026〕3号"
INTERPRETATION_TITLE = "《关于减免小微企业和个体工商户房屋租金的实施意见》政策解读"
_OTHER_DOCUMENTS = [
    ("关于做好2026—2027年度冬季城市集中供暖工作的通知", "槐政办字〔2026〕21号",
     "<p>各供热单位要在11月15日前完成管网检修，确保按时供暖，室温不低于18摄氏度。</p>"),
    ("槐荫区2026年义务教育阶段学校招生工作方案", "槐教体发〔2026〕5号",
     "<p>公办小学按照划片招生、免试就近入学的原则，适龄儿童持户口簿和房产证明报名。</p>"),
    ("关于开展2026年安全生产大检查的通知", "槐应急字〔2026〕9号",
     "<p>重点检查危险化学品、建筑施工、消防等领域，发现隐患立即整改。</p>"),
]


def publish_policy_with_interpretation():
    """A published 政策文件 of 区政府办公室 with its 政策解读, among a few unrelated
    documents: what a citizen searches through."""
    import datetime as dt

    from gongkai.core.models import Organization
    from gongkai.disclosure import services

    office = Organization.objects.get(code="hyq-zfb")
    services.seed_directory(actor=None, org=office, check_permission=False)
    record = {"org": "hyq-zfb", "attribute": "public", "category": "qtzcwj",
              "written": dt.date(2026, 3, 2), "published": dt.date(2026, 3, 5)}
    doc, _ = services.import_record(actor=None, record=dict(
        record, external_id="browser:rent", title=POLICY_TITLE, doc_number=POLICY_NUMBER,
        doc_type="policy",
        body="<p>为帮助小微企业和个体工商户纾困解难，对承租区属国有企业经营性房屋的小微企业和"
             "个体工商户，2026年减免3个月房屋租金。</p><p>符合条件的承租人向出租企业提出申请，"
             "出租企业应在10个工作日内办理减免。</p>"))
    for n, (title, number, body) in enumerate(_OTHER_DOCUMENTS):
        services.import_record(actor=None, record=dict(
            record, external_id=f"browser:other{n}", title=title, doc_number=number, body=body))
    interpretation, _ = services.import_interpretation(
        actor=None, org=office, title=INTERPRETATION_TITLE, kind="text", documents=[doc],
        body="<h2>一、出台背景</h2><p>小微企业和个体工商户是稳就业的重要力量。</p>"
             "<h2>二、减免对象和期限</h2><p>承租区属国有房屋的小微企业和个体工商户，"
             "减免3个月租金。</p>")
    return doc, interpretation
