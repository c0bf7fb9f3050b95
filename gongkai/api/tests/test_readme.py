"""The curl examples of README's Open API section work against the demo data, as an
integrator copying them would run them (``$TOKEN`` is a token with every scope)."""

import io
import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from gongkai.api import demo as api_demo
from gongkai.api import services
from gongkai.api.models import Scope
from gongkai.core import demo as core_demo
from gongkai.reports import demo as reports_demo

pytestmark = pytest.mark.django_db
README = Path(__file__).resolve().parents[3] / "README.md"


def _lines(block: str) -> list[list[str]]:
    """Each shell command of a block (continuations joined; a quoted string may span
    lines) as its words, comments dropped."""
    cmds, pending = [], ""
    for line in block.replace("\\\n", " ").splitlines():
        pending = f"{pending}\n{line}" if pending else line
        try:
            words = shlex.split(pending, comments=True)
        except ValueError:  # an open quote: the command goes on
            continue
        if words:
            cmds.append(words)
        pending = ""
    return cmds


def curl(client: Client, words: list[str], token: str):
    method, headers, data, url = "GET", {}, None, None
    it = iter(words[1:])
    for w in it:
        if w == "-X":
            method = next(it)
        elif w == "-H":
            name, _, value = next(it).partition(":")
            headers[name.strip()] = value.strip().replace("$TOKEN", token)
        elif w == "-d":
            data = next(it)
        elif w == "-o":
            next(it)
        elif w.startswith("http"):
            url = w
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    meta = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()
            if k.lower() != "content-type"}
    if method == "POST":
        return client.post(path, data=data.encode(), content_type=headers["Content-Type"],
                           **meta)
    return client.get(path, **meta)


def test_readme_curl_examples_answer_as_documented(district, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the example work order's photo
    core_demo.load_staff()
    reports_demo.load(stdout=io.StringIO(), quick=True)
    api_demo.load(stdout=io.StringIO())
    owner = get_user_model().objects.create_user("ops")
    _t, token = services.create_token(actor=None, name="README", owner=owner,
                                      scopes=list(Scope.values), rate_per_minute=1000)
    cmds = _lines_of_readme()
    curls = [c for c in cmds if c[0] == "curl" and not any("…" in w for w in c)]
    assert len(curls) >= 15
    client = Client()
    for words in curls:
        r = curl(client, words, token)
        assert r.status_code in (200, 201), (words, r.status_code, r.content[:300])
        if "-X" in words:
            assert r.status_code == 201 and r.json()["tracking_code"], words
    gongkai = [c for c in cmds if c[:3] == ["gongkai", "api", "token"] and "<prefix>" not in c]
    assert len(gongkai) == 2
    for words in gongkai:
        call_command(*words[1:], stdout=io.StringIO())


def _lines_of_readme() -> list[list[str]]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Open API", 1)[1].split("\n## ", 1)[0]
    cmds = []
    for block in re.findall(r"```sh\n(.*?)```", section, flags=re.S):
        cmds += _lines(block)
    return cmds
