# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Lexer: query text -> tokens with character offsets.

``/`` is ambiguous (division or a regex literal); like the service's grammar we decide by what came before:
after an operand it divides, elsewhere (after ``like``, ``=~``, ``(``, ``parse [field]`` ...) it opens a regex.
"""

from .errors import QuerySyntaxError

MAX_QUERY_LENGTH = 10000

# Time units for durations such as ``5m``; multi-letter spellings may take a plural "s".
TIME_UNITS = {
    "ms": "ms", "msec": "ms", "millisecond": "ms",
    "s": "s", "sec": "s", "second": "s",
    "m": "m", "min": "m", "minute": "m",
    "h": "h", "hr": "h", "hour": "h",
    "d": "d", "day": "d",
    "w": "w", "week": "w",
    "mo": "mo", "mon": "mo", "month": "mo",
    "q": "q", "qtr": "q", "quarter": "q",
    "y": "y", "yr": "y", "year": "y",
}

SIMPLE_TOKENS = {
    "|": "pipe", ",": "comma", "(": "lparen", ")": "rparen", "[": "lbracket", "]": "rbracket",
    "+": "plus", "-": "minus", "*": "star", "%": "percent", "^": "caret", "=": "eq", ":": "colon",
}

# Token types after which an operand is complete, so ``/`` means division.
_OPERAND_END = frozenset(("number", "duration", "string", "regex", "rparen", "rbracket", "quoted_name"))
# Bare words after which ``/`` still opens a regex.
_REGEX_AFTER_WORDS = frozenset(("like", "in", "and", "or", "not", "filter", "parse", "fields", "display", "by", "as"))

_NAME_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_@")
_NAME_CHARS = _NAME_START | frozenset("0123456789.")
_DIGITS = frozenset("0123456789")
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


class Token:
    __slots__ = ("type", "value", "start", "end")

    def __init__(self, type_, value, start, end):
        self.type = type_
        self.value = value
        self.start = start
        self.end = end

    def __repr__(self):
        return "Token(%s, %r, %d)" % (self.type, self.value, self.start)


class Lexer:
    def tokenize(self, text):
        if len(text) > MAX_QUERY_LENGTH:
            raise QuerySyntaxError(
                "query is %d characters long; the limit is %d" % (len(text), MAX_QUERY_LENGTH),
                text, MAX_QUERY_LENGTH)
        self._text = text
        self._pos = 0
        tokens = []
        command_tokens = []  # tokens of the current command, to spot ``parse [field] /regex/``
        length = len(text)
        while True:
            self._skip_blanks_and_comments()
            if self._pos >= length:
                break
            char = text[self._pos]
            start = self._pos
            if char in _NAME_START:
                token = self._name()
            elif char in _DIGITS or (char == "." and self._peek(1) in _DIGITS):
                token = self._number()
            elif char == '"' or char == "'":
                token = self._string(char)
            elif char == "`":
                token = self._quoted_name()
            elif char == "/":
                if self._slash_is_division(tokens, command_tokens):
                    self._pos += 1
                    token = Token("slash", "/", start, self._pos)
                else:
                    token = self._regex()
            elif char == "=" and self._peek(1) == "~":
                self._pos += 2
                token = Token("match", "=~", start, self._pos)
            elif char in "<>!":
                token = self._comparison(char)
            elif char in SIMPLE_TOKENS:
                self._pos += 1
                token = Token(SIMPLE_TOKENS[char], char, start, self._pos)
            else:
                raise QuerySyntaxError("unexpected character %r" % char, text, start)
            tokens.append(token)
            if token.type == "pipe":
                command_tokens = []
            else:
                command_tokens.append(token)
        tokens.append(Token("eof", "", length, length))
        return tokens

    def _peek(self, ahead):
        index = self._pos + ahead
        return self._text[index] if index < len(self._text) else ""

    def _skip_blanks_and_comments(self):
        text = self._text
        length = len(text)
        while self._pos < length:
            char = text[self._pos]
            if char.isspace():
                self._pos += 1
            elif char == "#":
                newline = text.find("\n", self._pos)
                self._pos = length if newline < 0 else newline + 1
            else:
                return

    @staticmethod
    def _slash_is_division(tokens, command_tokens):
        if not tokens:
            return False
        if command_tokens and command_tokens[0].type == "name" and command_tokens[0].value.lower() == "parse":
            if len(command_tokens) == 1 or (
                    len(command_tokens) == 2 and command_tokens[1].type in ("name", "quoted_name")):
                return False
        previous = tokens[-1]
        if previous.type in _OPERAND_END:
            return True
        return previous.type == "name" and previous.value.lower() not in _REGEX_AFTER_WORDS

    def _name(self):
        """A field or word. A name may carry a path into a map or list: ``a.b``, ``a[0].b``, ``a.`x.y```.

        (CWL_QuerySyntax-operations-functions, "Structure types": dot access, bracket access, backquoted keys.)
        """
        text = self._text
        start = self._pos
        end = start + 1
        length = len(text)
        while end < length:
            char = text[end]
            if char in _NAME_CHARS:
                end += 1
            elif char == "[" and text[start:end].lower() != "in":
                close = text.find("]", end)
                if close < 0 or not text[end + 1:close].isdigit():
                    break
                end = close + 1
            elif char == "`" and text[end - 1] == ".":
                close = text.find("`", end + 1)
                if close < 0:
                    raise QuerySyntaxError("unterminated backtick name", text, end, length)
                end = close + 1
            else:
                break
        self._pos = end
        return Token("name", text[start:end], start, end)

    def _number(self):
        text = self._text
        start = self._pos
        end = start
        while end < len(text) and text[end] in _DIGITS:
            end += 1
        if end < len(text) and text[end] == "." and end + 1 < len(text) and text[end + 1] in _DIGITS:
            end += 1
            while end < len(text) and text[end] in _DIGITS:
                end += 1
        literal = text[start:end]
        value = float(literal) if "." in literal else int(literal)
        unit_end = end
        while unit_end < len(text) and text[unit_end] in _LETTERS:
            unit_end += 1
        self._pos = unit_end
        if unit_end == end:
            return Token("number", value, start, end)
        unit = text[end:unit_end].lower()
        canonical = TIME_UNITS.get(unit)
        if canonical is None and unit.endswith("s") and len(unit) > 2:
            canonical = TIME_UNITS.get(unit[:-1])
        if canonical is None:
            raise QuerySyntaxError(
                "unknown time unit %r in %r" % (text[end:unit_end], text[start:unit_end]), text, end, unit_end)
        return Token("duration", (value, canonical), start, unit_end)

    def _string(self, quote):
        # Escapes are undocumented; we let a backslash protect the next character (so \" and \\ work).
        text = self._text
        start = self._pos
        pos = start + 1
        chars = []
        while pos < len(text):
            char = text[pos]
            if char == "\\" and pos + 1 < len(text) and text[pos + 1] in (quote, "\\"):
                chars.append(text[pos + 1])
                pos += 2
                continue
            if char == quote:
                self._pos = pos + 1
                return Token("string", "".join(chars), start, self._pos)
            chars.append(char)
            pos += 1
        raise QuerySyntaxError("unterminated string", text, start, len(text))

    def _quoted_name(self):
        text = self._text
        start = self._pos
        end = text.find("`", start + 1)
        if end < 0:
            raise QuerySyntaxError("unterminated backtick name", text, start, len(text))
        if end == start + 1:
            raise QuerySyntaxError("empty backtick name", text, start, end + 1)
        self._pos = end + 1
        return Token("quoted_name", text[start + 1:end], start, self._pos)

    def _regex(self):
        text = self._text
        start = self._pos
        pos = start + 1
        chars = []
        while pos < len(text):
            char = text[pos]
            if char == "\\" and pos + 1 < len(text) and text[pos + 1] == "/":
                chars.append("/")
                pos += 2
                continue
            if char == "\\" and pos + 1 < len(text):
                chars.append(text[pos:pos + 2])
                pos += 2
                continue
            if char == "/":
                self._pos = pos + 1
                return Token("regex", "".join(chars), start, self._pos)
            chars.append(char)
            pos += 1
        raise QuerySyntaxError("unterminated regular expression", text, start, len(text))

    def _comparison(self, char):
        start = self._pos
        if self._peek(1) == "=":
            self._pos += 2
            return Token({"<": "lte", ">": "gte", "!": "ne"}[char], char + "=", start, self._pos)
        if char == "!":
            raise QuerySyntaxError("unexpected '!'; use '!=' or 'not'", self._text, start)
        self._pos += 1
        return Token({"<": "lt", ">": "gt"}[char], char, start, self._pos)


def tokenize(text):
    return Lexer().tokenize(text)
