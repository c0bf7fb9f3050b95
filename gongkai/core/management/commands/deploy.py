"""gongkai deploy nginx — print the nginx configuration of a deployment."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gongkai.core import nginx


class Command(BaseCommand):
    help = ("Print the nginx configuration: `deploy nginx --listen HOST:PORT --upstream "
            "HOST:PORT` for /etc/nginx/conf.d, with --standalone a complete file for "
            "`nginx -c FILE -p DIR` (no root; tests and benchmarks).")

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["nginx"])
        parser.add_argument("--listen", default="0.0.0.0:443",
                            help="address nginx listens on (default 0.0.0.0:443; "
                                 "standalone: 127.0.0.1:8080)")
        parser.add_argument("--upstream", default="127.0.0.1:8000",
                            help="gunicorn's address (default 127.0.0.1:8000)")
        parser.add_argument("--standalone", action="store_true")
        parser.add_argument("--server-name", default="_")
        parser.add_argument("--publish-dir", default=None,
                            help="default: GONGKAI_PUBLISH_DIR")
        parser.add_argument("--workers", default="auto",
                            help="standalone worker_processes (default auto)")
        parser.add_argument("-o", "--output", default=None, help="write to FILE")

    def handle(self, *args, **opts):
        listen = opts["listen"]
        if opts["standalone"] and listen == "0.0.0.0:443":
            listen = "127.0.0.1:8080"
        site = nginx.Site(
            listen=listen, upstream=opts["upstream"], server_name=opts["server_name"],
            publish_dir=Path(opts["publish_dir"] or settings.GONGKAI_PUBLISH_DIR).resolve(),
            static_root=Path(settings.STATIC_ROOT).resolve(),
            media_root=Path(settings.MEDIA_ROOT).resolve(),
            max_body_mb=settings.GONGKAI_MAX_UPLOAD_BYTES // (1024 * 1024) + 5,
        )
        try:
            text = nginx.render(site, standalone=opts["standalone"], workers=opts["workers"])
        except ValueError as exc:
            raise CommandError(str(exc))
        if opts["output"]:
            Path(opts["output"]).write_text(text)
            if opts["standalone"]:
                nginx.prepare_prefix(Path(opts["output"]).resolve().parent)
        else:
            self.stdout.write(text, ending="")
