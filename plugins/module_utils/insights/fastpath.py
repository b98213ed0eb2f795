# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An accelerator for the commonest flow-log query shape: ``stats`` of ``sum(f)`` / ``count(*)`` / ``count(f)``
``by`` discovered flow-log fields, with nothing before the stats (top talkers, bytes per ENI, ...).

It replaces only the scan: it splits each default-format record and folds it straight into the very same
per-group state lists that ``CompiledStats.add`` would build (same keys, same insertion order, same number
types), so everything after the scan (the stats' final expressions, sort, limit, rendering) is the pure engine's
own code. tests/unit/plugins/module_utils/insights/test_fastpath.py checks the answers are byte-for-byte equal
to the pure engine's, which stays the reference.
"""

import itertools
import operator

from . import nodes
from .flowlogs import FLOW_LOG_V2_FIELDS
from .jsonfields import flatten_json_message
from .values import to_number

_WIDTH = len(FLOW_LOG_V2_FIELDS)
_SPACES = _WIDTH - 1


def _call_plan(stats):
    """[(kind, slot)] for the stats' aggregate calls, kind "sum", "rows" or "present"; None if unsupported."""
    plan = []
    for call in stats.calls:
        name = call.name.lower()
        args = call.args
        if name == "count" and (not args or isinstance(args[0], nodes.Star)):
            plan.append(("rows", None))
            continue
        if len(args) != 1 or not isinstance(args[0], nodes.FieldRef) or name not in ("sum", "count"):
            return None
        slot = stats_slot(stats, args[0].name)
        if slot is None:
            return None
        plan.append(("sum" if name == "sum" else "present", slot))
    return plan


def stats_slot(_stats, name):
    return FLOW_LOG_V2_FIELDS.index(name) if name in FLOW_LOG_V2_FIELDS else None


def grouped_flow_log_scan(stats):
    """A scan function ``(events, start_time, end_time) -> counters`` for this stats, or None if its shape
    is not one the accelerator knows."""
    if not stats.command.groups or any(slot is None or slot >= _WIDTH for slot in stats.key_slots):
        return None
    plan = _call_plan(stats)
    if plan is None:
        return None
    key_of = operator.itemgetter(*stats.key_slots)
    blank_key = key_of([None] * _WIDTH)
    initials = stats.initials
    groups = stats.groups
    used = list(stats.key_slots) + [slot for _kind, slot in plan if slot is not None]
    split_at = max(used) + 1 if max(used) + 1 < _SPACES else _WIDTH
    single_sum = len(plan) == 1 and plan[0][0] == "sum"
    sum_slot = plan[0][1]

    def fold(batches):
        """Fold lists of messages (already inside the time range) into the groups; returns the counters."""
        scanned = byte_count = 0
        get = groups.get
        for batch in batches:
            scanned += len(batch)
            # The UTF-8 size of the batch is the sum of its messages' sizes.
            joined = "".join(batch)
            byte_count += len(joined) if joined.isascii() else len(joined.encode("utf-8"))
            del joined
            fold_batch(batch, get)
        return scanned, scanned, byte_count

    def fold_batch(batch, get):
        if single_sum:
            fold_single_sum(batch, get)
        else:
            fold_general(batch, get)

    def fold_general(batch, get):
        for message in batch:
            # Exactly 14 tokens, the first "2" (as engine._scan tests it), split only as far as the
            # last field this stats reads.
            if message.count(" ") == _SPACES and message[:2] == "2 ":
                tokens = message.split(" ", split_at)
                if not message.endswith(" OK"):
                    tokens = [None if t == "-" else t for t in tokens]
                key = key_of(tokens)
            elif message[:1] == "{":
                # JSON events discover their own fields, as in engine._scan.
                flat = flatten_json_message(message)
                tokens = [flat.get(name) for name in FLOW_LOG_V2_FIELDS]
                key = key_of(tokens)
            else:
                tokens = None
                key = blank_key
            states = get(key)
            if states is None:
                states = groups[key] = [initial() for initial in initials]
            if single_sum:
                if tokens is None:
                    continue
                value = tokens[sum_slot]
                if value is None:
                    continue
                number = int(value) if value.isdecimal() else to_number(value)
                if number is not None:
                    total = states[0]
                    states[0] = number if total is None else total + number
                continue
            for index, (kind, slot) in enumerate(plan):
                if kind == "rows":
                    states[index] += 1
                    continue
                value = None if tokens is None else tokens[slot]
                if value is None:
                    continue
                if kind == "present":
                    states[index] += 1
                    continue
                number = int(value) if value.isdecimal() else to_number(value)
                if number is not None:
                    total = states[index]
                    states[index] = number if total is None else total + number

    def fold_single_sum(batch, get):
        # The top-talkers shape: one sum. An OK record takes the short branch; every other message goes
        # through the general fold, so both share one group dict (and its first-seen order).
        split = str.split
        for message in batch:
            tokens = split(message, " ", _WIDTH)
            if len(tokens) == _WIDTH and tokens[0] == "2" and tokens[_SPACES] == "OK":
                key = key_of(tokens)
                value = tokens[sum_slot]
                number = int(value) if value.isdecimal() else to_number(value)
                states = get(key)
                if states is None:
                    states = groups[key] = [None]
                if number is not None:
                    total = states[0]
                    states[0] = number if total is None else total + number
            else:
                fold_general((message,), get)

    def scan(events, start_time, end_time, timestamp_of=None):
        """``events``: event dicts, or with ``timestamp_of`` (message -> epoch ms) lists of bare messages."""
        low = None if start_time is None else int(start_time) * 1000
        # end_time is inclusive to the whole second, as in engine._scan.
        high = None if end_time is None else int(end_time) * 1000 + 999
        bounded = low is not None or high is not None
        if timestamp_of is not None:
            batches = events
            if bounded:
                batches = ([m for m in batch if _inside(timestamp_of(m), low, high)] for batch in batches)
        else:
            batches = _batches(events, low, high, bounded)
        return fold(batches)
    return scan


def _batches(events, low, high, bounded, size=4096):
    iterator = iter(events)
    while True:
        batch = list(itertools.islice(iterator, size))
        if not batch:
            return
        if bounded:
            yield [event["message"] for event in batch if _inside(event["timestamp"], low, high)]
        else:
            yield [event["message"] for event in batch]


def _inside(timestamp, low, high):
    return (low is None or timestamp >= low) and (high is None or timestamp <= high)
