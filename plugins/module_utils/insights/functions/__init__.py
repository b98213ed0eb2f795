# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Function registry (core families; later ones in sibling modules), looked up case-insensitively.

Scalar implementations take already-evaluated argument values (``None`` = missing) and return a value or
``None``. Aggregates are described by factories that the compiler turns into per-group state updaters.
"""

import datetime
import decimal
import ipaddress
import math

from ..values import Timestamp, natural_sort_key, to_number, to_text

# -- time periods ------------------------------------------------------------------------------------------------

_FIXED_UNIT_MS = {"ms": 1, "s": 1000, "m": 60000, "h": 3600000, "d": 86400000, "w": 7 * 86400000}
_MONTHS_PER_UNIT = {"mo": 1, "q": 3, "y": 12}
# bin() caps documented by AWS: "if you specify bin(300s), CloudWatch Logs actually implements this as 60 seconds".
BIN_UNIT_CAPS = {"ms": 1000, "s": 60, "m": 60, "h": 24}
# Weeks start on Monday 00:00 UTC; 1970-01-05 is the first Monday after the epoch.
_MONDAY_OFFSET_MS = 4 * 86400000
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


class Period:
    """A parsed time period (``amount`` whole units of ``unit``)."""

    __slots__ = ("amount", "unit")

    def __init__(self, amount, unit):
        self.amount = amount
        self.unit = unit

    @property
    def fixed_ms(self):
        """Length in ms for fixed-size units, None for calendar units (month, quarter, year)."""
        per_unit = _FIXED_UNIT_MS.get(self.unit)
        return None if per_unit is None else int(self.amount * per_unit)

    def capped_for_bin(self):
        cap = BIN_UNIT_CAPS.get(self.unit)
        if cap is not None and self.amount > cap:
            return Period(cap, self.unit)
        return self


def floor_to_period(ms, period):
    """Floor epoch ms to the period: epoch-aligned for ms..d, Monday-aligned weeks, calendar months/quarters/years."""
    size = period.fixed_ms
    if size is not None:
        if size <= 0:
            return None
        offset = _MONDAY_OFFSET_MS if period.unit == "w" else 0
        return ms - (ms - offset) % size
    months_per = _MONTHS_PER_UNIT[period.unit] * max(1, int(period.amount))
    moment = _EPOCH + datetime.timedelta(milliseconds=ms)
    index = (moment.year - 1970) * 12 + moment.month - 1
    index -= index % months_per
    floored = datetime.datetime(1970 + index // 12, index % 12 + 1, 1, tzinfo=datetime.timezone.utc)
    return (floored - _EPOCH) // datetime.timedelta(milliseconds=1)


def ceil_to_period(ms, period):
    floored = floor_to_period(ms, period)
    if floored is None or floored == ms:
        return floored
    size = period.fixed_ms
    if size is not None:
        return floored + size
    months = _MONTHS_PER_UNIT[period.unit] * max(1, int(period.amount))
    moment = _EPOCH + datetime.timedelta(milliseconds=floored)
    index = (moment.year - 1970) * 12 + moment.month - 1 + months
    ceiled = datetime.datetime(1970 + index // 12, index % 12 + 1, 1, tzinfo=datetime.timezone.utc)
    return (ceiled - _EPOCH) // datetime.timedelta(milliseconds=1)


# -- scalar implementations --------------------------------------------------------------------------------------


def _numeric(impl):
    def apply(value):
        number = to_number(value)
        return None if number is None else impl(number)
    return apply


def _log(number):
    return math.log(number) if number > 0 else None


def _sqrt(number):
    return math.sqrt(number) if number >= 0 else None


def _round(value, digits=0):
    # Half away from zero (SQL/Java style), not Python's banker's rounding.
    number = to_number(value)
    places = to_number(digits)
    if number is None or places is None:
        return None
    places = int(places)
    quantum = decimal.Decimal(1).scaleb(-places)
    rounded = decimal.Decimal(repr(number)).quantize(quantum, rounding=decimal.ROUND_HALF_UP)
    return int(rounded) if places <= 0 else float(rounded)


def _extreme(pick):
    def apply(*values):
        present = [v for v in values if v is not None]
        if not present:
            return None
        numbers = [to_number(v) for v in present]
        if all(n is not None for n in numbers):
            return pick(numbers)
        return pick(to_text(v) for v in present)
    return apply


def _text_function(impl):
    def apply(value, *rest):
        text = to_text(value)
        return None if text is None else impl(text, *rest)
    return apply


def _concat(*values):
    return "".join(to_text(v) for v in values if v is not None)


def _trim_with(method):
    def apply(text, chars=None):
        if chars is None:
            return getattr(text, method)()
        return getattr(text, method)(to_text(chars))
    return _text_function(apply)


def _substr(value, start, length=None):
    text = to_text(value)
    start = to_number(start)
    if text is None or start is None:
        return None
    start = max(0, int(start))
    if length is None:
        return text[start:]
    length = to_number(length)
    if length is None:
        return None
    return text[start:start + max(0, int(length))]


def _replace(value, search, replacement):
    text = to_text(value)
    if text is None or search is None:
        return None
    return text.replace(to_text(search), to_text(replacement) if replacement is not None else "")


def _strcontains(value, search, case_insensitive=None):
    text = to_text(value)
    if text is None or search is None:
        return False
    needle = to_text(search)
    if case_insensitive is not None and truthy_flag(case_insensitive):
        return needle.lower() in text.lower()
    return needle in text


def truthy_flag(value):
    number = to_number(value)
    return bool(number) if number is not None else str(value).lower() == "true"


def _isempty(value):
    return value is None or to_text(value) == ""


def _isblank(value):
    return value is None or to_text(value).strip() == ""


def _ispresent(value):
    return value is not None


def _coalesce(*values):
    for value in values:
        if value is not None:
            return value
    return None


def _parse_address(value, version=None):
    text = to_text(value)
    if text is None:
        return None
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if version is not None and address.version != version:
        return None
    return address


def _is_valid_ip(version):
    def apply(value):
        return _parse_address(value, version) is not None
    return apply


def parse_network(value, version=None):
    """The network a CIDR string denotes, or None (host bits may be set, as in "10.0.0.1/16")."""
    text = to_text(value)
    if text is None:
        return None
    try:
        network = ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None
    if version is not None and network.version != version:
        return None
    return network


def _in_subnet(version):
    def apply(value, cidr):
        network = parse_network(cidr, version)
        address = _parse_address(value, version)
        if network is None or address is None or address.version != network.version:
            return False
        return address in network
    return apply


def _datefloor(value, period):
    number = to_number(value)
    if number is None or not isinstance(period, Period):
        return None
    floored = floor_to_period(int(number), period)
    return None if floored is None else Timestamp(floored)


def _dateceil(value, period):
    number = to_number(value)
    if number is None or not isinstance(period, Period):
        return None
    ceiled = ceil_to_period(int(number), period)
    return None if ceiled is None else Timestamp(ceiled)


def _from_millis(value):
    number = to_number(value)
    return None if number is None else Timestamp(int(number))


def _to_millis(value):
    number = to_number(value)
    return None if number is None else int(number)


def _to_number(value):
    return to_number(value)


from .registry import SCALAR_FUNCTIONS, VARIADIC, ScalarFunction, register as _register  # noqa: E402,F401


_register("abs", 1, 1, _numeric(abs))
_register("ceil", 1, 1, _numeric(math.ceil))
_register("floor", 1, 1, _numeric(math.floor))
_register("log", 1, 1, _numeric(_log))
_register("sqrt", 1, 1, _numeric(_sqrt))
_register("round", 1, 2, _round)
_register("greatest", 1, VARIADIC, _extreme(max))
_register("least", 1, VARIADIC, _extreme(min))
_register("toNumber", 1, 1, _to_number)
_register("concat", 1, VARIADIC, _concat)
_register("strlen", 1, 1, _text_function(len))
_register("toupper", 1, 1, _text_function(str.upper))
_register("tolower", 1, 1, _text_function(str.lower))
_register("trim", 1, 2, _trim_with("strip"))
_register("ltrim", 1, 2, _trim_with("lstrip"))
_register("rtrim", 1, 2, _trim_with("rstrip"))
_register("substr", 2, 3, _substr)
_register("replace", 3, 3, _replace)
_register("strcontains", 2, 3, _strcontains)
_register("isempty", 1, 1, _isempty)
_register("isblank", 1, 1, _isblank)
_register("ispresent", 1, 1, _ispresent)
_register("coalesce", 1, VARIADIC, _coalesce)
_register("isValidIp", 1, 1, _is_valid_ip(None))
_register("isValidIpV4", 1, 1, _is_valid_ip(4))
_register("isValidIpV6", 1, 1, _is_valid_ip(6))
_register("isIpInSubnet", 2, 2, _in_subnet(None))
_register("isIpv4InSubnet", 2, 2, _in_subnet(4))
_register("isIpv6InSubnet", 2, 2, _in_subnet(6))
_register("bin", 1, 1, None, period_args=(0,))  # compiled as datefloor(@timestamp, period)
_register("datefloor", 2, 2, _datefloor, period_args=(1,))
_register("dateceil", 2, 2, _dateceil, period_args=(1,))
_register("fromMillis", 1, 1, _from_millis)
_register("toMillis", 1, 1, _to_millis)

SUBNET_FUNCTION_VERSIONS = {"isipinsubnet": None, "isipv4insubnet": 4, "isipv6insubnet": 6}


# -- aggregates --------------------------------------------------------------------------------------------------
# Each aggregate is (initial state factory, step(state, value, timestamp) -> state, finish(state) -> value).
# ``step`` sees only present values; count(*) is special-cased by the compiler.


def _sum_step(state, value, _ts):
    number = to_number(value)
    if number is None:
        return state
    return number if state is None else state + number


def _identity(state):
    return state


def _avg_step(state, value, _ts):
    number = to_number(value)
    if number is not None:
        state[0] += number
        state[1] += 1
    return state


def _avg_finish(state):
    return state[0] / state[1] if state[1] else None


def _stddev_step(state, value, _ts):
    # Welford's online update keeps memory per group constant.
    number = to_number(value)
    if number is not None:
        count = state[0] + 1
        delta = number - state[1]
        mean = state[1] + delta / count
        state[0], state[1], state[2] = count, mean, state[2] + delta * (number - mean)
    return state


def _stddev_finish(state):
    # Sample standard deviation (n - 1), 0 for a single value.
    count = state[0]
    if count == 0:
        return None
    if count == 1:
        return 0
    return math.sqrt(state[2] / (count - 1))


def _count_step(state, _value, _ts):
    return state + 1


def _distinct_step(state, value, _ts):
    state.add(to_text(value))
    return state


def _extreme_step(better):
    def step(state, value, _ts):
        number = to_number(value)
        key = (1, number) if number is not None else (0, to_text(value))
        if state is None or better(key, state[0]):
            return (key, value)
        return state
    return step


def _extreme_finish(state):
    return None if state is None else state[1]


def _greater(a, b):
    return a > b


def _less(a, b):
    return a < b


def _earliest_step(state, value, ts):
    if ts is None:
        return state
    if state is None or ts < state[0]:
        return (ts, value)
    return state


def _latest_step(state, value, ts):
    if ts is None:
        return state
    if state is None or ts >= state[0]:
        return (ts, value)
    return state


def _sorts_step(better):
    def step(state, value, _ts):
        key = natural_sort_key(value)
        if state is None or better(key, state[0]):
            return (key, value)
        return state
    return step


def _pct_step(state, value, _ts):
    number = to_number(value)
    if number is not None:
        state.append(number)
    return state


def nearest_rank_percentile(values, percent):
    """Nearest-rank percentile: the smallest observed value with at least p% of values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    rank = math.ceil(percent / 100.0 * len(ordered))
    return ordered[min(len(ordered), max(1, rank)) - 1]


class AggregateFunction:
    """``needs_timestamp``: the step receives the row's @timestamp (earliest/latest)."""

    __slots__ = ("name", "min_args", "max_args", "initial", "step", "finish", "needs_timestamp")

    def __init__(self, name, min_args, max_args, initial, step, finish, needs_timestamp=False):
        self.name, self.min_args, self.max_args = name, min_args, max_args
        self.initial, self.step, self.finish, self.needs_timestamp = initial, step, finish, needs_timestamp


def _none():
    return None


def _zero():
    return 0


AGGREGATE_FUNCTIONS = {
    "avg": AggregateFunction("avg", 1, 1, lambda: [0, 0], _avg_step, _avg_finish),
    "count": AggregateFunction("count", 0, 1, _zero, _count_step, _identity),
    "count_distinct": AggregateFunction("count_distinct", 1, 1, set, _distinct_step, len),
    "max": AggregateFunction("max", 1, 1, _none, _extreme_step(_greater), _extreme_finish),
    "min": AggregateFunction("min", 1, 1, _none, _extreme_step(_less), _extreme_finish),
    "pct": AggregateFunction("pct", 2, 2, list, _pct_step, None),  # finish needs the percent argument
    "stddev": AggregateFunction("stddev", 1, 1, lambda: [0, 0.0, 0.0], _stddev_step, _stddev_finish),
    "sum": AggregateFunction("sum", 1, 1, _none, _sum_step, _identity),
    "earliest": AggregateFunction("earliest", 1, 1, _none, _earliest_step, _extreme_finish, True),
    "latest": AggregateFunction("latest", 1, 1, _none, _latest_step, _extreme_finish, True),
    "sortsfirst": AggregateFunction("sortsFirst", 1, 1, _none, _sorts_step(_less), _extreme_finish),
    "sortslast": AggregateFunction("sortsLast", 1, 1, _none, _sorts_step(_greater), _extreme_finish),
    # Time-series functions (see timeseries.py): per bin group they are count(f) and sum(f).
    "count_over_time": AggregateFunction("count_over_time", 1, 1, _zero, _count_step, _identity),
    "sum_over_time": AggregateFunction("sum_over_time", 1, 1, _none, _sum_step, _identity),
}


def lookup_function(name):
    """(kind, spec) for a function name, kind "scalar" or "aggregate"; (None, None) if unknown."""
    key = name.lower()
    if key in UNSUPPORTED_FUNCTIONS:
        return "unsupported", UNSUPPORTED_FUNCTIONS[key]
    if key in AGGREGATE_FUNCTIONS:
        return "aggregate", AGGREGATE_FUNCTIONS[key]
    if key in SCALAR_FUNCTIONS:
        return "scalar", SCALAR_FUNCTIONS[key]
    return None, None


def known_function_names():
    return sorted([f.name for f in SCALAR_FUNCTIONS.values()] + [f.name for f in AGGREGATE_FUNCTIONS.values()])


# The families documented after the first release live in their own modules; importing them registers them.
from . import datetimes, general, hashing, ip, json_functions, numeric, strings, timeseries  # noqa: E402,F401
from .timeseries import UNSUPPORTED_FUNCTIONS  # noqa: E402
