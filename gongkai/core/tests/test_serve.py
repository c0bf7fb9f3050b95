"""`make run` is production minus TLS: gunicorn, DEBUG off, own error pages, hashed static."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from gongkai.core.management.commands.serve import gunicorn_argv

ROOT = Path(__file__).resolve().parents[3]


def test_gunicorn_listens_on_ipv4_and_ipv6():
    argv = gunicorn_argv(["127.0.0.1", "::1"], 8000, workers=3, threads=2, timeout=60)
    assert argv[1:4] == ["-m", "gunicorn", "gongkai.wsgi:application"]
    binds = [argv[i + 1] for i, a in enumerate(argv) if a == "--bind"]
    assert binds == ["127.0.0.1:8000", "[::1]:8000"]
    assert "--access-logfile" in argv
    # With JSON logs the app's per-request lines replace gunicorn's text access log.
    assert "--access-logfile" not in gunicorn_argv(["::1"], 8000, 1, 1, 60, access_log=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url, **headers):
    req = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_local_production_serves_like_production_without_tls(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "REDIS_URL",
                        "GONGKAI_FIELD_KEY", "DJANGO_SETTINGS_MODULE"}}
    env.update(GONGKAI_VAR_DIR=str(tmp_path), GONGKAI_ENV="local-production")
    cli = [sys.executable, "-m", "gongkai.cli"]
    subprocess.run([*cli, "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)
    port = _free_port()
    server = subprocess.Popen([*cli, "serve", "--port", str(port), "--workers", "1",
                               "--host", "127.0.0.1"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                status, _, home = _get(base + "/")
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise AssertionError("gunicorn did not answer")
        assert status == 200
        css = re.search(rb'href="(/static/gongkai/site\.[0-9a-f]{12}\.css)"', home)
        assert css, "static URLs carry a content hash"
        status, headers, _ = _get(base + css[1].decode(), **{"Accept-Encoding": "gzip"})
        assert status == 200 and headers.get("Content-Encoding") == "gzip"
        assert "immutable" in headers.get("Cache-Control", "")
        status, _, page = _get(base + "/no-such-page/")
        assert status == 404
        text = page.decode()
        assert "页面不存在" in text and "Traceback" not in text and "DEBUG" not in text
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=30)
    assert "gunicorn" in out.lower()
