# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The scalar function table every family module registers into, looked up case-insensitively."""

VARIADIC = 255

SCALAR_FUNCTIONS = {}


class ScalarFunction:
    """``period_args``: positions that must be a literal time period such as ``5m``.

    ``regex_args``: positions that may be a ``/regex/`` literal (compiled once). ``needs_context``: the
    implementation's first argument is the query's context (start/end time, the time the query started).
    """

    __slots__ = ("name", "min_args", "max_args", "impl", "period_args", "regex_args", "needs_context")

    def __init__(self, name, min_args, max_args, impl, period_args=(), regex_args=(), needs_context=False):
        self.name, self.min_args, self.max_args, self.impl = name, min_args, max_args, impl
        self.period_args, self.regex_args, self.needs_context = period_args, regex_args, needs_context


def register(name, min_args, max_args, impl, period_args=(), regex_args=(), needs_context=False):
    SCALAR_FUNCTIONS[name.lower()] = ScalarFunction(name, min_args, max_args, impl, period_args, regex_args,
                                                    needs_context)


class QueryContext:
    """What context functions read: the query's time range (epoch ms) and when it started (epoch s)."""

    __slots__ = ("start_ms", "end_ms", "now_s")

    def __init__(self, start_ms=None, end_ms=None, now_s=None):
        self.start_ms, self.end_ms, self.now_s = start_ms, end_ms, now_s
