"""Plausible numbers for the demo's items: a magnitude per unit, a trend, regional variation.

Nothing here touches the database: `ValueModel` turns an item's unit and name into a profile
(its regency figure of a year, whether it adds up over regions and periods, its decimals) and
then gives a value for each cell of a period. Every draw comes from a random.Random seeded
with a string, so the same seed gives the same numbers on every machine.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from decimal import Decimal

# unit -> (low, high, additive, flow, decimals, yearly growth low, high)
# low/high bound a year's regency figure: the total of a count, the level of a ratio.
# A flow (visits, cases, rupiah received) is split over the periods of a year; a stock
# (people, schools, hectares) is not.
_Spec = tuple[float, float, bool, bool, int, float, float]
_COUNT: _Spec = (40, 5_000, True, True, 0, -0.02, 0.06)
UNITS: dict[str, _Spec] = {
    "persen": (55, 95, False, False, 2, 0.002, 0.02),
    "indeks": (58, 82, False, False, 2, 0.002, 0.015),
    "jiwa": (2_450_000, 2_650_000, True, False, 0, 0.004, 0.009),
    "orang": (1_500, 60_000, True, False, 0, -0.02, 0.05),
    "unit": (40, 3_500, True, False, 0, 0.0, 0.04),
    "rupiah": (4e9, 6e11, True, True, 0, 0.03, 0.09),
    "miliar rupiah": (400, 4_500, True, True, 2, 0.03, 0.08),
    "rupiah/kg": (9_000, 60_000, False, False, 0, 0.02, 0.05),
    "US$": (3e6, 9e7, True, True, 0, -0.03, 0.08),
    "ton": (3_000, 900_000, True, True, 2, -0.01, 0.03),
    "ton/hari": (850, 1_200, True, False, 2, 0.01, 0.03),
    "hektare": (2_000, 160_000, True, False, 2, -0.01, 0.01),
    "km": (1_800, 4_200, True, False, 2, 0.0, 0.01),
    "km²": (3_293.34, 3_293.34, True, False, 2, 0.0, 0.0),
    "kunjungan": (150_000, 1_500_000, True, True, 0, 0.02, 0.07),
    "pasien": (15_000, 150_000, True, True, 0, 0.01, 0.05),
    "penumpang": (40_000, 600_000, True, True, 0, 0.03, 0.12),
    "kasus": (30, 3_000, True, True, 0, -0.05, 0.04),
    "kejadian": (20, 2_000, True, True, 0, -0.05, 0.05),
    "hari": (3.2, 5.8, False, False, 2, -0.02, 0.0),
    "menit": (12, 25, False, False, 1, -0.04, 0.0),
    "rasio": (12, 22, False, False, 2, -0.01, 0.01),
    "per 100.000 kelahiran hidup": (90, 180, False, False, 2, -0.06, -0.02),
    "per 1.000 kelahiran hidup": (10, 22, False, False, 2, -0.06, -0.02),
    "anak per perempuan": (1.95, 2.25, False, False, 2, -0.012, -0.004),
    "skor": (76, 90, False, False, 1, 0.005, 0.012),
    "kkal/kapita/hari": (2_150, 2_450, False, False, 0, 0.0, 0.01),
    "kg/kapita/tahun": (26, 40, False, False, 2, 0.01, 0.03),
    "kuintal/hektare": (53, 62, False, False, 2, 0.0, 0.01),
    "jiwa/km²": (760, 800, False, False, 2, 0.004, 0.009),
    "nilai": (62, 80, False, False, 2, 0.005, 0.015),
    "level": (2, 4, False, False, 0, 0.0, 0.0),
    "opini": (1, 1, False, False, 0, 0.0, 0.0),
    "peta": (1, 1, False, False, 0, 0.0, 0.0),
    "tahun": (7, 8.5, False, False, 2, 0.005, 0.012),
    "ekor": (5_000, 400_000, True, False, 0, -0.01, 0.04),
    "liter": (2e6, 2e7, True, True, 0, 0.0, 0.05),
    "desa": (5, 120, True, False, 0, 0.0, 0.05),
    "keluarga": (20_000, 160_000, True, False, 0, -0.04, 0.02),
    "rumah tangga": (60_000, 700_000, True, False, 0, 0.0, 0.02),
    "KK": (700_000, 850_000, True, False, 0, 0.004, 0.01),
}

# Names that say more than their unit: (words in the name, unit spec). The first match wins.
NAMED: tuple[tuple[tuple[str, ...], _Spec], ...] = (
    # Percentages that should fall over time, and are small.
    (
        ("Prevalensi", "Pengangguran", "Putus Sekolah", "Unmet Need", "Miskin"),
        (4, 24, False, False, 2, -0.08, -0.02),
    ),
    (("Laju",), (0.6, 5.5, False, False, 2, -0.05, 0.05)),
    (("Occupancy", "Penghunian", "Realisasi PBB"), (55, 78, False, False, 2, 0.0, 0.02)),
    (("Upah Minimum",), (2_200_000, 2_400_000, False, False, 0, 0.05, 0.07)),
    (("Harapan Hidup",), (69.5, 70.5, False, False, 2, 0.002, 0.004)),
    (("Harapan Lama Sekolah",), (12.6, 13.2, False, False, 2, 0.004, 0.008)),
    (("SPBE",), (2.4, 3.2, False, False, 2, 0.02, 0.05)),
    (("Indeks Desa Membangun",), (0.62, 0.72, False, False, 4, 0.01, 0.025)),
    (("Indeks Gini",), (0.31, 0.36, False, False, 3, -0.01, 0.005)),
    (("Nilai Tukar",), (99, 108, False, False, 2, 0.0, 0.02)),
    (("Inflasi",), (0.1, 0.6, False, False, 2, -0.05, 0.05)),
)


@dataclass(frozen=True)
class Profile:
    """How an item's numbers behave: the regency figure of its first year and its trend."""

    level: float
    additive: bool
    flow: bool
    decimals: int
    growth: float
    capped: bool  # a percentage stays at or under 100

    def yearly(self, year: int, first_year: int) -> float:
        return self.level * (1 + self.growth) ** (year - first_year)


def _spec(unit: str, name: str) -> _Spec:
    for words, spec in NAMED:
        if any(word in name for word in words):
            return spec
    return UNITS.get(unit, _COUNT)


def profile_for(*, unit: str, name: str, seed: str) -> Profile:
    """The profile of an item; `seed` keeps an item's numbers alike across decrees."""
    rng = random.Random(f"profile|{seed}")
    low, high, additive, flow, decimals, g_low, g_high = _spec(unit, name)
    # Log-uniform: a count between 40 and 5,000 is as likely to be in the hundreds as in the
    # thousands.
    level = math.exp(rng.uniform(math.log(low), math.log(high))) if low > 0 else low
    return Profile(
        level=level,
        additive=additive,
        flow=flow,
        decimals=decimals,
        growth=rng.uniform(g_low, g_high),
        capped=unit == "persen",
    )


class ValueModel:
    """Cell values for the demo: weights per region and per breakdown category, by seed."""

    def __init__(self, *, seed: int | str, first_year: int) -> None:
        self.seed = seed
        self.first_year = first_year
        self._regions: dict[str, tuple[float, float]] = {}
        self._categories: dict[str, tuple[float, float]] = {}

    def _region(self, code: str) -> tuple[float, float]:
        """(weight for counts, relative deviation for ratios) of a region."""
        if code not in self._regions:
            rng = random.Random(f"{self.seed}|region|{code}")
            self._regions[code] = (rng.lognormvariate(0, 0.45), rng.gauss(0, 0.06))
        return self._regions[code]

    def _category(self, slug: str, category: str) -> tuple[float, float]:
        key = f"{slug}={category}"
        if key not in self._categories:
            rng = random.Random(f"{self.seed}|category|{key}")
            # Men and women are about half each; other categories differ more.
            weight = rng.uniform(0.96, 1.04) if slug == "jenis-kelamin" else rng.uniform(0.3, 1.7)
            self._categories[key] = (weight, rng.uniform(-0.05, 0.05))
        return self._categories[key]

    def values(
        self,
        profile: Profile,
        cells: list[tuple[str, str]],
        *,
        year: int,
        index: int,
        periods_in_year: int,
        rng: random.Random,
    ) -> list[Decimal]:
        """One value per cell (region code, breakdown key) of a period, in the cells' order."""
        total = profile.yearly(year, self.first_year)
        if profile.flow and profile.additive:
            # A little seasonality, so that months and quarters are not all alike.
            season = 1 + 0.12 * math.sin(2 * math.pi * index / periods_in_year)
            total = total / periods_in_year * season
        region_weights = {r: self._region(r)[0] for r, _b in cells}
        region_sum = sum(region_weights.values())
        breakdowns = {b for _r, b in cells}
        shares = {b: self._shares(b) for b in breakdowns}
        share_sum = sum(s[0] for s in shares.values())
        result = []
        for region, breakdown in cells:
            if profile.additive:
                value = total * region_weights[region] / region_sum
                value *= shares[breakdown][0] / share_sum
                value *= 1 + rng.gauss(0, 0.05)
            else:
                value = total * (1 + self._region(region)[1]) * (1 + shares[breakdown][1])
                value *= 1 + rng.gauss(0, 0.015)
            if profile.capped:
                value = min(value, 99.9 - rng.uniform(0, 1.5))
            result.append(_decimal(max(value, 0), profile.decimals))
        return result

    def _shares(self, breakdown: str) -> tuple[float, float]:
        """(share weight, deviation) of a breakdown cell: the product over its categories."""
        weight, deviation = 1.0, 0.0
        if breakdown:
            for pair in breakdown.split(";"):
                slug, category = pair.split("=", 1)
                w, d = self._category(slug, category)
                weight, deviation = weight * w, deviation + d
        return weight, deviation


def _decimal(value: float, decimals: int) -> Decimal:
    # Through text: Decimal(float) would carry the binary noise of the float.
    return Decimal(f"{value:.{decimals}f}")
