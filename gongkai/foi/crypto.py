"""Field encryption for identity numbers and keyed hashes for lookups and tracking codes.

The key is ``settings.GONGKAI_FIELD_KEY`` (a Fernet key, or any secret string) when set,
else derived from SECRET_KEY with HKDF. Rotating SECRET_KEY without setting
GONGKAI_FIELD_KEY makes stored identity numbers unreadable: set it in production.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _derive(secret: str, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"gongkai-foi",
                info=info).derive(secret.encode())


@lru_cache(maxsize=4)
def _keys(secret: str) -> tuple[Fernet, bytes]:
    return (Fernet(base64.urlsafe_b64encode(_derive(secret, b"field-encryption"))),
            _derive(secret, b"lookup-hmac"))


def _secret() -> str:
    return getattr(settings, "GONGKAI_FIELD_KEY", None) or settings.SECRET_KEY


def normalise(value: str) -> str:
    return "".join((value or "").split()).upper()


def encrypt(value: str) -> str:
    if not value:
        return ""
    return _keys(_secret())[0].encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _keys(_secret())[0].decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def lookup_hash(value: str) -> str:
    """A keyed hash of an identity number or credit code, equal for equal numbers."""
    if not value:
        return ""
    return hmac.new(_keys(_secret())[1], normalise(value).encode(), hashlib.sha256).hexdigest()


def new_tracking_code() -> str:
    raw = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def tracking_hash(code: str) -> str:
    clean = normalise(code).replace("-", "")
    return hmac.new(_keys(_secret())[1], b"track:" + clean.encode(), hashlib.sha256).hexdigest()
