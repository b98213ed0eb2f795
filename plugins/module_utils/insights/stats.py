# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Streaming group-by: compiles a ``stats`` command into per-group state updaters and final expressions."""

import operator

from . import nodes
from .compiler import ExpressionCompiler, Scope, _constant, aggregate_calls, check_arity
from .errors import QuerySyntaxError
from .functions import AGGREGATE_FUNCTIONS, nearest_rank_percentile
from .values import to_number


class CompiledStats:
    """Streaming group-by: ``add(row)`` folds a row into its group; ``rows()`` yields output rows."""

    def __init__(self, command, scope, query_text, context=None):
        compiler = ExpressionCompiler(query_text, scope, context=context)
        self.output_scope = Scope()
        self.command = command
        key_slots = [compiler.field_slot(group.expr) for group in command.groups]
        self.key_slots = key_slots  # read by the fast path (fastpath.py)
        if command.groups and all(slot is not None for slot in key_slots):
            # itemgetter is C code: a plain ``by a, b`` costs one call per row.
            self.key = operator.itemgetter(*key_slots)
        else:
            key_functions = [compiler.compile(group.expr) for group in command.groups]
            if not key_functions:
                self.key = _constant(())
            elif len(key_functions) == 1:
                self.key = key_functions[0]
            else:
                self.key = lambda row: tuple([function(row) for function in key_functions])
        self.key_count = len(command.groups)
        for group in command.groups:
            self.output_scope.define(group.name)
        for item in command.aggregates:
            self.output_scope.define(item.name)

        self.calls = []
        for item in command.aggregates:
            self.calls.extend(aggregate_calls(item.expr))
        timestamp = compiler.field_accessor("@timestamp")
        self.initials = []
        self.finishers = []
        updaters = []
        for index, call in enumerate(self.calls):
            spec = AGGREGATE_FUNCTIONS[call.name.lower()]
            check_arity(call, spec, query_text)
            for argument in call.args:
                if aggregate_calls(argument):
                    raise QuerySyntaxError("aggregate functions cannot be nested", query_text,
                                           argument.start, argument.end)
            self.initials.append(spec.initial)
            self.finishers.append(self._finisher(spec, call, query_text))
            updaters.append(self._updater(index, spec, call, compiler, timestamp))
        if len(updaters) == 1:
            self.update = updaters[0]
        else:
            def update_all(states, row):
                for updater in updaters:
                    updater(states, row)
            self.update = update_all

        # Final expressions see: keys, output columns (earlier aliases), then the raw aggregate values.
        final_scope = Scope(self.output_scope.names)
        width = final_scope.size
        aggregate_slots = {call: width + i for i, call in enumerate(self.calls)}
        final_compiler = ExpressionCompiler(query_text, final_scope, aggregate_slots, context)
        self.finals = []
        for position, item in enumerate(command.aggregates):
            self.finals.append((self.key_count + position, final_compiler.compile(item.expr)))
        self.width = width
        self.groups = {}

    def reset(self):
        self.groups = {}

    @staticmethod
    def _finisher(spec, call, query_text):
        if spec.name == "pct":
            percent = call.args[1]
            if not isinstance(percent, nodes.Literal) or to_number(percent.value) is None:
                raise QuerySyntaxError("the second argument of pct() must be a number", query_text,
                                       percent.start, percent.end)
            value = to_number(percent.value)
            return lambda values: nearest_rank_percentile(values, value)
        return spec.finish

    @staticmethod
    def _updater(index, spec, call, compiler, timestamp):
        counts_rows = spec.name == "count" and (not call.args or isinstance(call.args[0], nodes.Star))
        if counts_rows:
            def count_row(states, row):
                states[index] += 1
            return count_row
        slot = compiler.field_slot(call.args[0])
        argument = operator.itemgetter(slot) if slot is not None else compiler.compile(call.args[0])
        if spec.name == "sum":
            def add(states, row):
                value = argument(row)
                if value is not None:
                    if value.__class__ is str and value.isdecimal():
                        number = int(value)
                    else:
                        number = to_number(value)
                        if number is None:
                            return
                    total = states[index]
                    states[index] = number if total is None else total + number
            return add
        step = spec.step
        if spec.needs_timestamp:
            def step_with_time(states, row):
                value = argument(row)
                if value is not None:
                    states[index] = step(states[index], value, timestamp(row))
            return step_with_time

        def step_value(states, row):
            value = argument(row)
            if value is not None:
                states[index] = step(states[index], value, None)
        return step_value

    def add(self, row):
        key = self.key(row)
        states = self.groups.get(key)
        if states is None:
            states = self.groups[key] = [initial() for initial in self.initials]
        self.update(states, row)

    def rows(self):
        key_count = self.key_count
        for key, states in self.groups.items():
            if key_count == 1:
                row = [key]
            elif key_count == 0:
                row = []
            else:
                row = list(key)
            row.extend([None] * (self.width - key_count))
            row.extend([finish(state) for finish, state in zip(self.finishers, states)])
            for slot, final in self.finals:
                row[slot] = final(row)
            del row[self.width:]
            # Room for fields that later commands (fields, parse) define after this stats.
            extra = self.output_scope.size - self.width
            if extra:
                row.extend([None] * extra)
            yield row
