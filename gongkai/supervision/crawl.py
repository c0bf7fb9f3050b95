"""A small, polite crawler over the portal: what it fetched, nothing judged (see checks.py).

Bounded (``max_pages`` HTML pages, ``max_links`` other link checks), rate-limited (``delay``
seconds between requests), honours robots.txt, and follows only the start host; links to
other hosts are checked only when ``external`` is on. Standard library only, so the crawler
runs wherever the platform runs.
"""

from __future__ import annotations

import datetime as dt
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from gongkai.supervision import attachments

USER_AGENT = "gongkai-inspector/1.0"  # header values must be latin-1
MAX_BODY = 10_000_000  # bytes read of any response; a longer attachment is not read
DATE_RE = re.compile(r"(20\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")


@dataclass
class Page:
    url: str
    status: int | None
    elapsed: float
    title: str = ""
    text: str = ""
    links: list[str] = field(default_factory=list)
    dates: list[dt.date] = field(default_factory=list)
    is_container: bool = False  # lists sub-columns: no dates of its own is not "blank"
    error: str = ""
    link_texts: dict[str, str] = field(default_factory=dict)  # absolute link → its words


@dataclass
class Attachment:
    """A file linked from the pages (PDF, DOCX, XLSX, text), with the text read from it."""
    url: str
    kind: str
    size: int
    text: str = ""
    error: str = ""  # could not be read: damaged, too big, too slow


@dataclass
class CrawlResult:
    base_url: str
    pages: dict[str, Page] = field(default_factory=dict)
    links: dict[str, tuple[int | None, str]] = field(default_factory=dict)  # url → status
    sources: dict[str, list[str]] = field(default_factory=dict)  # link → pages linking it
    skipped_robots: list[str] = field(default_factory=list)
    attachments: dict[str, Attachment] = field(default_factory=dict)
    skipped_attachments: list[str] = field(default_factory=list)  # over max_attachments

    def attachment_name(self, url: str) -> str:
        """What the pages call the file (the link's words), else its address's last part."""
        for source in self.sources.get(url, []):
            page = self.pages.get(source)
            words = page.link_texts.get(url, "").strip() if page else ""
            if words:
                return words[:120]
        return attachments.filename_of("", url)


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.title = ""
        self.h1 = ""
        self._in: list[str] = []
        self.parts: list[str] = []
        self.container = False
        self.link_texts: dict[str, str] = {}
        self._href: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style", "title", "h1"):
            self._in.append(tag)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
            self._href = a["href"]
            self.link_texts.setdefault(self._href, "")
        if tag == "ul" and "subnodes" in (a.get("class") or "").split():
            self.container = True

    def handle_endtag(self, tag):
        if tag == "a":
            self._href = None
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        where = self._in[-1] if self._in else ""
        if where in ("script", "style"):
            return
        if where == "title":
            self.title += data
        elif where == "h1":
            self.h1 += data
        if self._href is not None:
            self.link_texts[self._href] = (self.link_texts[self._href] + data)[:200]
        self.parts.append(data)


def parse_dates(text: str) -> list[dt.date]:
    out = []
    for y, m, d in DATE_RE.findall(text):
        try:
            out.append(dt.date(int(y), int(m), int(d)))
        except ValueError:
            continue
    return out


def _fetch(url: str, timeout: float, method: str = "GET") -> tuple[int | None, bytes, str, str]:
    """(status, body, content type, error)."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        return None, b"", "", "不支持的地址"
    req = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})  # noqa: S310
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - checked above
            body = resp.read(MAX_BODY + 1) if method == "GET" else b""
            return resp.status, body, resp.headers.get("Content-Type", ""), ""
    except urllib.error.HTTPError as exc:
        return exc.code, b"", "", str(exc.reason)
    except (urllib.error.URLError, TimeoutError, ConnectionError, ValueError) as exc:
        return None, b"", "", str(getattr(exc, "reason", exc))[:200]


Fetch = Callable[[str, float, str], tuple[int | None, bytes, str, str]]


def _robots(base: str, timeout: float, fetch: Fetch) -> urllib.robotparser.RobotFileParser:
    rp = urllib.robotparser.RobotFileParser()
    status, body, _, _ = fetch(urllib.parse.urljoin(base, "/robots.txt"), timeout, "GET")
    if status == 200:
        rp.parse(body.decode("utf-8", "replace").splitlines())
    else:
        rp.parse([])  # no robots.txt: everything allowed
    return rp


def crawl(base_url: str, *, max_pages: int = 200, max_links: int = 500, delay: float = 0.2,
          timeout: float = 20.0, external: bool = False, follow: tuple[str, ...] = (),
          fetch: Fetch = _fetch, max_attachments: int = 100,
          attachment_timeout: float = 20.0,
          extract: Callable[..., tuple[str, str]] = attachments.extract) -> CrawlResult:
    """Crawl from ``base_url``. ``follow``: path prefixes whose pages are parsed and
    followed (default every page of the host); other links are only checked. Files among
    the links (PDF, DOCX, XLSX, text; at most ``max_attachments``) are read for the
    personal-data check, each within ``attachment_timeout`` seconds."""
    base = base_url if base_url.endswith("/") else base_url + "/"
    host = urllib.parse.urlsplit(base).netloc
    result = CrawlResult(base)
    robots = _robots(base, timeout, fetch)
    queue, seen = [base], {base}
    pending_links: list[str] = []
    requests = 0

    def take_attachment(link: str, body: bytes, ctype: str) -> None:
        kind = attachments.kind_of(ctype, attachments.filename_of("", link), body[:8192])
        if kind is None or link in result.attachments:
            return
        if len(result.attachments) >= max_attachments:
            result.skipped_attachments.append(link)
            return
        if len(body) > MAX_BODY:
            result.attachments[link] = Attachment(
                link, kind, len(body), error=f"超过 {MAX_BODY // 1_000_000} MB，未读取")
            return
        text, error = extract(body, kind, timeout=attachment_timeout)
        result.attachments[link] = Attachment(link, kind, len(body), text=text, error=error)

    def polite():
        nonlocal requests
        if requests and delay:
            time.sleep(delay)
        requests += 1

    while queue and len(result.pages) < max_pages:
        url = queue.pop(0)
        if not robots.can_fetch(USER_AGENT, url):
            result.skipped_robots.append(url)
            continue
        polite()
        start = time.monotonic()
        status, body, ctype, error = fetch(url, timeout, "GET")
        elapsed = time.monotonic() - start
        result.links[url] = (status, error)
        if status != 200 or "html" not in ctype:
            if status == 200:  # a file reached by a link: read, not followed
                take_attachment(url, body, ctype)
                continue
            result.pages[url] = Page(url, status, elapsed, error=error)
            continue
        parser = _Parser()
        try:
            parser.feed(body.decode("utf-8", "replace"))
        except Exception as exc:
            result.pages[url] = Page(url, status, elapsed, error=f"无法解析：{exc}"[:200])
            continue
        text = re.sub(r"\s+", " ", " ".join(parser.parts)).strip()
        page = Page(url, status, elapsed, title=(parser.h1 or parser.title).strip(), text=text,
                    dates=parse_dates(text), is_container=parser.container)
        for href in parser.links:
            if href.startswith(("mailto:", "tel:", "javascript:", "#")):
                continue
            absolute = urllib.parse.urldefrag(urllib.parse.urljoin(url, href))[0]
            if urllib.parse.urlsplit(absolute).scheme not in ("http", "https"):
                continue
            page.links.append(absolute)
            if parser.link_texts.get(href, "").strip():
                page.link_texts.setdefault(absolute, re.sub(r"\s+", " ", parser.link_texts[href]
                                                            ).strip())
            result.sources.setdefault(absolute, [])
            if url not in result.sources[absolute]:
                result.sources[absolute].append(url)
            if absolute in seen:
                continue
            seen.add(absolute)
            same_host = urllib.parse.urlsplit(absolute).netloc == host
            path = urllib.parse.urlsplit(absolute).path
            if same_host and _looks_like_page(absolute) and (
                    not follow or path.startswith(tuple(follow))):
                queue.append(absolute)
            elif same_host or external:
                pending_links.append(absolute)
        result.pages[url] = page
    # Pages beyond the page budget are still checked as links (and read, if files).
    pending_links = [u for u in queue if u not in result.links] + pending_links
    for link in pending_links[:max_links]:
        if urllib.parse.urlsplit(link).netloc == host and not robots.can_fetch(USER_AGENT, link):
            continue
        polite()
        status, body, ctype, error = fetch(link, timeout, "GET")
        result.links[link] = (status, error)
        if status == 200 and "html" not in ctype:
            take_attachment(link, body, ctype)
    return result


def _looks_like_page(url: str) -> bool:
    path = urllib.parse.urlsplit(url).path
    last = path.rsplit("/", 1)[-1]
    return "." not in last  # /xxgk/fj/3/ is checked but not parsed if it is a file


def ipv6_reachable(host: str, port: int = 443, timeout: float = 10.0) -> tuple[bool, str]:
    """Whether ``host`` has an AAAA record that accepts a TCP connection."""
    try:
        infos = socket.getaddrinfo(host, port, socket.AF_INET6, socket.SOCK_STREAM)
    except socket.gaierror as exc:
        return False, f"无 IPv6 地址（{exc.strerror}）"
    for family, kind, proto, _, addr in infos:
        try:
            with socket.socket(family, kind, proto) as s:
                s.settimeout(timeout)
                s.connect(addr)
                return True, str(addr[0])
        except OSError as exc:
            last = str(exc)
    return False, f"IPv6 地址无法连接（{last}）"
