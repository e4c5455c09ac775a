"""Password hashing: Argon2id with parameters chosen for a government site on small servers.

Django's defaults (time_cost 2, memory 100 MiB, parallelism 8) take about 0.4 s of two cores per log-in,
so 30 clerks logging in at nine o'clock queue for seconds. Duban uses OWASP's first recommended setting
for Argon2id — 19 MiB of memory, 2 iterations, 1 lane — about 40–80 ms a log-in on those servers
(BENCHMARKS.md, "Log-in"). The algorithm name stays "argon2", so hashes made with other parameters
still verify and are rehashed with these at the user's next log-in (Django's `must_update`).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher as DjangoArgon2PasswordHasher


class Argon2PasswordHasher(DjangoArgon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
