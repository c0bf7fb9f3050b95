"""gongkai serve — the production server (gunicorn) on 127.0.0.1 and [::1] at once.

`make run` starts it with GONGKAI_ENV=local-production (production minus TLS). Static files
are collected first, so the hashed, compressed copies WhiteNoise serves are always current.
`gongkai runserver` stays the development server (DEBUG, autoreload).
"""

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def gunicorn_argv(hosts: list[str], port: int, workers: int, threads: int,
                  timeout: int, access_log: bool = True) -> list[str]:
    """The gunicorn command line: every host bound, logs to stdout/stderr for journald."""
    argv = [sys.executable, "-m", "gunicorn", "gongkai.wsgi:application",
            "--workers", str(workers), "--threads", str(threads), "--timeout", str(timeout),
            "--graceful-timeout", "20", "--max-requests", "2000",
            "--max-requests-jitter", "200", "--error-logfile", "-",
            # No runtime control socket in $HOME: unused, and two instances would share it.
            "--no-control-socket",
            "--forwarded-allow-ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")]
    if access_log:
        argv += ["--access-logfile", "-"]
    for host in hosts:
        argv += ["--bind", f"[{host}]:{port}" if ":" in host else f"{host}:{port}"]
    return argv


class Command(BaseCommand):
    help = "Serve the site with gunicorn on http://127.0.0.1:PORT and http://[::1]:PORT."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", action="append", dest="hosts",
                            help="address to listen on (repeatable; default 127.0.0.1 and ::1)")
        parser.add_argument("--workers", type=int,
                            default=int(os.environ.get("GONGKAI_WORKERS", "3")))
        parser.add_argument("--threads", type=int,
                            default=int(os.environ.get("GONGKAI_THREADS", "2")))
        parser.add_argument("--timeout", type=int, default=60)
        parser.add_argument("--no-collectstatic", action="store_true")

    def handle(self, *args, **opts):
        if opts["workers"] < 1 or opts["threads"] < 1 or not 0 < opts["port"] < 65536:
            raise CommandError("--workers and --threads must be at least 1, --port 1-65535")
        if not opts["no_collectstatic"] and not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        hosts = opts["hosts"] or ["127.0.0.1", "::1"]
        for host in hosts:
            shown = f"[{host}]" if ":" in host else host
            self.stdout.write(f"serving on http://{shown}:{opts['port']}/ "
                              f"(gunicorn, GONGKAI_ENV={settings.GONGKAI_ENV})")
        self.stdout.flush()
        # JSON logs: the app logs each request (with its id and timing) instead of gunicorn's
        # text access log, so a collector gets one format.
        json_logs = settings.GONGKAI_LOG_FORMAT == "json"
        if json_logs:
            os.environ.setdefault("GONGKAI_ACCESS_LOG", "true")
        argv = gunicorn_argv(hosts, opts["port"], opts["workers"], opts["threads"],
                             opts["timeout"], access_log=not json_logs)
        # gunicorn takes over this process (signals, exit status); argv is ours, no shell.
        os.execv(argv[0], argv)  # noqa: S606
