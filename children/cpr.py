"""CPR numbers: validation, encryption at rest, keyed lookup hash and masking.

A CPR number is never stored in clear text. `encrypt` uses Fernet (AES-128-CBC
+ HMAC-SHA256) from `cryptography` with the first key in CPR_ENCRYPTION_KEYS;
older keys in the list still decrypt, which is what key rotation needs
(`manage.py reencrypt_cpr` re-encrypts with the current key; docs/security.md). Lookups go
through an HMAC-SHA256 of the digits with CPR_HASH_KEY, so "search by full
CPR" works without decrypting every row and without an unkeyed hash that could
be brute-forced from the small CPR space.
"""

import datetime
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.dk import cpr as stdnum_cpr
from stdnum.exceptions import ValidationError as StdnumError


def normalize(value: str) -> str:
    return stdnum_cpr.compact(value or "")


def validate(value: str) -> str:
    """Return the ten digits of a valid CPR number or raise a Danish ValidationError.

    The message never repeats the number itself: error messages end up in logs.
    """
    digits = normalize(value)
    if not digits.isdigit() or len(digits) != 10:
        raise ValidationError(_("Et CPR-nummer består af 10 cifre, f.eks. 010118-1234."))
    try:
        stdnum_cpr.validate(digits)
    except StdnumError:
        raise ValidationError(
            _("CPR-nummeret indeholder ikke en gyldig fødselsdato, eller datoen er i fremtiden.")
        ) from None
    return digits


def birth_date(digits: str) -> datetime.date:
    return stdnum_cpr.get_birth_date(digits)


def mask(birth: datetime.date) -> str:
    return birth.strftime("%d%m%y") + "-xxxx"


def formatted(digits: str) -> str:
    return f"{digits[:6]}-{digits[6:]}"


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(digits: str) -> str:
    return _fernet(tuple(settings.CPR_ENCRYPTION_KEYS)).encrypt(digits.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(tuple(settings.CPR_ENCRYPTION_KEYS)).decrypt(token.encode()).decode()
    except InvalidToken:
        raise ValueError("CPR ciphertext does not decrypt with any configured key") from None


def rotate(token: str) -> str:
    """Re-encrypt a token with the current (first) key."""
    try:
        return _fernet(tuple(settings.CPR_ENCRYPTION_KEYS)).rotate(token.encode()).decode()
    except InvalidToken:
        raise ValueError("CPR ciphertext does not decrypt with any configured key") from None


def is_current(token: str) -> bool:
    """Whether the token is encrypted with the current (first) key already."""
    try:
        _fernet(tuple(settings.CPR_ENCRYPTION_KEYS[:1])).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def lookup_hash(digits: str) -> str:
    key = settings.CPR_HASH_KEY.encode()
    return hmac.new(key, digits.encode(), hashlib.sha256).hexdigest()
