# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Times as the insights lookup and the named queries take them: ISO 8601 or epoch seconds.

One parser for both, so a time a named query's ``minute`` parameter accepts is one the lookup's
``start``/``end`` accept too. Epoch seconds are what StartQuery takes (CloudWatch Logs API
reference, StartQuery: startTime/endTime, "number of seconds since January 1, 1970, 00:00:00 UTC").
"""


import calendar
import datetime
import re
import time

from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import ValidationError

_PERIOD = re.compile(r"\A\s*(\d+)\s*([smhdw])\s*\Z")
_UNIT_SECONDS = dict(s=1, m=60, h=3600, d=86400, w=604800)
_EPOCH_TEXT = re.compile(r"\A\d+(\.\d+)?\Z")
_EPOCH_INTEGER_TEXT = re.compile(r"\A\d+\Z")
DEFAULT_PERIOD = "1h"


def datetime_seconds(moment):
    """Epoch seconds of a datetime (naive = UTC)."""
    if moment.tzinfo is None:
        return calendar.timegm(moment.timetuple())
    return calendar.timegm(moment.astimezone(datetime.timezone.utc).timetuple())


def parse_iso8601(text):
    """Epoch seconds of an ISO 8601 time (``Z``/offsets honoured, naive = UTC), or None."""
    text = text.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    text = re.sub(r"([+-]\d\d)(\d\d)\Z", r"\1:\2", text)
    candidates = [text, text.replace(" ", "T", 1)]
    for candidate in candidates:
        try:
            return datetime_seconds(datetime.datetime.fromisoformat(candidate))
        except ValueError:
            continue
    return None


def epoch_seconds(param, value, fractions=True):
    """Epoch seconds of ``value``: a number, a datetime, digits, or ISO 8601 text.

    ``fractions``: whether a float (or "12.5") is taken (and truncated). Raises ValidationError
    naming ``param``.
    """
    if isinstance(value, bool):
        raise ValidationError(param, "{0!r} is not a time (ISO 8601 or epoch seconds)".format(value))
    if isinstance(value, int) or (fractions and isinstance(value, float)):
        return int(value)
    if isinstance(value, datetime.datetime):
        return datetime_seconds(value)
    if isinstance(value, str):
        text = value.strip()
        if (_EPOCH_TEXT if fractions else _EPOCH_INTEGER_TEXT).match(text):
            return int(float(text))
        seconds = parse_iso8601(text)
        if seconds is not None:
            return seconds
        raise ValidationError(param, "{0!r} is not a time; use ISO 8601 (2024-05-01T16:22:00Z) or epoch "
                                     "seconds".format(value))
    raise ValidationError(param, "must be an ISO 8601 time or epoch seconds, got {0!r}".format(value))


def iso(seconds):
    """``seconds`` as ISO 8601 UTC text (2024-05-01T16:22:00Z)."""
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def period_seconds(param, text):
    """Seconds of a period such as 15m, 1h, 1d or 7d."""
    match = _PERIOD.match(text or "")
    if not match or int(match.group(1)) <= 0:
        raise ValidationError(param, "{0!r} is not a period such as 15m, 1h, 1d or 7d".format(text))
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def time_range(since, start, end, now=None):
    """(start, end) epoch seconds, both inclusive, from a period back from ``end`` (``since``,
    1h by default) or a ``start``; ``end`` is now unless given. Raises ValueError."""
    now = int(time.time() if now is None else now)
    if since is not None and start is not None:
        raise ValueError("since and start are mutually exclusive; give a period back from now or a start")
    end_seconds = epoch_seconds("end", end) if end is not None else now
    if start is not None:
        start_seconds = epoch_seconds("start", start)
    else:
        start_seconds = end_seconds - period_seconds("since", since or DEFAULT_PERIOD)
    if start_seconds < 0 or end_seconds < 0:
        raise ValueError("the time range must not start before 1970 (start {0}, end {1})".format(
            start_seconds, end_seconds))
    if start_seconds > end_seconds:
        raise ValueError("the time range is empty: start {0} is after end {1}".format(
            iso(start_seconds), iso(end_seconds)))
    return start_seconds, end_seconds
