"""The local AWS: moto's server app on 127.0.0.1, wrapped by our recorder and fault injector.

One process holds it (the pytest session, or ``python -m local_aws``); anything that reaches
its ``endpoint_url`` over HTTP (boto3 in the test, modules in ``ansible-playbook``
subprocesses) is served, recorded and, when rules say so, faulted.

Control endpoints (JSON), for processes other than the one that holds the server:
- ``GET /_local_aws/calls?since=N`` the recorded calls; ``DELETE /_local_aws/calls`` clears them;
- ``POST /_local_aws/faults`` adds a rule (FaultRule keyword arguments); ``DELETE`` clears them;
- ``POST /_local_aws/reset`` resets moto's state, re-seeds ids, clears calls and faults.
"""

import io
import json
import logging
import os
import re
import threading
import urllib.parse
import urllib.request

import boto3
from botocore.config import Config

from .faults import FaultInjector
from .recorder import CallRecorder

DEFAULT_ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"
TEST_ACCESS_KEY = "AKIANETOBSTESTKEY000"
TEST_SECRET_KEY = "netobs-test-secret-key-not-real"
TEST_ROLE_NAME = "netobs-test-admin"
_CREDENTIAL = re.compile(r"Credential=([^/]+)/\d+/([^/]+)/([^/]+)/")


def _moto_environment():
    # Quiet, deterministic moto: no AWS-managed policy load, no real-AWS lookups.
    os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "false")
    os.environ.setdefault("AWS_ACCESS_KEY_ID", TEST_ACCESS_KEY)
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", TEST_SECRET_KEY)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


class EmulatorMiddleware:
    """WSGI middleware: control endpoints, fault injection, then record and hand to moto."""

    def __init__(self, app, local_aws):
        self.app = app
        self.local_aws = local_aws

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/_local_aws/"):
            return self._control(environ, start_response, path[len("/_local_aws/"):])
        if path.startswith("/moto-api"):
            return self.app(environ, start_response)
        service, operation, region, access_key = self._identify(environ)
        account = self.local_aws.account_for_key(access_key)
        fault = self.local_aws.faults.decide(service, operation, account) if operation else None
        if fault is not None:
            status, headers, body = fault
            self.local_aws.recorder.record(service, operation, region, account, access_key, status)
            start_response("{0} Injected".format(status), headers + [("Content-Length", str(len(body)))])
            return [body]
        status_holder = {}

        def recording_start_response(status, headers, exc_info=None):
            status_holder["status"] = int(status.split(" ", 1)[0])
            return start_response(status, headers, exc_info)

        response = self.app(environ, recording_start_response)
        if operation:
            self.local_aws.recorder.record(service, operation, region, account, access_key,
                                           status_holder.get("status"))
        return response

    @staticmethod
    def _identify(environ):
        match = _CREDENTIAL.search(environ.get("HTTP_AUTHORIZATION", ""))
        access_key, region, service = match.groups() if match else (None, None, "unknown")
        target = environ.get("HTTP_X_AMZ_TARGET")
        if target:
            return service, target.rsplit(".", 1)[-1], region, access_key
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        params = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        params.update(urllib.parse.parse_qs(environ.get("QUERY_STRING", "")))
        action = params.get("Action", [None])[0]
        return service, action, region, access_key

    def _control(self, environ, start_response, what):
        method = environ["REQUEST_METHOD"]
        query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = json.loads(environ["wsgi.input"].read(length) or b"null") if length else None
        aws = self.local_aws
        if what == "calls" and method == "GET":
            payload = aws.recorder.as_json(since=int(query.get("since", ["0"])[0]))
        elif what == "calls" and method == "DELETE":
            aws.recorder.clear()
            payload = {"cleared": True}
        elif what == "faults" and method == "POST":
            payload = aws.faults.add(**(body or {})).to_dict()
        elif what == "faults" and method == "GET":
            payload = [rule.to_dict() for rule in aws.faults.rules]
        elif what == "faults" and method == "DELETE":
            aws.faults.clear()
            payload = {"cleared": True}
        elif what == "reset" and method == "POST":
            threading.Thread(target=aws.reset).start()  # reset calls back into this server
            payload = {"reset": True}
        else:
            start_response("404 Not Found", [("Content-Type", "application/json")])
            return [b'{"error": "unknown local AWS endpoint"}']
        data = json.dumps(payload, default=str).encode("utf-8")
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
        return [data]


class LocalAws:
    """The moto server in a thread, with recorder, faults and helpers for accounts and clients."""

    def __init__(self, host="127.0.0.1", port=0, seed=42):
        self.host = host
        self.port = port
        self.seed = seed
        self.recorder = CallRecorder()
        self.faults = FaultInjector()
        # How long an emulated Insights query stays Running before Complete (patches/logs_insights).
        self.query_running_seconds = 0.0
        # A query still running after this many seconds ends as Timeout, as the service's 60-minute cap.
        self.query_max_runtime_seconds = 3600.0
        # The account's Insights concurrent-query quota (None: the documented 100; patches/logs_insights).
        self.max_concurrent_queries = None
        self._server = None
        self._thread = None
        self._credentials = {}
        self._key_accounts = {TEST_ACCESS_KEY: DEFAULT_ACCOUNT}

    # -- life cycle -------------------------------------------------------------------------
    def start(self, keep_state=False):
        """Serve on ``port`` (0 = a free one); ``keep_state=True`` (a restart) keeps moto's backends."""
        _moto_environment()
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
        from werkzeug.serving import make_server

        from .patches import apply_all

        apply_all()
        from .patches import logs_insights

        logs_insights.use_settings_from(self)  # query_running_seconds etc. are read live
        app = EmulatorMiddleware(DomainDispatcherApplication(create_backend_app), self)
        self._server = make_server(self.host, self.port, app, threaded=True, request_handler=MotoRequestHandler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name="local-aws", daemon=True)
        self._thread.start()
        if not keep_state:
            self.reset()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=10)
            self._server = None

    def restart(self):
        """Stop serving, then serve again on the same port over the same (in-process) moto state.

        What a client sees of a local AWS that went away and came back: connections refused
        while it is down; the accounts, resources, recorder and fault rules are as they were.
        """
        self.stop()
        return self.start(keep_state=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def endpoint_url(self):
        return "http://{0}:{1}".format(self.host, self.port)

    def _post(self, path, data=b"", content_type="text/plain"):
        request = urllib.request.Request(self.endpoint_url + path, data=data, method="POST",
                                         headers={"Content-Type": content_type})
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read()

    def reset(self):
        """Empty every account and region, make ids repeatable, forget calls, faults and credentials."""
        self._post("/moto-api/reset")
        self._post("/moto-api/seed?a={0}".format(self.seed))
        # Assumed credentials map to the default account after a reset (moto reference): drop them.
        self._credentials = {}
        self._key_accounts = {TEST_ACCESS_KEY: DEFAULT_ACCOUNT}
        self.recorder.clear()
        self.faults.clear()

    def enable_region(self, account, region, enabled=True):
        """Opt ``account`` in to (``enabled=False``: out of) an opt-in Region (patches/ec2_regions).

        The stand-in for Account Management's EnableRegion/DisableRegion, which moto lacks.
        """
        from .patches import ec2_regions

        ec2_regions.enable_region(account, region, enabled)

    def enable_auth(self, free_calls=0):
        """Turn on moto's IAM enforcement after ``free_calls`` unauthenticated calls."""
        self._post("/moto-api/reset-auth", str(free_calls).encode())

    def disable_auth(self):
        self._post("/moto-api/reset-auth", b"inf")

    # -- accounts ---------------------------------------------------------------------------
    def account_for_key(self, access_key):
        if access_key in self._key_accounts:
            return self._key_accounts[access_key]
        from moto.iam.models import get_account_id_from

        return get_account_id_from(access_key) if access_key else DEFAULT_ACCOUNT

    def role_arn(self, account, role_name=TEST_ROLE_NAME):
        return "arn:aws:iam::{0}:role/{1}".format(account, role_name)

    def credentials(self, account=DEFAULT_ACCOUNT):
        """Access key, secret and token that act in ``account`` (assumed through STS once per reset)."""
        if account == DEFAULT_ACCOUNT:
            return dict(access_key=TEST_ACCESS_KEY, secret_key=TEST_SECRET_KEY, session_token=None)
        if account not in self._credentials:
            sts = self._raw_client("sts", DEFAULT_REGION, dict(access_key=TEST_ACCESS_KEY, secret_key=TEST_SECRET_KEY))
            creds = sts.assume_role(RoleArn=self.role_arn(account), RoleSessionName="netobs-tests")["Credentials"]
            self._credentials[account] = dict(access_key=creds["AccessKeyId"], secret_key=creds["SecretAccessKey"],
                                              session_token=creds["SessionToken"])
            self._key_accounts[creds["AccessKeyId"]] = account
        return self._credentials[account]

    def _raw_client(self, service, region, creds):
        return boto3.session.Session().client(
            service, region_name=region, endpoint_url=self.endpoint_url,
            aws_access_key_id=creds["access_key"], aws_secret_access_key=creds["secret_key"],
            aws_session_token=creds.get("session_token"),
            config=Config(retries={"total_max_attempts": 1}))

    def client(self, service, account=DEFAULT_ACCOUNT, region=DEFAULT_REGION):
        """A boto3 client acting in ``account``/``region``, without retries (tests see every error)."""
        return self._raw_client(service, region, self.credentials(account))

    def env(self, account=DEFAULT_ACCOUNT, region=DEFAULT_REGION):
        """Environment variables that point boto3, modules and the lookup at this local AWS."""
        creds = self.credentials(account)
        env = {
            "AWS_ENDPOINT_URL": self.endpoint_url,
            "AWS_ACCESS_KEY_ID": creds["access_key"],
            "AWS_SECRET_ACCESS_KEY": creds["secret_key"],
            "AWS_REGION": region,
            "AWS_DEFAULT_REGION": region,
        }
        if creds.get("session_token"):
            env["AWS_SESSION_TOKEN"] = creds["session_token"]
        return env

    def module_args(self, account=DEFAULT_ACCOUNT, region=DEFAULT_REGION):
        """The connection options of a module task acting in ``account``/``region``."""
        creds = self.credentials(account)
        args = dict(endpoint_url=self.endpoint_url, access_key=creds["access_key"],
                    secret_key=creds["secret_key"], region=region, max_attempts=4)
        if creds.get("session_token"):
            args["session_token"] = creds["session_token"]
        return args
