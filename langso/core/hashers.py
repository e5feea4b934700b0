"""Password hashing: Argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane).

Django's default, PBKDF2-SHA256 with 1,000,000 iterations, costs about 300 ms of CPU per
login on a 2-core commune server: a morning of officials logging in, or anyone posting the
login form, then takes the CPU from every other page (measured with bench/load_mix.py).
Argon2id is memory-hard, so a GPU gains far less against it, and at these parameters costs
about 25 ms. OWASP's Password Storage Cheat Sheet lists it as the first choice and this
configuration as its minimum, equivalent to PBKDF2-SHA256 at 600,000 iterations.

Existing PBKDF2 hashes (accounts made before this change) still verify, and Django re-hashes
them with Argon2id at the next successful login (PASSWORD_HASHERS order).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
