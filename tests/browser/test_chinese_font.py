"""Chinese glyphs really render: without a CJK font every character is a box and nothing fails."""

import io
import subprocess

import pytest
from PIL import Image

pytestmark = pytest.mark.browser


def _colours(png: bytes) -> int:
    return len(Image.open(io.BytesIO(png)).convert("RGB").getcolors(maxcolors=1 << 24))


_FIRST_TWO_GLYPHS_JS = """
() => {
  const text = document.querySelector('main h1').firstChild;
  return [0, 1].map(i => {
    const range = document.createRange();
    range.setStart(text, i);
    range.setEnd(text, i + 1);
    const r = range.getBoundingClientRect();
    return {x: r.x, y: r.y, width: r.width, height: r.height};
  });
}
"""


def test_chinese_heading_renders_with_a_cjk_font(page):
    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True,
                           check=True).stdout
    assert fonts.strip(), "no font for Chinese: apt-get install fonts-noto-cjk"

    page.goto("/")
    heading = page.get_by_role("heading", level=1)
    assert "政府信息公开" in heading.inner_text()

    # Which font did Chromium actually draw the heading's glyphs with?
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "main h1"})["nodeId"]
    used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    families = {f["familyName"] for f in used}
    assert any(f in fonts for f in families), f"heading drawn with {families}, not a CJK font"

    # And the pixels: a heading is not a blank strip, and two different characters do not
    # come out as the same box (what a missing glyph looks like).
    assert _colours(heading.screenshot()) > 10
    first, second = (page.screenshot(clip=box) for box in page.evaluate(_FIRST_TWO_GLYPHS_JS))
    assert _colours(first) > 2
    assert first != second, "两个不同的汉字渲染成了相同的图形：缺少中文字体"
