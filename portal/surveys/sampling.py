"""The draw itself, apart from the database: how many, and which, from a seed anyone holding the
seed can repeat. The candidates are sorted before shuffling, so the order the database returned
them in does not matter."""

import hashlib
import math
import random


def sample_count(population: int, *, size: int, rate: int) -> int:
    """`rate` per cent of `population` (rounded up, at least one when there is anyone), at most
    `size`."""
    if population <= 0:
        return 0
    return min(size, population, max(1, math.ceil(population * rate / 100)))


def draw_seed(secret: str, *, year: int, month: int, organisation_code: str) -> str:
    return f"{secret}:{year:04d}-{month:02d}:{organisation_code}"


def draw(candidates: list[str], count: int, seed: str) -> list[str]:
    """`count` of `candidates` (distinct strings), the same for the same seed and set."""
    digest = hashlib.sha256(seed.encode()).digest()
    rng = random.Random(int.from_bytes(digest, "big"))  # noqa: S311 - reproducible sample, not a secret
    pool = sorted(set(candidates))
    return sorted(rng.sample(pool, min(count, len(pool))))
