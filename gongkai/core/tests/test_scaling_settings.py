"""Settings and commands for running on more than one machine (issue #16 points 3 and 6)."""

import subprocess
import sys

import pytest

from gongkai.core import nginx

from .test_settings_and_cli import GONGKAI, run


@pytest.mark.parametrize(("env", "named"), [
    ({"DATABASE_REPLICA_URLS": "postgres://postgres@127.0.0.1:5433/x"}, "DATABASE_REPLICA_URLS"),
    ({"DATABASE_URL": "postgres://postgres@127.0.0.1/x",
      "DATABASE_REPLICA_URLS": "sqlite:///r.db"}, "DATABASE_REPLICA_URLS"),
    ({"GONGKAI_MEDIA_STORAGE": "nfs"}, "GONGKAI_MEDIA_STORAGE"),
    ({"GONGKAI_MEDIA_STORAGE": "s3"}, "GONGKAI_S3_BUCKET"),
    ({"GONGKAI_MEDIA_STORAGE": "s3", "GONGKAI_S3_BUCKET": "b", "GONGKAI_MEDIA_ACCEL": "true"},
     "GONGKAI_MEDIA_ACCEL"),
    ({"GONGKAI_REPLICA_PIN_SECONDS": "0"}, "GONGKAI_REPLICA_PIN_SECONDS"),
])
def test_a_wrong_scaling_setting_stops_start_up_naming_it(env, named, tmp_path):
    result = run([*GONGKAI, "check"], env, tmp_path)
    assert result.returncode != 0 and named in result.stderr
    assert "Traceback" not in result.stderr


def test_replicas_and_object_storage_are_configured_from_the_environment(tmp_path):
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.GONGKAI_DB_REPLICAS, s.DATABASES['replica2']['PORT'], "
            "s.STORAGES['default']['BACKEND'], s.STORAGES['default']['OPTIONS']['bucket_name'])")
    result = run([sys.executable, "-c", code], {
        "DJANGO_SETTINGS_MODULE": "gongkai.settings",
        "DATABASE_URL": "postgres://postgres@10.0.0.1:5432/gongkai",
        "DATABASE_REPLICA_URLS": "postgres://postgres@10.0.0.2:5432/gongkai, "
                                 "postgres://postgres@10.0.0.3:5433/gongkai",
        "GONGKAI_MEDIA_STORAGE": "s3", "GONGKAI_S3_BUCKET": "huaiyin-media"}, tmp_path)
    assert result.stdout.split() == ["['replica',", "'replica2']", "5433",
                                     "storages.backends.s3.S3Storage", "huaiyin-media"], (
        result.stderr)


def test_server_side_binding_is_off_unless_asked_and_then_on_every_postgresql_alias(tmp_path):
    """GONGKAI_DB_SERVER_SIDE_BINDING: psycopg's server-side binding and prepared statements
    (off by default: poolers in transaction mode may not support prepared statements)."""
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print([s.DATABASES[a].get('OPTIONS', {}) for a in ('default', 'replica')])")
    env = {"DJANGO_SETTINGS_MODULE": "gongkai.settings",
           "DATABASE_URL": "postgres://postgres@10.0.0.1:5432/gongkai",
           "DATABASE_REPLICA_URLS": "postgres://postgres@10.0.0.2:5432/gongkai"}
    result = run([sys.executable, "-c", code], env, tmp_path)
    assert result.stdout.strip() == "[{}, {}]", result.stderr
    result = run([sys.executable, "-c", code], {**env, "GONGKAI_DB_SERVER_SIDE_BINDING": "on"},
                 tmp_path)
    on = "{'server_side_binding': True, 'prepare_threshold': 5}"
    assert result.stdout.strip() == f"[{on}, {on}]", result.stderr
    bad = run([*GONGKAI, "check"], {"GONGKAI_DB_SERVER_SIDE_BINDING": "maybe"}, tmp_path)
    assert bad.returncode != 0 and "GONGKAI_DB_SERVER_SIDE_BINDING" in bad.stderr


def test_deploy_nginx_prints_a_production_front(tmp_path):
    result = run([*GONGKAI, "deploy", "nginx", "--listen", "0.0.0.0:443", "--upstream",
                  "127.0.0.1:8000"], {}, tmp_path)
    conf = result.stdout
    assert result.returncode == 0, result.stderr
    for line in ("listen 0.0.0.0:443 ssl http2;", "ssl_certificate ",
                 "proxy_set_header X-Forwarded-For $remote_addr;",
                 "proxy_set_header X-Forwarded-Proto $scheme;", "client_max_body_size 25m;",
                 "gzip on;", "limit_req zone=gongkai_search", "return 301 https://",
                 f"root {tmp_path / 'publish'};", "Strict-Transport-Security",
                 "location /_protected_media/ {\n        internal;"):
        assert line in conf, line
    bad = run([*GONGKAI, "deploy", "nginx", "--upstream", "8000"], {}, tmp_path)
    assert bad.returncode != 0 and "HOST:PORT" in bad.stderr


def test_standalone_configuration_is_accepted_by_nginx(tmp_path):
    conf = tmp_path / "front" / "nginx.conf"
    conf.parent.mkdir()
    result = run([*GONGKAI, "deploy", "nginx", "--standalone", "--listen", "127.0.0.1:18099",
                  "-o", str(conf)], {}, tmp_path)
    assert result.returncode == 0, result.stderr
    check = subprocess.run([nginx.binary(), "-t", "-c", str(conf), "-p", f"{conf.parent}/"],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    assert "ssl" not in conf.read_text() and "daemon off;" in conf.read_text()


def _self_signed(directory):
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "gongkai.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1).not_valid_before(now)
            .not_valid_after(now + dt.timedelta(days=1)).sign(key, hashes.SHA256()))
    (directory / "fullchain.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (directory / "privkey.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))


def test_production_configuration_is_accepted_by_nginx(tmp_path):
    """The TLS/HTTP2 server as printed, with a real certificate in place of the placeholder,
    inside the http block of a minimal nginx.conf."""
    result = run([*GONGKAI, "deploy", "nginx", "--listen", "127.0.0.1:18443"], {}, tmp_path)
    assert result.returncode == 0, result.stderr
    _self_signed(tmp_path)
    server = (result.stdout.replace("/etc/ssl/gongkai", str(tmp_path))
              .replace("listen 80;", "listen 127.0.0.1:18081;")
              .replace("listen [::]:80;", ""))
    conf = tmp_path / "nginx.conf"
    conf.write_text("pid nginx.pid;\nerror_log stderr;\nevents {}\nhttp {\n"
                    + server + "\n}\n")
    check = subprocess.run([nginx.binary(), "-t", "-c", str(conf), "-p", f"{tmp_path}/"],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
