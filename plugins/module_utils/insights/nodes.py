# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""AST node classes. Every node keeps its source span so errors, lint and column names can quote it."""


class Node:
    __slots__ = ("start", "end")
    fields = ()

    def children(self):
        return ()

    def __eq__(self, other):
        return type(self) is type(other) and all(
            getattr(self, name) == getattr(other, name) for name in self.fields)

    def __hash__(self):
        return id(self)

    def __repr__(self):
        return "%s(%s)" % (type(self).__name__, ", ".join("%s=%r" % (n, getattr(self, n)) for n in self.fields))


def walk(node):
    """Yield ``node`` and every node below it, parents first."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(list(current.children())))


# -- expressions -------------------------------------------------------------------------------------------------


class Literal(Node):
    """A number or string constant."""

    __slots__ = ("value",)
    fields = ("value",)

    def __init__(self, value, start, end):
        self.value, self.start, self.end = value, start, end


class Duration(Node):
    """A time period such as ``5m``: ``amount`` of canonical ``unit`` (ms, s, m, h, d, w, mo, q, y)."""

    __slots__ = ("amount", "unit")
    fields = ("amount", "unit")

    def __init__(self, amount, unit, start, end):
        self.amount, self.unit, self.start, self.end = amount, unit, start, end


class Regex(Node):
    __slots__ = ("pattern",)
    fields = ("pattern",)

    def __init__(self, pattern, start, end):
        self.pattern, self.start, self.end = pattern, start, end


class ListLiteral(Node):
    __slots__ = ("items",)
    fields = ("items",)

    def __init__(self, items, start, end):
        self.items, self.start, self.end = items, start, end

    def children(self):
        return self.items


class FieldRef(Node):
    """A field name; ``quoted`` when written in backticks."""

    __slots__ = ("name", "quoted")
    fields = ("name",)

    def __init__(self, name, start, end, quoted=False):
        self.name, self.start, self.end, self.quoted = name, start, end, quoted


class Star(Node):
    """The ``*`` of ``count(*)``."""

    __slots__ = ()

    def __init__(self, start, end):
        self.start, self.end = start, end


class Unary(Node):
    """``-x`` or ``not x``."""

    __slots__ = ("op", "operand")
    fields = ("op", "operand")

    def __init__(self, op, operand, start, end):
        self.op, self.operand, self.start, self.end = op, operand, start, end

    def children(self):
        return (self.operand,)


class Binary(Node):
    """Arithmetic (``+ - * / % ^``), comparison (``= != < <= > >=``) or logic (``and or``)."""

    __slots__ = ("op", "left", "right")
    fields = ("op", "left", "right")

    def __init__(self, op, left, right, start, end):
        self.op, self.left, self.right, self.start, self.end = op, left, right, start, end

    def children(self):
        return (self.left, self.right)


class Like(Node):
    """``x like "sub"``, ``x like /re/``, ``x =~ /re/`` and their ``not`` forms."""

    __slots__ = ("operand", "pattern", "negated", "op")
    fields = ("operand", "pattern", "negated", "op")

    def __init__(self, operand, pattern, negated, op, start, end):
        self.operand, self.pattern, self.negated, self.op = operand, pattern, negated, op
        self.start, self.end = start, end

    def children(self):
        return (self.operand, self.pattern)


class In(Node):
    __slots__ = ("operand", "items", "negated")
    fields = ("operand", "items", "negated")

    def __init__(self, operand, items, negated, start, end):
        self.operand, self.items, self.negated, self.start, self.end = operand, items, negated, start, end

    def children(self):
        return (self.operand, self.items)


class Call(Node):
    """A function call; ``name`` as written (lookup is case-insensitive)."""

    __slots__ = ("name", "args", "name_end")
    fields = ("name", "args")

    def __init__(self, name, args, start, end, name_end):
        self.name, self.args, self.start, self.end, self.name_end = name, args, start, end, name_end

    def children(self):
        return self.args


# -- commands ----------------------------------------------------------------------------------------------------


class Projection(Node):
    """``expr [as alias]`` in fields, display and stats; ``text`` is the expression's source text."""

    __slots__ = ("expr", "alias", "text", "alias_start")
    fields = ("expr", "alias")

    def __init__(self, expr, alias, text, start, end, alias_start=None):
        self.expr, self.alias, self.text, self.start, self.end = expr, alias, text, start, end
        self.alias_start = alias_start

    @property
    def name(self):
        """The output column name: the alias, the field name, or the expression's text."""
        if self.alias is not None:
            return self.alias
        if isinstance(self.expr, FieldRef):
            return self.expr.name
        return self.text

    def children(self):
        return (self.expr,)


class Command(Node):
    __slots__ = ("keyword",)
    name = None


class Fields(Command):
    __slots__ = ("items",)
    fields = ("items",)
    name = "fields"

    def __init__(self, items, keyword, start, end):
        self.items, self.keyword, self.start, self.end = items, keyword, start, end

    def children(self):
        return self.items


class Display(Fields):
    __slots__ = ()
    name = "display"


class Filter(Command):
    __slots__ = ("condition",)
    fields = ("condition",)
    name = "filter"

    def __init__(self, condition, keyword, start, end):
        self.condition, self.keyword, self.start, self.end = condition, keyword, start, end

    def children(self):
        return (self.condition,)


class Stats(Command):
    __slots__ = ("aggregates", "groups")
    fields = ("aggregates", "groups")
    name = "stats"

    def __init__(self, aggregates, groups, keyword, start, end):
        self.aggregates, self.groups, self.keyword, self.start, self.end = aggregates, groups, keyword, start, end

    def children(self):
        return tuple(self.aggregates) + tuple(self.groups)


class SortKey(Node):
    __slots__ = ("expr", "descending", "text")
    fields = ("expr", "descending")

    def __init__(self, expr, descending, text, start, end):
        self.expr, self.descending, self.text, self.start, self.end = expr, descending, text, start, end

    def children(self):
        return (self.expr,)


class Sort(Command):
    __slots__ = ("keys",)
    fields = ("keys",)
    name = "sort"

    def __init__(self, keys, keyword, start, end):
        self.keys, self.keyword, self.start, self.end = keys, keyword, start, end

    def children(self):
        return self.keys


class Limit(Command):
    __slots__ = ("count", "any")
    fields = ("count", "any")
    name = "limit"

    def __init__(self, count, any_, keyword, start, end):
        self.count, self.any, self.keyword, self.start, self.end = count, any_, keyword, start, end


class Parse(Command):
    """``parse [source] <pattern>`` in one of the four modes of CWL_QuerySyntax-Parse.

    ``mode``: "glob" (``"a=*" as a``), "regex" (``/(?<a>..)/``, or ``/(..)/ as a``), "logfmt" (``logfmt as lf``:
    one map) or "csv" (``csv as a, b``). ``names`` are the new fields as (name, start, end); ``captures`` the regex
    group (a name or a 1-based number) each name takes; ``multi``: one row per regex match (multi-match mode).
    """

    __slots__ = ("source", "pattern", "mode", "names", "captures", "multi", "pattern_start", "pattern_end")
    fields = ("source", "pattern", "mode", "names", "captures", "multi")
    name = "parse"

    def __init__(self, source, pattern, mode, names, keyword, start, end, pattern_start, pattern_end,
                 captures=None, multi=False):
        self.source, self.pattern, self.mode, self.names = source, pattern, mode, names
        self.captures, self.multi = captures, multi
        self.keyword, self.start, self.end = keyword, start, end
        self.pattern_start, self.pattern_end = pattern_start, pattern_end

    @property
    def is_regex(self):
        return self.mode == "regex"

    def children(self):
        return (self.source,)


class Dedup(Command):
    __slots__ = ("fields_",)
    fields = ("fields_",)
    name = "dedup"

    def __init__(self, fields_, keyword, start, end):
        self.fields_, self.keyword, self.start, self.end = fields_, keyword, start, end

    def children(self):
        return self.fields_


class Query(Node):
    __slots__ = ("commands", "text")
    fields = ("commands",)

    def __init__(self, commands, text):
        self.commands, self.text, self.start, self.end = commands, text, 0, len(text)

    def children(self):
        return self.commands


class Source(Command):
    """``SOURCE logGroups(namePrefix: [...], accountIdentifiers: [...], class: [...])`` (CWL_QuerySyntax-Source).

    ``selectors`` maps each given key to its list of strings.
    """

    __slots__ = ("selectors",)
    fields = ("selectors",)
    name = "source"

    def __init__(self, selectors, keyword, start, end):
        self.selectors, self.keyword, self.start, self.end = selectors, keyword, start, end

    def matches(self, log_group, account_id=None, log_class=None):
        """True if a log group (name, its account and class when known) is selected."""
        prefixes = self.selectors.get("namePrefix")
        if prefixes and not any(log_group.startswith(prefix) for prefix in prefixes):
            return False
        accounts = self.selectors.get("accountIdentifiers")
        if accounts and account_id is not None and account_id not in accounts:
            return False
        classes = self.selectors.get("class")
        return not (classes and log_class is not None and log_class not in classes)


class Unnest(Command):
    """``unnest field into name``: one row per element of a list (CWL_QuerySyntax-Unnest)."""

    __slots__ = ("source", "target", "target_start", "target_end")
    fields = ("source", "target")
    name = "unnest"

    def __init__(self, source, target, keyword, start, end, target_start, target_end):
        self.source, self.target, self.keyword, self.start, self.end = source, target, keyword, start, end
        self.target_start, self.target_end = target_start, target_end

    def children(self):
        return (self.source,)


class JsonField(Command):
    """``json field=f "key.subkey" as a``: a nested key of a structured field (CWL_QuerySyntax-Parse, "JSON field
    extraction"); ``path`` is the key as written."""

    __slots__ = ("source", "path", "target", "target_start", "target_end")
    fields = ("source", "path", "target")
    name = "json"

    def __init__(self, source, path, target, keyword, start, end, target_start, target_end):
        self.source, self.path, self.target = source, path, target
        self.keyword, self.start, self.end = keyword, start, end
        self.target_start, self.target_end = target_start, target_end

    def children(self):
        return (self.source,)
