# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Datetime functions added after the first release (CWL_QuerySyntax-operations-functions, "Datetime
functions"): ``now()`` (epoch seconds when the query started), ``parseDate(s, javaPattern[, tz])`` (epoch ms),
``formatDate(ts, strftimePattern[, tz])`` and its alias ``strftime``. A time zone is an IANA name or UTC.
"""

import datetime
import re

from ..values import to_number, to_text
from .registry import register

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
# Java DateTimeFormatter letters -> strptime directives (longest first).
_JAVA_TOKENS = (
    ("yyyy", "%Y"), ("uuuu", "%Y"), ("yy", "%y"), ("MMMM", "%B"), ("MMM", "%b"), ("MM", "%m"), ("dd", "%d"),
    ("EEEE", "%A"), ("EEE", "%a"), ("HH", "%H"), ("hh", "%I"), ("mm", "%M"), ("ss", "%S"), ("SSSSSS", "%f"),
    ("SSS", "%f"), ("a", "%p"), ("XXX", "%z"), ("XX", "%z"), ("X", "%z"), ("Z", "%z"), ("M", "%m"), ("d", "%d"),
    ("H", "%H"),
)
_JAVA_RE = re.compile("'[^']*'|" + "|".join(re.escape(token) for token, _directive in _JAVA_TOKENS))
_DIRECTIVES = dict(_JAVA_TOKENS)


def java_pattern_to_strptime(pattern):
    def replace(match):
        token = match.group(0)
        if token.startswith("'"):
            return token[1:-1].replace("%", "%%") or "'"
        return _DIRECTIVES[token]
    return _JAVA_RE.sub(replace, pattern)


def _zone(name):
    text = to_text(name)
    if text is None or text.upper() in ("UTC", "Z", "GMT"):
        return datetime.timezone.utc
    try:
        from zoneinfo import ZoneInfo  # noqa: PLC0415 - Python >= 3.9 only
        return ZoneInfo(text)
    except Exception:  # noqa: BLE001 - an unknown zone (or no zoneinfo) gives a missing result
        return None


def _parse_date(value, pattern, zone=None):
    text, java = to_text(value), to_text(pattern)
    tz = _zone(zone)
    if text is None or java is None or tz is None:
        return None
    try:
        moment = datetime.datetime.strptime(text, java_pattern_to_strptime(java))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return (moment - _EPOCH) // datetime.timedelta(milliseconds=1)


def _format_date(value, pattern, zone=None):
    number = to_number(value)
    text = to_text(pattern)
    tz = _zone(zone)
    if number is None or text is None or tz is None:
        return None
    moment = (_EPOCH + datetime.timedelta(milliseconds=int(number))).astimezone(tz)
    return moment.strftime(text)


def _now(context):
    return context.now_s


register("now", 0, 0, _now, needs_context=True)
register("parseDate", 2, 3, _parse_date)
register("formatDate", 2, 3, _format_date)
register("strftime", 2, 3, _format_date)
