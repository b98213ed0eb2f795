# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The logfmt and CSV readers of ``parse`` (CWL_QuerySyntax-Parse, "Logfmt mode" and "CSV mode").

The page says what a line is, not every corner: logfmt is "space-separated ``key=value`` pairs" and the result
"a map that you access with dot notation"; in CSV "each comma-separated value is assigned to the corresponding
alias". Where it is silent these readers take the common reading of the format, and say so below.
"""

import csv


def logfmt_pairs(text):
    """The ``key=value`` pairs of a logfmt line as a dict of strings, or None when it has none.

    A value may be double-quoted (``msg="connection failed"``), with ``\\"`` and ``\\\\`` escapes inside (any other
    backslash stays, as in the query's own strings). A word without ``=`` is not a pair, so it is skipped; a
    repeated key keeps its last value; ``key=`` is an empty value.
    """
    pairs = {}
    length = len(text)
    position = 0
    while position < length:
        while position < length and text[position].isspace():
            position += 1
        start = position
        while position < length and not text[position].isspace() and text[position] != "=":
            position += 1
        key = text[start:position]
        if position >= length or text[position] != "=":
            continue  # a bare word: not a key=value pair
        position += 1
        if position < length and text[position] == '"':
            value, position = _quoted(text, position + 1)
        else:
            start = position
            while position < length and not text[position].isspace():
                position += 1
            value = text[start:position]
        if key:
            pairs[key] = value
    return pairs or None


def _quoted(text, position):
    """The value of a quoted logfmt value opening before ``position``, and the position after it; an unterminated
    quote takes the rest of the line."""
    out = []
    length = len(text)
    while position < length:
        char = text[position]
        if char == "\\" and position + 1 < length and text[position + 1] in '"\\':
            out.append(text[position + 1])
            position += 2
        elif char == '"':
            return "".join(out), position + 1
        else:
            out.append(char)
            position += 1
    return "".join(out), position


def csv_values(text):
    """The comma-separated values of one line, RFC 4180 quoting (``"a, b"``, ``""`` for a quote); None for none."""
    try:
        values = next(csv.reader([text]), None)
    except csv.Error:
        return None
    return values or None
