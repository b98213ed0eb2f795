# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hashing functions (CloudWatch Logs User Guide, "Hashing functions", CWL_QuerySyntax-hash-functions):
``md5(fieldName: string)`` and ``sha256(fieldName: string)`` give the hex digest of the string's UTF-8 bytes."""

import hashlib

from ..values import to_text
from .registry import register


def _digest(algorithm):
    def apply(value):
        text = to_text(value)
        return None if text is None else hashlib.new(algorithm, text.encode("utf-8")).hexdigest()
    return apply


register("md5", 1, 1, _digest("md5"))
register("sha256", 1, 1, _digest("sha256"))
