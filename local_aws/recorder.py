"""An API-call recorder: every AWS call the local AWS receives, who made it and what it was.

Tests use it to count calls per operation and to prove that check mode makes no mutating
call. It sits in front of moto as WSGI middleware, so calls made by modules running in
``ansible-playbook`` subprocesses are seen too.
"""

import collections
import threading
import time

# Operations that read, by AWS's naming convention; everything else is a mutation unless listed.
READ_PREFIXES = ("Describe", "List", "Get", "Filter", "Lookup", "Test", "Search", "Simulate")
NON_MUTATING = frozenset(("AssumeRole", "StartQuery", "StopQuery", "GetQueryResults"))

Call = collections.namedtuple("Call", "service operation region account access_key status at")


def is_mutating(operation):
    return not operation.startswith(READ_PREFIXES) and operation not in NON_MUTATING


class CallRecorder:
    """Thread-safe list of Calls with the counting helpers tests want."""

    def __init__(self):
        self._calls = []
        self._lock = threading.Lock()

    def record(self, service, operation, region, account, access_key, status):
        call = Call(service, operation, region, account, access_key, status, time.time())
        with self._lock:
            self._calls.append(call)
        return call

    def clear(self):
        with self._lock:
            del self._calls[:]

    def calls(self, service=None, account=None, region=None, since=0):
        with self._lock:
            snapshot = list(self._calls[since:])
        return [c for c in snapshot
                if (service is None or c.service == service)
                and (account is None or c.account == account)
                and (region is None or c.region == region)]

    def mark(self):
        """A position to count from: ``recorder.calls(since=mark)``."""
        with self._lock:
            return len(self._calls)

    def operations(self, **filters):
        """Counter of operation name -> number of calls."""
        return collections.Counter(c.operation for c in self.calls(**filters))

    def mutating(self, **filters):
        return [c for c in self.calls(**filters) if is_mutating(c.operation)]

    def as_json(self, since=0):
        return [c._asdict() for c in self.calls(since=since)]
