"""Fault injection for the local AWS: throttling, 500s, latency and chosen AWS errors.

A rule matches calls by service and operation (shell-style patterns) and, optionally,
account; it fires with a probability (``rate``), at most ``count`` times, and only within
``duration`` seconds of the first matching call. Error bodies are shaped per protocol exactly
as AWS sends them (EC2 and IAM/STS XML, JSON for CloudWatch Logs and Organizations), so
botocore parses codes and retries as it does against AWS.
"""

import fnmatch
import json
import random
import threading
import time
import uuid

# The code each service uses for "slow down" (what botocore's retry modes recognise).
THROTTLE_CODES = {
    "ec2": ("RequestLimitExceeded", 503),
    "iam": ("Throttling", 400),
    "sts": ("Throttling", 400),
    "logs": ("ThrottlingException", 400),
    "organizations": ("TooManyRequestsException", 400),
}
JSON_SERVICES = ("logs", "organizations")


class FaultRule:
    def __init__(self, kind="throttle", operation="*", service="*", rate=1.0, count=None, duration=None,
                 account=None, code=None, message=None, status=None, latency=0.0):
        if kind not in ("throttle", "error", "server_error", "latency"):
            raise ValueError("unknown fault kind {0!r}".format(kind))
        self.kind = kind
        self.operation = operation
        self.service = service
        self.rate = float(rate)
        self.count = count
        self.duration = duration
        self.account = account
        self.code = code
        self.message = message
        self.status = status
        self.latency = float(latency)
        self.first_seen = None
        self.fired = 0

    def matches(self, service, operation, account):
        return (fnmatch.fnmatchcase(service, self.service) and fnmatch.fnmatchcase(operation, self.operation)
                and (self.account is None or self.account == account))

    def to_dict(self):
        return dict(kind=self.kind, operation=self.operation, service=self.service, rate=self.rate,
                    count=self.count, duration=self.duration, account=self.account, code=self.code,
                    message=self.message, status=self.status, latency=self.latency, fired=self.fired)


class FaultInjector:
    def __init__(self, seed=1234):
        self._rules = []
        self._lock = threading.Lock()
        self._random = random.Random(seed)

    def add(self, **kwargs):
        rule = FaultRule(**kwargs)
        with self._lock:
            self._rules.append(rule)
        return rule

    def clear(self):
        with self._lock:
            self._rules = []

    @property
    def rules(self):
        return list(self._rules)

    def decide(self, service, operation, account):
        """The error response (status, headers, body) to send instead of moto's, or None.

        Latency rules sleep here and let the call through.
        """
        now = time.time()
        with self._lock:
            chosen = []
            for rule in self._rules:
                if not rule.matches(service, operation, account):
                    continue
                if rule.first_seen is None:
                    rule.first_seen = now
                if rule.duration is not None and now - rule.first_seen > rule.duration:
                    continue
                if rule.count is not None and rule.fired >= rule.count:
                    continue
                if self._random.random() >= rule.rate:
                    continue
                rule.fired += 1
                chosen.append(rule)
        for rule in chosen:
            if rule.kind == "latency":
                time.sleep(rule.latency)
                continue
            return error_response(service, *self._error_for(rule, service))
        return None

    @staticmethod
    def _error_for(rule, service):
        if rule.kind == "throttle":
            code, status = THROTTLE_CODES.get(service, ("Throttling", 400))
            return code, rule.message or "Rate exceeded", rule.status or status
        if rule.kind == "server_error":
            return rule.code or "InternalError", rule.message or "We encountered an internal error.", rule.status or 500
        return rule.code or "InvalidParameter", rule.message or "Injected error", rule.status or 400


def error_response(service, code, message, status):
    request_id = str(uuid.uuid4())
    if service in JSON_SERVICES:
        body = json.dumps({"__type": code, "message": message})
        headers = [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", request_id)]
    elif service == "ec2":
        body = ('<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>{0}</Code>'
                '<Message>{1}</Message></Error></Errors><RequestID>{2}</RequestID></Response>').format(
                    code, _xml_escape(message), request_id)
        headers = [("Content-Type", "text/xml")]
    else:
        body = ('<ErrorResponse><Error><Type>Sender</Type><Code>{0}</Code><Message>{1}</Message></Error>'
                '<RequestId>{2}</RequestId></ErrorResponse>').format(code, _xml_escape(message), request_id)
        headers = [("Content-Type", "text/xml"), ("x-amzn-RequestId", request_id)]
    return status, headers, body.encode("utf-8")


def _xml_escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
