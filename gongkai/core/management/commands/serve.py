"""gongkai serve — the development server on 127.0.0.1 and [::1] at once (IPv4 and IPv6)."""

import socket
import threading

from django.core.management.base import BaseCommand
from django.core.servers.basehttp import (
    WSGIRequestHandler,
    WSGIServer,
    get_internal_wsgi_application,
)


class IPv6Server(WSGIServer):
    address_family = socket.AF_INET6


class Command(BaseCommand):
    help = "Serve the site on http://127.0.0.1:PORT and http://[::1]:PORT (no autoreload)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, **opts):
        port = opts["port"]
        app = get_internal_wsgi_application()
        servers = []
        for cls, host in ((WSGIServer, "127.0.0.1"), (IPv6Server, "::1")):
            try:
                server = cls((host, port), WSGIRequestHandler, ipv6=cls is IPv6Server)
            except OSError as exc:
                self.stderr.write(f"cannot listen on [{host}]:{port}: {exc}")
                continue
            server.set_app(app)
            servers.append((host, server))
        if not servers:
            raise SystemExit(1)
        for host, server in servers:
            shown = f"[{host}]" if ":" in host else host
            self.stdout.write(f"serving on http://{shown}:{port}/")
            threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            for _, server in servers:
                server.shutdown()
