"""IAM managed-policy calls moto 5.2.5 gets wrong.

- DeletePolicy (moto: succeeds while the policy is attached or has non-default versions, and
  leaves the attachments behind so the role can never be deleted). AWS refuses both with
  DeleteConflict (409): "Cannot delete a policy attached to entities." and "This policy has more
  than one version. Before you delete a policy, you must delete the policy's versions. The default
  version is deleted with the policy." API reference: API_DeletePolicy.

Attachments are counted from the roles, users and groups themselves: moto's attachment_count
goes up twice when a policy is attached twice, so it cannot be trusted.
"""

from moto.iam import models
from moto.iam.exceptions import DeleteConflictException


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
