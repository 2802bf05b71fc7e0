"""Password hashing (Argon2id) and the list of passwords too common to allow."""
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 8
MAX_LENGTH = 256

_hasher = PasswordHasher()
# Verified against when the account does not exist, so that both cases take the same time.
_DUMMY_HASH = _hasher.hash("stemme-no-such-account")

# Common Norwegian choices that the international list below does not have.
_NORWEGIAN = """
passord passord1 passord123 passord12 passordet hemmelig hemmeleg sommer2024 sommer2025 sommer2026
vinter2025 vinter2026 fotball1 fotball123 norge123 norge2025 qwertyuiopå 12345678910 asdfghjkl
brannmann jegelskerdeg egelskardeg heiheihei hallo123 velkommen velkommen1 stemme123 stemme2026
demo-passord abc12345 kjæreste eplekake1 sjokolade
""".split()


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords from zxcvbn's list, plus Norwegian favourites."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"]) | frozenset(_NORWEGIAN)


def is_common(password: str) -> bool:
    return password.lower() in common_passwords()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True if `password` matches; does the same work when there is no hash to check."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
