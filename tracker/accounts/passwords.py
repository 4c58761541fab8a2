"""Password rules and hashing (argon2id, via argon2-cffi)."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from tracker.core.errors import ValidationError

MIN_LENGTH = 12
MAX_LENGTH = 256
# argon2-cffi's defaults are RFC 9106's low-memory profile of argon2id (3 passes, 64 MiB).
_hasher = PasswordHasher()
# zxcvbn's list of the 30,000 most common passwords, lower-cased; shipped with the package.
_COMMON = frozenset(FREQUENCY_LISTS["passwords"])
# A hash of a random password: verified against when an address is unknown, so that answering
# takes as long for an unknown address as for a wrong password.
_DUMMY_HASH = _hasher.hash("niet-bestaand-account-5c1f0e")


def check_password_rules(password: str, *personal: str) -> None:
    """:raise ValidationError: a password too short, too long, common, or made of the person's own name.

    The password is checked exactly as typed: no trimming, no case folding, no truncation.
    """
    if len(password) < MIN_LENGTH:
        raise ValidationError(f"Het wachtwoord is te kort ({len(password)} tekens); kies er een van minstens "
                              f"{MIN_LENGTH} tekens, bijvoorbeeld een zin van enkele woorden.", "password")
    if len(password) > MAX_LENGTH:
        raise ValidationError(f"Het wachtwoord is te lang ({len(password)} tekens); hoogstens {MAX_LENGTH}.",
                              "password")
    folded = password.casefold()
    stripped = folded.rstrip("0123456789!?.")
    if folded in _COMMON or stripped in _COMMON or len(set(folded)) < 4:
        raise ValidationError("Dit wachtwoord komt voor in lijsten van veelgebruikte wachtwoorden en is "
                              "makkelijk te raden; kies een ander, bijvoorbeeld een zin van enkele woorden.",
                              "password")
    for word in personal:
        word = (word or "").casefold().split("@")[0]
        if len(word) >= 4 and word in folded and len(folded) - len(word) < MIN_LENGTH:
            raise ValidationError("Het wachtwoord bestaat grotendeels uit uw naam of e-mailadres; kies een ander.",
                                  "password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; an account without a hash never matches (and costs the same time)."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
