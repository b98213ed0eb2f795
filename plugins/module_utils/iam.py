# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the IAM resources share: the not-found rule, the policy-ARN check and the IAM call helpers.

The resources themselves: ``iam_policies.py`` (the customer managed policy) and ``iam_roles.py``
(the role).
"""

import json

from ansible_collections.netobs.flowlogs.plugins.module_utils.aws import AwsApiError
from ansible_collections.netobs.flowlogs.plugins.module_utils.resource import Resource
from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import require_arn

NOT_FOUND = "NoSuchEntity"


def validate_policy_arn(param, value):
    parts = require_arn(param, value, service="iam", resource_prefix="policy/")
    return parts


def is_not_found(exc):
    return isinstance(exc, AwsApiError) and exc.code == NOT_FOUND


class IamResource(Resource):
    """Shared IAM calls, and the hint for an entity deleted between read and write."""

    kind = "IAM entity"

    def failure_hint(self, exc):
        if is_not_found(exc) and self.params.get("state") == "present":
            return ("the {0} or something it refers to was deleted by someone else after this task read it - "
                    "re-run the task".format(self.kind))
        return None

    def iam(self, operation, **kwargs):
        return self.session.call("iam", operation, **kwargs)

    def iam_absent_ok(self, operation, **kwargs):
        """A call whose goal is that something is gone: NoSuchEntity means it already is."""
        try:
            return self.iam(operation, **kwargs)
        except AwsApiError as exc:
            if not is_not_found(exc):
                raise
            return None


def document_json(document):
    """A policy document as IAM receives it (sorted keys, so equal documents send equal text)."""
    return json.dumps(document, sort_keys=True)
