# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""String functions added to the docs after the first release.

Spec: CloudWatch Logs User Guide, "Boolean, comparison, numeric, datetime, and other functions",
section "String functions" (CWL_QuerySyntax-operations-functions#CWL_QuerySyntax-string-functions).
A missing (null) argument gives a missing result.
"""

import base64
import binascii
import re

try:
    from urllib.parse import quote, unquote
except ImportError:  # pragma: no cover - Python 2 targets
    from urllib import quote, unquote

from ..values import to_number, to_text
from .registry import register


def _texts(impl):
    def apply(*values):
        texts = [to_text(value) for value in values]
        if any(text is None for text in texts):
            return None
        return impl(*texts)
    return apply


def _regex_replace(value, pattern, replacement):
    text = to_text(value)
    with_text = to_text(replacement)
    if text is None or pattern is None or with_text is None:
        return None
    regex = pattern if hasattr(pattern, "sub") else re.compile(re.escape(to_text(pattern)))
    # RE2 replacement strings name groups as \1 or $1; Python's re.sub takes \1.
    return regex.sub(re.sub(r"\$(\d)", r"\\\1", with_text), text)


def _base64_decode(text):
    try:
        return base64.b64decode(text.encode("ascii"), validate=True).decode("utf-8")
    except (ValueError, UnicodeError, binascii.Error):
        return None


def _hex_to_ascii(text):
    try:
        return binascii.unhexlify(text.strip()).decode("ascii")
    except (ValueError, UnicodeError, binascii.Error):
        return None


def _hex_to_dec(text):
    digits = text.strip()
    if digits[:2].lower() == "0x":
        digits = digits[2:]
    try:
        return int(digits, 16)
    except ValueError:
        return None


def _dec_to_hex(value):
    number = to_number(value)
    if number is None or number != int(number) or number < 0:
        return None
    return "%x" % int(number)


register("regexReplace", 3, 3, _regex_replace, regex_args=(1,))
register("startsWith", 2, 2, _texts(lambda text, prefix: text.startswith(prefix)))
register("endsWith", 2, 2, _texts(lambda text, suffix: text.endswith(suffix)))
register("urlencode", 1, 1, _texts(lambda text: quote(text, safe="")))
register("urldecode", 1, 1, _texts(unquote))
register("base64encode", 1, 1, _texts(lambda text: base64.b64encode(text.encode("utf-8")).decode("ascii")))
register("base64decode", 1, 1, _texts(_base64_decode))
register("split", 2, 2, _texts(lambda text, delimiter: text.split(delimiter) if delimiter else list(text)))
register("hexToAscii", 1, 1, _texts(_hex_to_ascii))
register("hexToDec", 1, 1, _texts(_hex_to_dec))
register("decToHex", 1, 1, _dec_to_hex)
