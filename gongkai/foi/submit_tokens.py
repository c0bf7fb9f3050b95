"""One application per rendered form: the submit token.

The form carries a signed random token. Submitting claims the token (a row with a unique
hash) in the same transaction that files the application, *before* anything else is
written, so a second POST of the same form — a double click, a browser retry after a
dropped response, a reload of the POST, two workers at the same moment — either waits on
the unique index and then finds the first application, or finds it straight away. Both
get the first application's receipt; nothing is filed twice and nothing is lost.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.core.models import Organization
from gongkai.foi import crypto, services
from gongkai.foi.models import SubmitToken

FIELD = "submit_token"
SALT = "gongkai.foi.submit-token"
# A form left open longer than this must be submitted again (nothing typed is lost: the
# form comes back filled in). Rows live a little longer than the signature, so a token
# that still verifies always finds its row.
MAX_AGE = dt.timedelta(hours=24)
KEEP = MAX_AGE + dt.timedelta(hours=1)


@dataclass(frozen=True)
class Receipt:
    pk: int
    number: str
    code: str

    def as_session(self) -> dict:
        return {"pk": self.pk, "number": self.number, "code": self.code}


def issue() -> str:
    """A fresh token for a rendered form."""
    return signing.TimestampSigner(salt=SALT).sign(secrets.token_urlsafe(18))


def _nonce(token: str) -> str | None:
    try:
        return signing.TimestampSigner(salt=SALT).unsign(
            token or "", max_age=MAX_AGE.total_seconds())
    except signing.BadSignature:  # also SignatureExpired
        return None


def is_valid(token: str) -> bool:
    return _nonce(token) is not None


def _hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def _receipt(row: SubmitToken) -> Receipt:
    app = row.application
    return Receipt(pk=app.pk, number=app.number, code=crypto.decrypt(row.code_encrypted))


def receipt_for(token: str) -> Receipt | None:
    """The receipt of the application already filed with ``token``, if any."""
    nonce = _nonce(token)
    if nonce is None:
        return None
    row = (SubmitToken.objects.select_related("application")
           .filter(token_hash=_hash(nonce), application__isnull=False).first())
    return _receipt(row) if row else None


def submit_once(*, token: str, data: dict, addressee: Organization, identity_proof=None
                ) -> Receipt:
    """File an online application for ``token`` once; a repeat returns the first receipt.

    Raises ValueError for a token that is not ours or has expired (the caller re-renders
    the form with a new one) and ValidationError from ``services.submit_online``.
    """
    nonce = _nonce(token)
    if nonce is None:
        raise ValueError("invalid or expired submit token")
    token_hash = _hash(nonce)
    try:
        with transaction.atomic():
            # Claimed first: a concurrent request with the same token blocks here (row lock
            # on PostgreSQL's unique index, the write lock on SQLite) until we commit, then
            # fails with IntegrityError and reads our row.
            row = SubmitToken.objects.create(token_hash=token_hash)
            app, code = services.submit_online(data=data, addressee=addressee,
                                               identity_proof=identity_proof)
            row.application = app
            row.code_encrypted = crypto.encrypt(code)
            row.save(update_fields=["application", "code_encrypted"])
            SubmitToken.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
    except IntegrityError:
        found = receipt_for(token)
        if found is None:
            raise
        return found
    return Receipt(pk=app.pk, number=app.number, code=code)
