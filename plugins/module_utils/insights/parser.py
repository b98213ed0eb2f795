# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Parser: tokens -> AST. Commands by recursive descent here; expressions by Pratt parsing in expressions.py."""

import re

from . import nodes
from .compiler import compile_regex
from .errors import QuerySyntaxError
from .expressions import ExpressionParser
from .lexer import tokenize

SUPPORTED_COMMANDS = (
    "fields", "display", "filter", "stats", "sort", "limit", "parse", "json", "dedup", "unnest", "source")
# ``where`` is documented as an alias of filter (CWL_QuerySyntax-Filter); ``filterIndex`` narrows the scan to
# indexed events, which offline (no index) is the same filter over every event (CWL_QuerySyntax-FilterIndex).
COMMAND_ALIASES = {"order": "sort", "head": "limit", "tail": "limit", "where": "filter", "filterindex": "filter"}
# Commands whose answer depends on AWS's own models, data or uploaded tables: refused, naming the command.
UNSUPPORTED_COMMANDS = frozenset((
    "pattern", "diff", "unmask", "lookup", "search", "anomaly", "addtotals", "join", "logcompare"))
# The periods diff compares with, besides the immediately preceding one (CWL_QuerySyntax-Diff).
DIFF_MODIFIERS = {"previousday": "previousDay", "previousweek": "previousWeek", "previousmonth": "previousMonth"}
MAX_LIMIT = 100000
# SOURCE logGroups(...) keys and their documented limits (CWL_QuerySyntax-Source).
SOURCE_KEYS = {"namePrefix": 5, "accountIdentifiers": 20, "class": 2}

_NAMED_GROUP_RE = re.compile(r"\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>")
# parse modes named by a word (CWL_QuerySyntax-Parse, "Logfmt mode" and "CSV mode").
PARSE_FORMAT_MODES = ("logfmt", "csv")


class _NameSpan:
    """A name with the span it was written at (regex group names point at the regex)."""

    __slots__ = ("value", "start", "end")

    def __init__(self, value, start, end):
        self.value, self.start, self.end = value, start, end


class Parser(ExpressionParser):
    def parse(self, text):
        self._text = text
        self._tokens = tokenize(text)
        self._index = 0
        commands = []
        if self._current.type == "eof":
            raise self._error("empty query", self._current)
        while True:
            commands.append(self._command(commands))
            token = self._current
            if token.type == "eof":
                break
            if token.type != "pipe":
                raise self._error("expected '|' or end of query, found %s" % self._describe(token), token)
            self._advance()
        return nodes.Query(commands, text)

    # -- commands ------------------------------------------------------------------------------------------------

    def _command(self, commands_so_far=()):
        token = self._current
        if token.type != "name":
            raise self._error(
                "expected a command (%s), found %s" % (", ".join(SUPPORTED_COMMANDS), self._describe(token)), token)
        word = token.value.lower()
        word = COMMAND_ALIASES.get(word, word)
        if word == "diff":
            raise self._diff_refusal(token)
        if word in UNSUPPORTED_COMMANDS:
            raise self._error("not supported offline: %s" % token.value, token)
        if word == "source" and commands_so_far:
            raise self._error("SOURCE must be the first command of the query", token)
        if word not in SUPPORTED_COMMANDS:
            raise self._error(
                "unknown command %r; expected one of %s" % (token.value, ", ".join(SUPPORTED_COMMANDS)), token)
        self._advance()
        return getattr(self, "_command_" + word)(token)

    def _diff_refusal(self, keyword):
        """``diff [previousDay|previousWeek|previousMonth]`` (CWL_QuerySyntax-Diff), checked, then refused.

        The previous period is well defined, but a comparison query "return[s] only patterns in the results, not
        raw log events" (CWL_AnalyzeLogData_Compare), and patterns come from the service's pattern analysis.
        """
        end = keyword.end
        modifier = self._lookahead()
        if modifier.type not in ("pipe", "eof"):
            if modifier.type != "name" or modifier.value.lower() not in DIFF_MODIFIERS:
                raise self._error("unknown diff modifier %s; expected %s, or none for the immediately preceding "
                                  "period" % (self._describe(modifier), ", ".join(DIFF_MODIFIERS.values())),
                                  modifier)
            end = modifier.end
        return QuerySyntaxError(
            "not supported offline: %s (a comparison query answers with log patterns, and patterns come from "
            "CloudWatch Logs' pattern analysis, which has no offline equivalent)" % keyword.value,
            self._text, keyword.start, end)

    def _projections(self):
        items = [self._projection()]
        while self._current.type == "comma":
            self._advance()
            items.append(self._projection())
        return items

    def _projection(self):
        expr = self._expression()
        alias = alias_start = None
        end = expr.end
        if self._is_word(self._current, "as"):
            self._advance()
            alias_token = self._alias_token()
            alias, alias_start, end = alias_token.value, alias_token.start, alias_token.end
        return nodes.Projection(expr, alias, self._source(expr.start, expr.end), expr.start, end, alias_start)

    def _alias_token(self):
        token = self._current
        if token.type not in ("name", "quoted_name"):
            raise self._error("expected a field name after 'as', found %s" % self._describe(token), token)
        return self._advance()

    def _command_fields(self, keyword):
        items = self._projections()
        return nodes.Fields(items, keyword.value, keyword.start, items[-1].end)

    def _command_display(self, keyword):
        items = self._projections()
        return nodes.Display(items, keyword.value, keyword.start, items[-1].end)

    def _command_filter(self, keyword):
        condition = self._expression()
        return nodes.Filter(condition, keyword.value, keyword.start, condition.end)

    def _command_stats(self, keyword):
        aggregates = self._projections()
        groups = []
        end = aggregates[-1].end
        if self._is_word(self._current, "by"):
            self._advance()
            groups = self._projections()
            end = groups[-1].end
        return nodes.Stats(aggregates, groups, keyword.value, keyword.start, end)

    def _command_sort(self, keyword):
        if self._is_word(self._current, "by"):
            self._advance()
        keys = [self._sort_key()]
        while self._current.type == "comma":
            self._advance()
            keys.append(self._sort_key())
        return nodes.Sort(keys, keyword.value, keyword.start, keys[-1].end)

    def _sort_key(self):
        expr = self._expression()
        # A bare ``sort f`` is undocumented; like moto (and the console's habit) we sort descending.
        descending = True
        end = expr.end
        if self._is_word(self._current, "asc", "desc"):
            token = self._advance()
            descending = token.value.lower() == "desc"
            end = token.end
        return nodes.SortKey(expr, descending, self._source(expr.start, expr.end), expr.start, end)

    def _command_limit(self, keyword):
        any_ = False
        if self._is_word(self._current, "any") and self._lookahead().type == "number":
            self._advance()
            any_ = True
        token = self._current
        if token.type != "number" or not isinstance(token.value, int):
            raise self._error("expected a whole number after %r, found %s" % (
                keyword.value, self._describe(token)), token)
        if not 1 <= token.value <= MAX_LIMIT:
            raise self._error("limit must be between 1 and %d" % MAX_LIMIT, token)
        self._advance()
        return nodes.Limit(token.value, any_, keyword.value, keyword.start, token.end)

    def _command_parse(self, keyword):
        # The four modes of CWL_QuerySyntax-Parse: glob "...*..." as a, b; /regex/ (named groups, or "as" names,
        # optionally "multi"); logfmt as lf; csv as a, b. "parse logfmt as lf" omits the field (then @message).
        source = None
        current = self._current
        # ``parse logfmt as x``: the word names the mode, not a field.
        names_a_mode = current.type == "name" and current.value.lower() in PARSE_FORMAT_MODES and \
            self._is_word(self._lookahead(), "as")
        if current.type in ("name", "quoted_name") and not names_a_mode:
            token = self._advance()
            source = nodes.FieldRef(token.value, token.start, token.end, token.type == "quoted_name")
        pattern_token = self._current
        captures = None
        multi = False
        if pattern_token.type == "name" and pattern_token.value.lower() in PARSE_FORMAT_MODES:
            mode = pattern_token.value.lower()
            self._advance()
            names = self._parse_names(mode)
            if mode == "logfmt" and len(names) != 1:
                raise QuerySyntaxError(
                    "parse logfmt takes one field name after 'as' (the map whose keys you read as lf.level), "
                    "got %d" % len(names), self._text, names[1].start, names[-1].end)
            pattern = None
        elif pattern_token.type == "string":
            self._advance()
            mode = "glob"
            names = self._parse_names("pattern")
            stars = pattern_token.value.count("*")
            if stars != len(names):
                raise QuerySyntaxError(
                    "parse pattern has %d '*' but %d field names follow 'as'" % (stars, len(names)),
                    self._text, pattern_token.start, names[-1].end)
            pattern = pattern_token.value
        elif pattern_token.type == "regex":
            self._advance()
            mode = "regex"
            pattern = pattern_token.value
            if self._is_word(self._current, "as"):
                # "/(\d+\.\d+\.\d+\.\d+)/ as ip_addr multi": the names take the capture groups in order.
                names = self._parse_names("regex")
                groups = compile_regex(pattern, self._text, pattern_token.start, pattern_token.end).groups
                if groups != len(names):
                    raise QuerySyntaxError(
                        "parse regex has %d capture groups but %d field names follow 'as'" % (groups, len(names)),
                        self._text, pattern_token.start, names[-1].end)
                captures = list(range(1, groups + 1))
            else:
                group_names = _NAMED_GROUP_RE.findall(pattern)
                if not group_names:
                    raise self._error("parse regex has no named groups (?<name>...)", pattern_token)
                names = [_NameSpan(name, pattern_token.start, pattern_token.end) for name in group_names]
                captures = group_names
            if self._is_word(self._current, "multi"):
                multi = True
                self._advance()
        else:
            raise self._error("expected a glob string, /regex/, logfmt or csv to parse with, found %s" % (
                self._describe(pattern_token)), pattern_token)
        if mode != "regex" and self._is_word(self._current, "multi"):
            raise self._error("multi applies only to a /regex/ pattern (the multi-match mode of regex parse)",
                              self._current)
        end = self._tokens[self._index - 1].end
        if source is None:
            source = nodes.FieldRef("@message", keyword.start, keyword.end)
        return nodes.Parse(source, pattern, mode, [(t.value, t.start, t.end) for t in names], keyword.value,
                           keyword.start, end, pattern_token.start, pattern_token.end, captures, multi)

    def _parse_names(self, after):
        if not self._is_word(self._current, "as"):
            raise self._error("expected 'as' and field names after the parse %s, found %s" % (
                after, self._describe(self._current)), self._current)
        self._advance()
        names = [self._alias_token()]
        while self._current.type == "comma":
            self._advance()
            names.append(self._alias_token())
        return names

    def _command_json(self, keyword):
        # json field=fieldName "key.subkey" as alias (CWL_QuerySyntax-Parse, "JSON field extraction").
        if not self._is_word(self._current, "field") or self._lookahead().type != "eq":
            raise self._error("expected field=<field name> after json, found %s" % self._describe(self._current),
                              self._current)
        self._advance()
        self._advance()
        token = self._current
        if token.type not in ("name", "quoted_name"):
            raise self._error("expected a field name after 'field=', found %s" % self._describe(token), token)
        self._advance()
        source = nodes.FieldRef(token.value, token.start, token.end, token.type == "quoted_name")
        path = self._current
        if path.type != "string" or not path.value:
            raise self._error('expected the key to extract as a string ("key.subkey"), found %s' % (
                self._describe(path)), path)
        self._advance()
        if not self._is_word(self._current, "as"):
            raise self._error("expected 'as' and a field name after the json key, found %s" % (
                self._describe(self._current)), self._current)
        self._advance()
        target = self._alias_token()
        return nodes.JsonField(source, path.value, target.value, keyword.value, keyword.start, target.end,
                               target.start, target.end)

    def _command_source(self, keyword):
        function = self._current
        if not self._is_word(function, "loggroups"):
            raise self._error("expected logGroups(...) after SOURCE, found %s" % self._describe(function), function)
        self._advance()
        self._expect("lparen", "'(' after logGroups")
        selectors = {}
        while self._current.type != "rparen":
            key = self._expect("name", "a logGroups key (%s)" % ", ".join(SOURCE_KEYS))
            if key.value not in SOURCE_KEYS:
                raise self._error("unknown logGroups key %r; expected one of %s" % (
                    key.value, ", ".join(SOURCE_KEYS)), key)
            if key.value in selectors:
                raise self._error("logGroups key %r given twice" % key.value, key)
            self._expect("colon", "':' after %s" % key.value)
            opening = self._expect("lbracket", "'[' and a list of strings")
            values = self._nud_lbracket(opening)
            strings = [item.value for item in values.items]
            if not strings or not all(isinstance(v, str) for v in strings):
                raise self._error("%s takes a non-empty list of strings" % key.value, values)
            if len(strings) > SOURCE_KEYS[key.value]:
                raise self._error("%s takes at most %d values, got %d" % (
                    key.value, SOURCE_KEYS[key.value], len(strings)), values)
            selectors[key.value] = strings
            if self._current.type == "comma":
                self._advance()
            elif self._current.type != "rparen":
                raise self._error("expected ',' or ')' in logGroups(...), found %s" % (
                    self._describe(self._current)), self._current)
        closing = self._advance()
        if not selectors:
            raise self._error("logGroups() needs namePrefix, accountIdentifiers or class", closing)
        return nodes.Source(selectors, keyword.value, keyword.start, closing.end)

    def _command_unnest(self, keyword):
        token = self._current
        if token.type not in ("name", "quoted_name"):
            raise self._error("unnest takes a field name, found %s" % self._describe(token), token)
        self._advance()
        source = nodes.FieldRef(token.value, token.start, token.end, token.type == "quoted_name")
        if not self._is_word(self._current, "into"):
            raise self._error("expected 'into' and a field name after unnest %s, found %s" % (
                token.value, self._describe(self._current)), self._current)
        self._advance()
        target = self._alias_token()
        return nodes.Unnest(source, target.value, keyword.value, keyword.start, target.end, target.start, target.end)

    def _command_dedup(self, keyword):
        fields_ = [self._dedup_field()]
        while self._current.type == "comma":
            self._advance()
            fields_.append(self._dedup_field())
        return nodes.Dedup(fields_, keyword.value, keyword.start, fields_[-1].end)

    def _dedup_field(self):
        token = self._current
        if token.type not in ("name", "quoted_name") or self._kind(token) != token.type:
            raise self._error("dedup takes field names, found %s" % self._describe(token), token)
        self._advance()
        return nodes.FieldRef(token.value, token.start, token.end, token.type == "quoted_name")


def parse(text):
    """Parse a query into a :class:`nodes.Query`; raises :class:`QuerySyntaxError`."""
    return Parser().parse(text)
