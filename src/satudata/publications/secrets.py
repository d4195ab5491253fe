"""Channel credentials at rest: sealed with Fernet, the key derived from CREDENTIALS_KEY.

A channel's credentials (an application password, a page token) are a small dict of strings,
sealed as one token in `Channel.credentials`. They are opened only by the posting job, right
before the call to the network, and never shown again on any page.
"""

from __future__ import annotations

import base64
import json
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.utils.translation import gettext as _

from satudata.core.errors import DomainError


@lru_cache(maxsize=4)
def _fernet(secret: str) -> Fernet:
    # HKDF turns any configured string (by default the SECRET_KEY) into a 32-byte Fernet key;
    # the `info` label keeps this key apart from any other use of the same secret.
    key = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"satudata",
        info=b"publications.channel.credentials",
    ).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def credentials_seal(values: dict[str, str]) -> str:
    """The encrypted token for a channel's credentials (empty for none)."""
    if not values:
        return ""
    plain = json.dumps(values, sort_keys=True).encode()
    return _fernet(settings.CREDENTIALS_KEY).encrypt(plain).decode()


def credentials_open(token: str) -> dict[str, str]:
    """The credentials sealed in `token`; a token from another key is refused with a message."""
    if not token:
        return {}
    try:
        plain = _fernet(settings.CREDENTIALS_KEY).decrypt(token.encode())
    except InvalidToken:
        raise DomainError(
            _(
                "The saved credentials of this channel cannot be read (the server's key has "
                "changed). Enter them again on the channel's page."
            )
        ) from None
    values = json.loads(plain)
    return {str(k): str(v) for k, v in values.items()}


def scrub(text: str, values: dict[str, str]) -> str:
    """`text` with every secret value masked: error messages and logs never carry them."""
    for value in values.values():
        if value and len(value) >= 4:
            text = text.replace(value, "•••")
    return text
