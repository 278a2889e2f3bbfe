"""Synthetic people, what every business's feeds share: valid ID numbers, realistic names, birth dates, update
times. Each business makes its own people from these (``modules/<business>/sandbox/people.py``).

Everything is drawn from a ``random.Random`` the caller seeds, so the same seed gives the same people.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sbf_client.core.ids import id_number_check_char

from .names import full_name

# The generated world is "as of" this date; later changes come from mutations with the live clock.
DATA_AS_OF = date(2026, 10, 31)

# Real county-level codes (GB/T 2260), weighted towards a few big sources of migrant workers.
_AREAS = (
    "110105 120101 130102 140105 210102 220102 230103 310104 320102 320583 330106 330203 340104 "
    "350203 360102 370102 410105 420106 430102 430621 440103 440305 441900 450102 460105 500103 "
    "510104 511602 520102 530102 610113 620102 640104 650102 411302 412722 342201 362132"
).split()
_FOREIGN = (("04", "H"), ("05", "M"), ("06", "T"), ("08", "E"))


def _id_number(rng: random.Random, gender: str, born: date) -> str:
    order = rng.randrange(0, 500) * 2 + (1 if gender == "1" else 0)
    first17 = f"{rng.choice(_AREAS)}{born:%Y%m%d}{order:03d}"
    return first17 + id_number_check_char(first17)


def _birth(rng: random.Random, as_of: date, youngest: int, oldest: int) -> date:
    days = rng.randrange(youngest * 365 + 1, oldest * 365)
    return as_of - timedelta(days=days)


def timestamp(rng: random.Random, as_of: date) -> str:
    moment = datetime.combine(as_of, datetime.min.time()) - timedelta(seconds=rng.randrange(0, 2 * 365 * 86400))
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def identity(rng: random.Random, as_of: date, youngest: int, oldest: int, used: set[str]) -> dict[str, object]:
    gender = "1" if rng.random() < 0.52 else "2"
    born = _birth(rng, as_of, youngest, oldest)
    if rng.random() < 0.015:
        id_type, letter = rng.choice(_FOREIGN)
        id_number = f"{letter}{rng.randrange(10**7, 10**8)}"
    else:
        id_type = "01"
        id_number = _id_number(rng, gender, born)
        while id_number in used:
            id_number = _id_number(rng, gender, born)
    used.add(id_number)
    return {
        "name": full_name(rng, gender),
        "gender": gender,
        "id_type": id_type,
        "id_number": id_number,
        "birth_date": born.isoformat(),
    }
