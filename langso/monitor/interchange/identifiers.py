"""DHIS2 identifiers for our objects.

A DHIS2 UID is 11 characters: a letter, then 10 letters or digits. Ours are derived from
the object's code (SHA-256 of "<kind>:<code>", written in that alphabet), so the same code
gets the same UID on every installation, and stored in `Dhis2Identifier` the first time
they are handed out, so that a UID coming back in an import resolves with one lookup and
never changes even if the derivation did. Two codes deriving the same UID (odds about
1 in 10^17 per pair) are told apart by a salt: the second gets the next derivation.

DHIS2's built-in "default" category model has fixed UIDs in every instance (since 2.27);
our data elements use it, as DHIS2 expects of data without disaggregation.
"""

import hashlib
import re
import string
from collections.abc import Iterable

from django.db import transaction

from ..models import Dhis2Identifier

UID_PATTERN = re.compile(r"\A[A-Za-z][A-Za-z0-9]{10}\Z")
_LETTERS = string.ascii_letters
_ALPHANUMERIC = string.ascii_letters + string.digits

ORG_UNIT = "organisationUnit"
ORG_UNIT_LEVEL = "organisationUnitLevel"
DATA_ELEMENT = "dataElement"
DATA_SET = "dataSet"

DEFAULT_CATEGORY_COMBO = "bjDvmb4bfuf"
DEFAULT_CATEGORY = "GLevLNI9wkl"
DEFAULT_CATEGORY_OPTION = "xYerKDKCefk"
DEFAULT_CATEGORY_OPTION_COMBO = "HllvX50cXC0"
DEFAULT_NAMES = ("default",)


def is_uid(text: str) -> bool:
    return bool(UID_PATTERN.match(text or ""))


def derive_uid(kind: str, key: str, salt: int = 0) -> str:
    seed = f"{kind}:{key}" + (f"#{salt}" if salt else "")
    number = int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest(), "big")
    number, first = divmod(number, len(_LETTERS))
    chars = [_LETTERS[first]]
    for _position in range(10):
        number, digit = divmod(number, len(_ALPHANUMERIC))
        chars.append(_ALPHANUMERIC[digit])
    return "".join(chars)


@transaction.atomic
def assign_uids(kind: str, keys: Iterable[str]) -> dict[str, str]:
    """The UID of each key, handing out (and storing) those not handed out yet."""
    keys = list(dict.fromkeys(keys))
    known = dict(Dhis2Identifier.objects.filter(kind=kind, key__in=keys).values_list("key", "uid"))
    missing = [k for k in keys if k not in known]
    if missing:
        wanted = {k: derive_uid(kind, k) for k in missing}
        taken = set(
            Dhis2Identifier.objects.filter(uid__in=wanted.values()).values_list("uid", flat=True)
        )
        rows = []
        for key, uid in wanted.items():
            salt = 0
            while uid in taken:
                salt += 1
                uid = derive_uid(kind, key, salt)
            taken.add(uid)
            rows.append(Dhis2Identifier(kind=kind, key=key, uid=uid))
        # A concurrent export may have stored the same rows: theirs win, re-read below.
        Dhis2Identifier.objects.bulk_create(rows, ignore_conflicts=True)
        known.update(
            Dhis2Identifier.objects.filter(kind=kind, key__in=missing).values_list("key", "uid")
        )
    return known


def keys_for_uids(kind: str, uids: Iterable[str]) -> dict[str, str]:
    """uid -> key for the UIDs handed out for `kind`."""
    return dict(
        Dhis2Identifier.objects.filter(kind=kind, uid__in=set(uids)).values_list("uid", "key")
    )
