# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Errors and diagnostics, positioned by line and column like the service's MalformedQueryException."""


def line_and_column(text, offset):
    """1-based (line, column) of ``offset`` in ``text``."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def caret_snippet(text, offset, length=1):
    """The source line holding ``offset`` with a caret row under the offending span."""
    offset = max(0, min(offset, len(text)))
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    if line_end < 0:
        line_end = len(text)
    source_line = text[line_start:line_end]
    width = max(1, min(length, line_end - offset))
    return source_line + "\n" + " " * (offset - line_start) + "^" * width


class InsightsError(Exception):
    """Base class of every error the engine raises."""


class QuerySyntaxError(InsightsError):
    """The query is malformed (the service answers MalformedQueryException).

    ``start``/``end`` are character offsets (like ``queryCompileError.location``),
    ``line``/``column`` are 1-based.
    """

    def __init__(self, message, query="", start=0, end=None):
        self.message = message
        self.query = query
        self.start = start
        self.end = start + 1 if end is None or end <= start else end
        self.line, self.column = line_and_column(query, start)
        super().__init__(str(self))

    def __str__(self):
        return "%s at line %d, column %d:\n%s" % (
            self.message,
            self.line,
            self.column,
            caret_snippet(self.query, self.start, self.end - self.start),
        )


class Diagnostic:
    """One lint finding. ``fatal`` marks findings the service itself rejects (run_query raises them)."""

    __slots__ = ("severity", "message", "line", "column", "start", "end", "rule", "fatal")

    def __init__(self, severity, message, query, start, end, rule, fatal=False):
        self.severity = severity
        self.message = message
        self.start = start
        self.end = end
        self.line, self.column = line_and_column(query, start)
        self.rule = rule
        self.fatal = fatal

    def __repr__(self):
        return "Diagnostic(%s %s@%d:%d %r)" % (self.severity, self.rule, self.line, self.column, self.message)

    def __str__(self):
        return "%d:%d: %s: %s [%s]" % (self.line, self.column, self.severity, self.message, self.rule)
