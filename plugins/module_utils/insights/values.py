# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Value model: every raw value is a string; numbers, timestamps and booleans appear when computed.

Missing values are ``None`` and are left out of result rows, as the service omits absent fields.
"""

import datetime
import math
import re

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
_NUMBER_RE = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\Z")
_DIGIT_RUN_RE = re.compile(r"[0-9]+|[^0-9]")


class Timestamp(int):
    """Epoch milliseconds that render as ``YYYY-MM-DD HH:MM:SS.mmm`` UTC (``@timestamp``, ``bin()``)."""

    __slots__ = ()

    def __repr__(self):
        return "Timestamp(%d)" % int(self)


def format_timestamp(ms):
    ms = int(ms)
    moment = _EPOCH + datetime.timedelta(milliseconds=ms)
    return "%s.%03d" % (moment.strftime("%Y-%m-%d %H:%M:%S"), ms % 1000)


def to_number(value):
    """The number a value denotes, or None. Strings count when they are plain decimal literals."""
    kind = type(value)
    if kind is str:
        if value.isdecimal():
            return int(value)
        if not _NUMBER_RE.match(value):
            return None
        try:
            return int(value)
        except ValueError:
            number = float(value)
            return number if math.isfinite(number) else None
    if kind is int or kind is float or kind is Timestamp:
        return value
    if kind is bool:
        return int(value)
    return None


def format_number(number):
    """Whole numbers without a decimal point; other floats in their shortest round-trip form, no exponent."""
    if isinstance(number, float):
        if not math.isfinite(number):
            return None
        if number.is_integer() and abs(number) < 1e18:
            return str(int(number))
        text = repr(number)
        if "e" in text or "E" in text:
            text = ("%.20f" % number).rstrip("0").rstrip(".")
        return text
    return str(int(number))


def to_text(value):
    """The string the service would show for a value (None stays None)."""
    kind = type(value)
    if kind is str:
        return value
    if value is None:
        return None
    if kind is bool:
        return "1" if value else "0"
    if kind is Timestamp:
        return format_timestamp(value)
    if kind is int or kind is float:
        return format_number(value)
    if kind is dict or kind is list:
        return None  # maps and lists count as null for string functions (CWL_QuerySyntax-operations-functions)
    return str(value)


def truthy(value):
    """Truth of a value used as a condition: numbers by non-zero, other strings by non-emptiness."""
    if value is None:
        return False
    kind = type(value)
    if kind is bool:
        return value
    if kind is str:
        number = to_number(value)
        if number is not None:
            return number != 0
        return value != ""
    return value != 0


def natural_sort_key(value):
    """Sort key of the documented natural order; missing values sort lowest.

    Strings of digits only are "numbers" and come after every other string; computed numbers sort with them
    by value. Other strings compare run by run: digit runs by length then value, other characters by code point.
    """
    if value is None:
        return (0,)
    kind = type(value)
    if kind is not str:
        number = to_number(value)
        if number is None:
            value = str(value)
        else:
            return (2, number, "")
    if value.isdigit() and value.isascii():
        return (2, int(value), value)
    parts = []
    for run in _DIGIT_RUN_RE.findall(value):
        if "0" <= run[0] <= "9":
            parts.append((0x30, len(run), int(run)))
        else:
            parts.append((ord(run),))
    return (1, tuple(parts))
