# -*- coding: utf-8 -*-
# Copyright: netobs.flowlogs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one way this collection talks to AWS.

Every module, the lookup and the inventory plugin build clients here, so the connection
options, the retry policy, the user agent and the way an AWS error is reported exist once.
Retries are botocore's own retry modes (standard or adaptive: exponential backoff with full
jitter, throttling and transient errors), not a hand-rolled loop.
"""

import re
import traceback

try:
    import boto3
    import botocore
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError, EndpointConnectionError, NoCredentialsError
except ImportError:
    HAS_BOTO3 = False
    BOTO3_IMPORT_ERROR = traceback.format_exc()
    BotoCoreError = ClientError = EndpointConnectionError = NoCredentialsError = Exception
else:
    HAS_BOTO3 = True
    BOTO3_IMPORT_ERROR = None

from ansible.module_utils.basic import env_fallback, missing_required_lib

from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import (
    ValidationError,
    require_region,
    require_role_arn,
)

COLLECTION_NAME = "netobs.flowlogs"
COLLECTION_VERSION = "1.0.0"
USER_AGENT = "{0}/{1}".format(COLLECTION_NAME, COLLECTION_VERSION)
MINIMUM_BOTOCORE = "1.34.0"
RETRY_MODES = ("standard", "adaptive")
GLOBAL_SERVICES = ("iam", "sts", "organizations")

# Option names shared by every module; the lookup and inventory plugin document the same
# names (see doc_fragments/aws.py) and hand their values to AwsSession.from_options.
CONNECTION_ARGUMENT_SPEC = dict(
    region=dict(type="str", aliases=["aws_region", "ec2_region"],
                fallback=(env_fallback, ["AWS_REGION", "AWS_DEFAULT_REGION"])),
    profile=dict(type="str", aliases=["aws_profile"], fallback=(env_fallback, ["AWS_PROFILE"])),
    access_key=dict(type="str", aliases=["aws_access_key_id", "aws_access_key"], no_log=False,
                    fallback=(env_fallback, ["AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY"])),
    secret_key=dict(type="str", aliases=["aws_secret_access_key", "aws_secret_key"], no_log=True,
                    fallback=(env_fallback, ["AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY"])),
    session_token=dict(type="str", aliases=["aws_session_token", "security_token"], no_log=True,
                       fallback=(env_fallback, ["AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"])),
    endpoint_url=dict(type="str", aliases=["aws_endpoint_url"],
                      fallback=(env_fallback, ["AWS_ENDPOINT_URL", "AWS_URL"])),
    aws_ca_bundle=dict(type="path", fallback=(env_fallback, ["AWS_CA_BUNDLE"])),
    validate_certs=dict(type="bool", default=True),
    assume_role_arn=dict(type="str", fallback=(env_fallback, ["NETOBS_ASSUME_ROLE_ARN"])),
    assume_role_external_id=dict(type="str", no_log=True),
    assume_role_session_name=dict(type="str", default="netobs-flowlogs"),
    retry_mode=dict(type="str", default="standard", choices=list(RETRY_MODES)),
    max_attempts=dict(type="int", default=10),
)

# What a botocore error names when AWS (or the local AWS) is slowing us down.
THROTTLING_CODES = frozenset((
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
    "TooManyRequestsException", "RequestLimitExceeded", "SlowDown", "LimitExceededException",
))


def aws_argument_spec(**module_options):
    """The module's own options merged over the shared connection options."""
    spec = dict((name, dict(option)) for name, option in CONNECTION_ARGUMENT_SPEC.items())
    spec.update(module_options)
    return spec


class AwsApiError(Exception):
    """An AWS call failed; carries what a person needs to act on it, and no secret."""

    def __init__(self, message, operation=None, code=None, request_id=None, endpoint=None, status=None):
        super(AwsApiError, self).__init__(message)
        self.message = message
        self.operation = operation
        self.code = code
        self.request_id = request_id
        self.endpoint = endpoint
        self.status = status

    def as_result(self):
        return dict(
            msg=str(self), aws_operation=self.operation, aws_error_code=self.code,
            aws_request_id=self.request_id, aws_endpoint=self.endpoint,
        )


def error_code(exc):
    """The AWS error code of a botocore ClientError, or None."""
    response = getattr(exc, "response", None) or {}
    return response.get("Error", {}).get("Code")


def is_throttling(exc):
    return error_code(exc) in THROTTLING_CODES


def describe_aws_error(exc, operation=None, endpoint=None, secrets=()):
    """Turn a botocore/boto3 exception into an AwsApiError with one readable sentence."""
    if isinstance(exc, AwsApiError):
        return exc
    response = getattr(exc, "response", None) or {}
    error = response.get("Error", {})
    metadata = response.get("ResponseMetadata", {})
    operation = operation or getattr(exc, "operation_name", None)
    code = error.get("Code")
    request_id = metadata.get("RequestId") or response.get("RequestId")
    status = metadata.get("HTTPStatusCode")
    if HAS_BOTO3 and isinstance(exc, EndpointConnectionError):
        url = exc.kwargs.get("endpoint_url") or endpoint
        message = "{0} failed: could not connect to the AWS endpoint {1}; is it reachable?".format(
            operation or "AWS call", url)
        return AwsApiError(_scrub(message, secrets), operation=operation, endpoint=url)
    if HAS_BOTO3 and isinstance(exc, NoCredentialsError):
        message = ("{0} failed: no AWS credentials found; set access_key/secret_key, profile, "
                   "or the AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY environment variables").format(
                       operation or "AWS call")
        return AwsApiError(message, operation=operation)
    if code:
        message = "{0} failed: {1}: {2}".format(operation or "AWS call", code, error.get("Message") or exc)
    else:
        message = "{0} failed: {1}".format(operation or "AWS call", exc)
    if request_id:
        message += " (request id {0})".format(request_id)
    return AwsApiError(_scrub(message, secrets), operation=operation, code=code,
                       request_id=request_id, endpoint=endpoint, status=status)


# The options that carry credentials: a control character in one (a YAML `|` block's trailing newline)
# makes botocore print the value in "Invalid header value b'...'" or the whole Authorization header.
CREDENTIAL_OPTIONS = ("access_key", "secret_key", "session_token", "profile")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
_AUTHORIZATION_HEADER = re.compile(r"(Authorization['\"]?\s*[:=]\s*['\"]?)[^'\"\r\n}]*")
MASK = "********"


def require_clean_credentials(options):
    """Refuse credentials holding control characters before any call; the message never echoes the value."""
    for name in CREDENTIAL_OPTIONS:
        value = options.get(name)
        if isinstance(value, str) and _CONTROL_CHARACTERS.search(value):
            raise ValidationError(name, "contains a control character (a newline or tab, often from a YAML `|` "
                                        "block or a copied file); remove it - the value is not shown")


def _secret_forms(secret):
    """The ways botocore and Python print ``secret``: as is, repr-escaped, and as a bytes literal."""
    escaped = repr(secret)[1:-1]
    forms = [secret, escaped, secret.encode("unicode_escape").decode("ascii")]
    for line in secret.splitlines():
        if len(line.strip()) >= 4:
            forms.append(line.strip())
    return sorted(set(f for f in forms if f), key=len, reverse=True)


def _scrub(text, secrets):
    text = _AUTHORIZATION_HEADER.sub(lambda m: m.group(1) + MASK, text)
    for secret in secrets:
        if secret and len(secret) >= 4:
            for form in _secret_forms(secret):
                text = text.replace(form, MASK)
    return text


class AwsSession:
    """Credentials, region and client configuration for one module run.

    ``assume_role_arn`` costs exactly one STS call per session (made lazily, on the first
    client), so a module that builds three clients still assumes the role once.
    """

    def __init__(self, region=None, profile=None, access_key=None, secret_key=None, session_token=None,
                 endpoint_url=None, aws_ca_bundle=None, validate_certs=True, assume_role_arn=None,
                 assume_role_external_id=None, assume_role_session_name="netobs-flowlogs",
                 retry_mode="standard", max_attempts=10):
        if not HAS_BOTO3:
            raise ImportError(missing_required_lib("boto3 and botocore"))
        if retry_mode not in RETRY_MODES:
            raise ValueError("retry_mode must be one of {0}, got {1!r}".format(", ".join(RETRY_MODES), retry_mode))
        if max_attempts is None or int(max_attempts) < 1:
            raise ValueError("max_attempts must be an integer of at least 1, got {0!r}".format(max_attempts))
        require_clean_credentials(dict(access_key=access_key, secret_key=secret_key,
                                       session_token=session_token, profile=profile))
        if region:
            require_region("region", region)
        if assume_role_arn:
            require_role_arn("assume_role_arn", assume_role_arn)
        self.region = region
        self.endpoint_url = endpoint_url or None
        self.verify = aws_ca_bundle if aws_ca_bundle else bool(validate_certs)
        self.assume_role_arn = assume_role_arn
        self.assume_role_external_id = assume_role_external_id
        self.assume_role_session_name = assume_role_session_name or "netobs-flowlogs"
        self._secrets = tuple(s for s in (secret_key, session_token, assume_role_external_id) if s)
        self.config = Config(
            retries={"mode": retry_mode, "total_max_attempts": int(max_attempts)},
            user_agent_extra=USER_AGENT,
            connect_timeout=10,
            read_timeout=60,
        )
        self._base = boto3.session.Session(
            aws_access_key_id=access_key or None,
            aws_secret_access_key=secret_key or None,
            aws_session_token=session_token or None,
            profile_name=profile or None,
            region_name=region or None,
        )
        self._session = None
        self._clients = {}
        self._identity = None

    @classmethod
    def from_options(cls, options):
        """Build from a module's params or a plugin's options (the CONNECTION_ARGUMENT_SPEC names)."""
        names = CONNECTION_ARGUMENT_SPEC.keys()
        return cls(**dict((name, options.get(name)) for name in names if options.get(name) is not None))

    @property
    def secrets(self):
        return self._secrets

    def _assumed_session(self):
        if self._session is not None:
            return self._session
        if not self.assume_role_arn:
            self._session = self._base
            return self._session
        sts = self._base.client("sts", region_name=self._base.region_name or "us-east-1",
                                endpoint_url=self.endpoint_url, verify=self.verify, config=self.config)
        kwargs = dict(RoleArn=self.assume_role_arn, RoleSessionName=self.assume_role_session_name)
        if self.assume_role_external_id:
            kwargs["ExternalId"] = self.assume_role_external_id
        try:
            answer = sts.assume_role(**kwargs)
        except (BotoCoreError, ClientError) as exc:
            raise self.error(exc, "AssumeRole")
        creds = answer["Credentials"]
        # AssumeRole names the identity it gives (arn:<partition>:sts::<account>:assumed-role/...),
        # which is what GetCallerIdentity would answer: no second STS call.
        assumed = answer.get("AssumedRoleUser") or {}
        if assumed.get("Arn"):
            parts = assumed["Arn"].split(":")
            self._identity = dict(account=parts[4], arn=assumed["Arn"], partition=parts[1])
        self._secrets += (creds["SecretAccessKey"], creds["SessionToken"])
        self._session = boto3.session.Session(
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
            region_name=self._base.region_name,
        )
        return self._session

    def client(self, service):
        """A cached boto3 client for ``service`` (one per service per session)."""
        if service not in self._clients:
            session = self._assumed_session()
            region = session.region_name
            if not region:
                if service not in GLOBAL_SERVICES:
                    raise AwsApiError("no AWS region: set the region option or AWS_REGION / AWS_DEFAULT_REGION")
                region = "us-east-1"  # global services answer in every partition's first region
            self._clients[service] = session.client(
                service, region_name=region, endpoint_url=self.endpoint_url, verify=self.verify,
                config=self.config)
        return self._clients[service]

    @property
    def region_name(self):
        return self._assumed_session().region_name

    def caller_identity(self):
        """Account, ARN and partition of the credentials in use (one STS call, cached; none after AssumeRole)."""
        if self._identity is None:
            self._assumed_session()
        if self._identity is None:
            try:
                identity = self.client("sts").get_caller_identity()
            except (BotoCoreError, ClientError) as exc:
                raise self.error(exc, "GetCallerIdentity")
            arn = identity["Arn"]
            self._identity = dict(account=identity["Account"], arn=arn, partition=arn.split(":")[1])
        return self._identity

    def error(self, exc, operation=None):
        return describe_aws_error(exc, operation=operation, endpoint=self.endpoint_url, secrets=self._secrets)

    def call(self, service, operation, **kwargs):
        """Call ``operation`` (snake_case boto3 name) and turn any failure into AwsApiError."""
        client = self.client(service)
        try:
            return getattr(client, operation)(**kwargs)
        except (BotoCoreError, ClientError) as exc:
            raise self.error(exc, client.meta.method_to_api_mapping.get(operation, operation))

    def paginate(self, service, operation, result_key, **kwargs):
        """All items of a paginated ``operation`` as one list."""
        client = self.client(service)
        items = []
        try:
            for page in client.get_paginator(operation).paginate(**kwargs):
                items.extend(page.get(result_key, []))
        except (BotoCoreError, ClientError) as exc:
            raise self.error(exc, client.meta.method_to_api_mapping.get(operation, operation))
        return items


def check_botocore_version(module=None):
    """Fail early (or return a message) when boto3/botocore are missing or too old."""
    if not HAS_BOTO3:
        message = missing_required_lib("boto3 and botocore")
    elif _version_tuple(botocore.__version__) < _version_tuple(MINIMUM_BOTOCORE):
        message = "botocore {0} or newer is required, found {1}".format(MINIMUM_BOTOCORE, botocore.__version__)
    else:
        return None
    if module is not None:
        module.fail_json(msg=message, exception=BOTO3_IMPORT_ERROR)
    return message


def _version_tuple(text):
    parts = []
    for piece in text.split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def session_for_module(module):
    """An AwsSession from an AnsibleModule's params; fails the module cleanly on bad settings."""
    check_botocore_version(module)
    try:
        return AwsSession.from_options(module.params)
    except (ValueError, ImportError) as exc:
        module.fail_json(msg=str(exc))
