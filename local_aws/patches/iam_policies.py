"""IAM calls moto 5.2.5 gets wrong, and the policy evaluation the local AWS uses for delivery.

- CreateRole / CreatePolicy / PutRolePolicy / CreatePolicyVersion / UpdateAssumeRolePolicy
  (moto: any name, path and size accepted, "bad name!" and non-ASCII letters included): names,
  paths and document sizes as the IAM API reference and quotas page give them (below).

- DeletePolicy (moto: succeeds while the policy is attached or has non-default versions, and
  leaves the attachments behind so the role can never be deleted). AWS refuses both with
  DeleteConflict (409): "Cannot delete a policy attached to entities." and "This policy has more
  than one version. Before you delete a policy, you must delete the policy's versions. The default
  version is deleted with the policy." API reference: API_DeletePolicy.

Attachments are counted from the roles, users and groups themselves: moto's attachment_count
goes up twice when a policy is attached twice, so it cannot be trusted.
"""

import fnmatch
import json
import re

from moto.iam import models, responses
from moto.iam.access_control import IAMPolicy, PermissionResult
from moto.iam.exceptions import DeleteConflictException, LimitExceededException, ValidationError


# -- names and sizes ---------------------------------------------------------------------------
# IAM API reference (API_CreateRole, API_CreatePolicy, API_PutRolePolicy, API_CreatePolicyVersion):
# RoleName 1-64 and PolicyName 1-128 characters of [\w+=,.@-] (ASCII word characters: IAM
# refuses any other letter), Path 1-512 of "/" or "/" + printable ASCII (U+0021-U+007E) + "/".
# The IAM and STS quotas page (reference_iam-quotas.html): a managed policy holds at most 6,144
# characters and a role trust policy 2,048 (the default quota), both counted without whitespace;
# refused with LimitExceeded "Cannot exceed quota for PolicySize: 6144" / "ACLSizePerRole: 2048".
NAME_PATTERN = r"[\w+=,.@-]+"
PATH_PATTERN = r"(\u002F)|(\u002F[\u0021-\u007E]+\u002F)"
_NAME = re.compile(r"\A[A-Za-z0-9_+=,.@-]+\Z")
_PATH = re.compile(r"\A(/|/[\x21-\x7e]+/)\Z")
MANAGED_POLICY_MAX_CHARS = 6144
TRUST_POLICY_MAX_CHARS = 2048
_WHITESPACE = re.compile(r"\s+")


def _validation_error(value, field, constraint):
    return ValidationError("1 validation error detected: Value '{0}' at '{1}' failed to satisfy constraint: "
                           "{2}".format(value, field, constraint))


def check_name(value, field, max_length):
    if value is None:
        return
    if len(value) > max_length:
        raise _validation_error(value, field, "Member must have length less than or equal to {0}".format(max_length))
    if not _NAME.match(value):
        raise _validation_error(value, field, "Member must satisfy regular expression pattern: " + NAME_PATTERN)


def check_path(value, field="path"):
    if value is None:
        return
    if len(value) > 512:
        raise _validation_error(value, field, "Member must have length less than or equal to 512")
    if not _PATH.match(value):
        raise _validation_error(value, field, "Member must satisfy regular expression pattern: " + PATH_PATTERN)


def check_size(document, quota_name, limit):
    if document is not None and len(_WHITESPACE.sub("", document)) > limit:
        raise LimitExceededException("Cannot exceed quota for {0}: {1}".format(quota_name, limit))


# -- policy evaluation -------------------------------------------------------------------------
def _as_list(value):
    return value if isinstance(value, list) else [value]


def _like(pattern, value):
    # IAM's *-and-? matching (IAM JSON policy reference, "Condition operators": StringLike).
    return fnmatch.fnmatchcase(value, pattern)


def _arn_like(pattern, value):
    # ArnLike/ArnEquals: each of the six colon-delimited parts matched on its own, wildcards allowed.
    want, have = pattern.split(":", 5), value.split(":", 5)
    return len(want) == 6 and len(have) == 6 and all(_like(w, h) for w, h in zip(want, have))


_OPERATORS = {
    "StringEquals": lambda want, have: want == have,
    "StringEqualsIgnoreCase": lambda want, have: want.lower() == have.lower(),
    "StringLike": _like,
    "ArnEquals": _arn_like,
    "ArnLike": _arn_like,
}
_NEGATED = {"StringNotEquals": "StringEquals", "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
            "StringNotLike": "StringLike", "ArnNotEquals": "ArnEquals", "ArnNotLike": "ArnLike"}


def conditions_hold(conditions, context):
    """Whether a statement's Condition block holds for ``context`` ({key: value}).

    IAM JSON policy reference ("Condition", "Condition operators"): every operator and key must
    hold (AND); one key holds when the value matches any listed value (OR); the negated
    operators hold when it matches none; a missing key fails a positive operator unless it ends
    in ``IfExists``, and ``Null`` tests presence. An operator this does not know never holds
    (a stricter answer than moto's, which ignores what it does not know).
    """
    lowered = dict((key.lower(), value) for key, value in context.items())
    for operator, block in (conditions or {}).items():
        if_exists = operator.endswith("IfExists")
        base = operator[:-len("IfExists")] if if_exists else operator
        for key, wanted in block.items():
            have = lowered.get(key.lower())
            wanted = [str(w) for w in _as_list(wanted)]
            if base == "Null":
                if (have is None) != (wanted[0].lower() == "true"):
                    return False
                continue
            if have is None:
                if if_exists or base in _NEGATED:
                    continue
                return False
            if base in _NEGATED:
                if any(_OPERATORS[_NEGATED[base]](w, str(have)) for w in wanted):
                    return False
            elif base in _OPERATORS:
                if not any(_OPERATORS[base](w, str(have)) for w in wanted):
                    return False
            else:
                return False
    return True


def _principal_matches(principal, service):
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    return "*" in _as_list(principal.get("AWS", [])) or service in _as_list(principal.get("Service", []))


def _applicable(statement, resource, context, service):
    """The statement reduced to what moto's matcher reads, or None when it does not apply here."""
    if not conditions_hold(statement.get("Condition"), context):
        return None
    if service is not None:
        if "NotPrincipal" in statement or not _principal_matches(statement.get("Principal"), service):
            return None
    reduced = {"Effect": statement.get("Effect")}
    for element in ("Action", "NotAction"):
        if element in statement:
            # Action names are case-insensitive in IAM; moto's matcher is not.
            reduced[element] = [str(a).lower() for a in _as_list(statement[element])]
    if "NotResource" in statement:
        if any(_arn_like(p, resource) or p == "*" for p in _as_list(statement["NotResource"])):
            return None
        reduced["Resource"] = "*"
    else:
        reduced["Resource"] = statement.get("Resource", "*")
    return reduced


def evaluate(documents, action, resource, context=None, service=None):
    """"Allow", "Deny" or "ImplicitDeny" for ``action`` on ``resource`` under these policy documents.

    Condition and principal are ours (above); Action/NotAction/Resource matching with wildcards and
    Deny-beats-Allow are moto's own IAMPolicy (moto/iam/access_control.py), the evaluator moto
    uses to authorise requests. ``service``: for a trust policy, the service principal asking.
    """
    statements = []
    for document in documents:
        parsed = json.loads(document) if isinstance(document, str) else document
        for statement in _as_list(parsed.get("Statement", [])):
            reduced = _applicable(statement, resource, context or {}, service)
            if reduced is not None:
                statements.append(reduced)
    if not statements:
        return "ImplicitDeny"
    result = IAMPolicy(json.dumps({"Statement": statements})).is_action_permitted(action.lower(), resource)
    return {PermissionResult.PERMITTED: "Allow", PermissionResult.DENIED: "Deny"}.get(result, "ImplicitDeny")


def role_documents(role):
    """The permission documents of a role: its managed policies' default versions and inline ones."""
    documents = []
    for policy in getattr(role, "managed_policies", {}).values():
        default = next((v for v in policy.versions if v.is_default), None)
        if default is not None:
            documents.append(default.document)
    documents.extend(getattr(role, "policies", {}).values())
    return documents


def _attached_anywhere(backend, arn):
    holders = list(backend.roles.values()) + list(backend.users.values()) + list(backend.groups.values())
    return any(arn in getattr(holder, "managed_policies", {}) for holder in holders)


def apply():
    original_delete = models.IAMBackend.delete_policy

    def delete_policy(self, policy_arn):
        policy = self.get_policy(policy_arn)
        if _attached_anywhere(self, policy.arn):
            raise DeleteConflictException("Cannot delete a policy attached to entities.")
        if len(policy.versions) > 1:
            raise DeleteConflictException(
                "This policy has more than one version. Before you delete a policy, you must delete the "
                "policy's versions. The default version is deleted with the policy.")
        return original_delete(self, policy_arn)

    models.IAMBackend.delete_policy = delete_policy
    _apply_validation()


def _apply_validation():
    originals = dict((name, getattr(responses.IamResponse, name)) for name in (
        "create_role", "create_policy", "create_policy_version", "put_role_policy", "update_assume_role_policy"))

    def create_role(self):
        check_name(self._get_param("RoleName"), "roleName", 64)
        check_path(self._get_param("Path"))
        check_size(self._get_param("AssumeRolePolicyDocument"), "ACLSizePerRole", TRUST_POLICY_MAX_CHARS)
        return originals["create_role"](self)

    def create_policy(self):
        check_name(self._get_param("PolicyName"), "policyName", 128)
        check_path(self._get_param("Path"))
        check_size(self._get_param("PolicyDocument"), "PolicySize", MANAGED_POLICY_MAX_CHARS)
        return originals["create_policy"](self)

    def create_policy_version(self):
        check_size(self._get_param("PolicyDocument"), "PolicySize", MANAGED_POLICY_MAX_CHARS)
        return originals["create_policy_version"](self)

    def put_role_policy(self):
        check_name(self._get_param("PolicyName"), "policyName", 128)
        return originals["put_role_policy"](self)

    def update_assume_role_policy(self):
        check_size(self._get_param("PolicyDocument"), "ACLSizePerRole", TRUST_POLICY_MAX_CHARS)
        return originals["update_assume_role_policy"](self)

    responses.IamResponse.create_role = create_role
    responses.IamResponse.create_policy = create_policy
    responses.IamResponse.create_policy_version = create_policy_version
    responses.IamResponse.put_role_policy = put_role_policy
    responses.IamResponse.update_assume_role_policy = update_assume_role_policy
