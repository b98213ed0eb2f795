# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Numeric conversions and haversine (CWL_QuerySyntax-operations-functions, "Numeric operators").

``toInt`` is 32-bit and ``toLong`` 64-bit: a value outside the range, or not a number, is missing.
Fractions are truncated toward zero, as a Java cast does.
"""

import math

from ..values import to_number
from .registry import register

EARTH_RADIUS_KM = 6371.0


def _integer(bits):
    low, high = -(1 << (bits - 1)), (1 << (bits - 1)) - 1

    def apply(value):
        number = to_number(value)
        if number is None:
            return None
        whole = int(number)
        return whole if low <= whole <= high else None
    return apply


def _to_double(value):
    number = to_number(value)
    return None if number is None else float(number)


def _haversine(lat1, lon1, lat2, lon2):
    numbers = [to_number(v) for v in (lat1, lon1, lat2, lon2)]
    if any(n is None for n in numbers):
        return None
    phi1, lam1, phi2, lam2 = [math.radians(n) for n in numbers]
    a = math.sin((phi2 - phi1) / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin((lam2 - lam1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


register("toInt", 1, 1, _integer(32))
register("toLong", 1, 1, _integer(64))
register("toDouble", 1, 1, _to_double)
register("haversine", 4, 4, _haversine)
