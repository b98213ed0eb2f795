# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Expressions by Pratt parsing (the token cursor the command parser shares, the binding powers, nud/led).

Precedence is not documented by AWS; the table follows the tree-sitter grammar and adds ``not`` and unary minus:
``or`` < ``and`` < ``not`` < comparisons/like/in/=~ < ``+ -`` < ``* / %`` < unary ``-`` < ``^`` (right-assoc).
"""

from . import nodes
from .errors import QuerySyntaxError

# Left binding power of a token in infix position; anything absent ends the expression.
BINDING_POWER = {
    "or": 10,
    "and": 20,
    "eq": 40, "ne": 40, "lt": 40, "lte": 40, "gt": 40, "gte": 40,
    "like": 40, "in": 40, "match": 40, "not": 40,  # infix ``not`` starts ``not like`` / ``not in``
    "plus": 50, "minus": 50,
    "star": 60, "slash": 60, "percent": 60,
    "caret": 80,
}
# Binding power that prefix operators parse their operand with.
PREFIX_BINDING_POWER = {"not": 30, "minus": 70}
# Words that act as operators; a field with such a name needs backticks.
OPERATOR_WORDS = frozenset(("and", "or", "not", "like", "in"))

COMPARISON_OPS = {"eq": "=", "ne": "!=", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}
ARITHMETIC_OPS = {"plus": "+", "minus": "-", "star": "*", "slash": "/", "percent": "%", "caret": "^"}
BOOLEAN_WORDS = {"true": True, "false": False}


class ExpressionParser:
    """The token cursor and the Pratt parser for expressions; parser.Parser adds the commands."""

    # -- token helpers -------------------------------------------------------------------------------------------

    @property
    def _current(self):
        return self._tokens[self._index]

    def _lookahead(self, ahead=1):
        return self._tokens[min(self._index + ahead, len(self._tokens) - 1)]

    def _advance(self):
        token = self._tokens[self._index]
        if token.type != "eof":
            self._index += 1
        return token

    @staticmethod
    def _kind(token):
        if token.type == "name":
            word = token.value.lower()
            if word in OPERATOR_WORDS:
                return word
        return token.type

    def _is_word(self, token, *words):
        return token.type == "name" and token.value.lower() in words

    def _expect(self, type_, what):
        token = self._current
        if token.type != type_:
            raise self._error("expected %s, found %s" % (what, self._describe(token)), token)
        return self._advance()

    def _error(self, message, token):
        return QuerySyntaxError(message, self._text, token.start, token.end)

    @staticmethod
    def _describe(token):
        if token.type == "eof":
            return "end of query"
        if token.type == "string":
            return "string %r" % token.value
        if token.type == "regex":
            return "regex /%s/" % token.value
        return repr(token.value) if not isinstance(token.value, tuple) else repr(token.value[0])

    def _source(self, start, end):
        return self._text[start:end]

    # -- expressions (Pratt) -------------------------------------------------------------------------------------

    def _expression(self, binding_power=0):
        token = self._advance()
        left = self._nud(token)
        while binding_power < BINDING_POWER.get(self._kind(self._current), 0):
            token = self._advance()
            left = self._led(token, left)
        return left

    def _nud(self, token):
        kind = self._kind(token)
        handler = getattr(self, "_nud_" + kind, None)
        if handler is None:
            raise self._error("expected an expression, found %s" % self._describe(token), token)
        return handler(token)

    def _led(self, token, left):
        return getattr(self, "_led_" + self._kind(token))(token, left)

    def _nud_number(self, token):
        return nodes.Literal(token.value, token.start, token.end)

    def _nud_string(self, token):
        return nodes.Literal(token.value, token.start, token.end)

    def _nud_regex(self, token):
        return nodes.Regex(token.value, token.start, token.end)

    def _nud_duration(self, token):
        amount, unit = token.value
        return nodes.Duration(amount, unit, token.start, token.end)

    def _nud_quoted_name(self, token):
        return nodes.FieldRef(token.value, token.start, token.end, quoted=True)

    def _nud_name(self, token):
        if self._current.type == "lparen":
            return self._call(token)
        boolean = BOOLEAN_WORDS.get(token.value.lower())
        if boolean is not None:
            # Boolean literals, e.g. strcontains("Hello", "ELL", true) (CWL_QuerySyntax-operations-functions).
            return nodes.Literal(boolean, token.start, token.end)
        return nodes.FieldRef(token.value, token.start, token.end)

    def _nud_star(self, token):
        # Only meaningful as ``count(*)``; the compiler rejects it elsewhere.
        return nodes.Star(token.start, token.end)

    def _nud_lparen(self, token):
        inner = self._expression()
        closing = self._expect("rparen", "')'")
        # Widen the span so the column name of ``(a+b)`` keeps its parentheses.
        inner.start, inner.end = token.start, closing.end
        return inner

    def _nud_lbracket(self, token):
        items = []
        if self._current.type != "rbracket":
            items.append(self._list_item())
            while self._current.type == "comma":
                self._advance()
                items.append(self._list_item())
        closing = self._expect("rbracket", "']'")
        return nodes.ListLiteral(items, token.start, closing.end)

    def _list_item(self):
        token = self._current
        if token.type == "minus" and self._lookahead().type == "number":
            self._advance()
            number = self._advance()
            return nodes.Literal(-number.value, token.start, number.end)
        if token.type in ("number", "string"):
            self._advance()
            return nodes.Literal(token.value, token.start, token.end)
        raise self._error("list items must be numbers or strings, found %s" % self._describe(token), token)

    def _nud_minus(self, token):
        operand = self._expression(PREFIX_BINDING_POWER["minus"])
        if isinstance(operand, nodes.Literal) and not isinstance(operand.value, str):
            return nodes.Literal(-operand.value, token.start, operand.end)
        return nodes.Unary("-", operand, token.start, operand.end)

    def _nud_not(self, token):
        operand = self._expression(PREFIX_BINDING_POWER["not"])
        return nodes.Unary("not", operand, token.start, operand.end)

    def _call(self, name_token):
        self._advance()  # (
        args = []
        if self._current.type != "rparen":
            args.append(self._expression())
            while self._current.type == "comma":
                self._advance()
                args.append(self._expression())
        closing = self._expect("rparen", "',' or ')' in the argument list of %s()" % name_token.value)
        return nodes.Call(name_token.value, args, name_token.start, closing.end, name_token.end)

    def _led_binary(self, token, left, op, right_power):
        right = self._expression(right_power)
        return nodes.Binary(op, left, right, left.start, right.end)

    def _led_or(self, token, left):
        return self._led_binary(token, left, "or", BINDING_POWER["or"])

    def _led_and(self, token, left):
        return self._led_binary(token, left, "and", BINDING_POWER["and"])

    def _led_comparison(self, token, left):
        return self._led_binary(token, left, COMPARISON_OPS[token.type], BINDING_POWER[token.type])

    _led_eq = _led_ne = _led_lt = _led_lte = _led_gt = _led_gte = _led_comparison

    def _led_arithmetic(self, token, left):
        power = BINDING_POWER[token.type]
        if token.type == "caret":
            power -= 1  # right-associative: 2 ^ 3 ^ 2 = 2 ^ 9
        return self._led_binary(token, left, ARITHMETIC_OPS[token.type], power)

    _led_plus = _led_minus = _led_star = _led_slash = _led_percent = _led_caret = _led_arithmetic

    def _led_like(self, token, left, negated=False):
        pattern = self._like_pattern(token)
        return nodes.Like(left, pattern, negated, "like", left.start, pattern.end)

    def _led_match(self, token, left):
        pattern = self._like_pattern(token)
        return nodes.Like(left, pattern, False, "=~", left.start, pattern.end)

    def _like_pattern(self, operator):
        token = self._current
        if token.type == "string":
            self._advance()
            return nodes.Literal(token.value, token.start, token.end)
        if token.type == "regex":
            self._advance()
            return nodes.Regex(token.value, token.start, token.end)
        raise self._error("expected a string or /regex/ after %r, found %s" % (
            operator.value, self._describe(token)), token)

    def _led_in(self, token, left, negated=False):
        opening = self._current
        if opening.type != "lbracket":
            raise self._error("expected '[' after %r, found %s" % (token.value, self._describe(opening)), opening)
        self._advance()
        items = self._nud_lbracket(opening)
        return nodes.In(left, items, negated, left.start, items.end)

    def _led_not(self, token, left):
        following = self._current
        kind = self._kind(following)
        if kind == "like":
            self._advance()
            return self._led_like(following, left, negated=True)
        if kind == "in":
            self._advance()
            return self._led_in(following, left, negated=True)
        raise self._error("expected 'like' or 'in' after 'not', found %s" % self._describe(following), following)
