"""CloudWatch Logs log-group calls moto 5.2.5 lacks or gets wrong.

- AssociateKmsKey / DisassociateKmsKey (moto: HTTP 500 NotImplementedError). AWS: associate
  sets the group's ``kmsKeyId`` (``logGroupName`` + ``kmsKeyId``; ResourceNotFoundException for
  a missing group); disassociate removes it. API reference: API_AssociateKmsKey,
  API_DisassociateKmsKey.
- CreateLogGroup ``logGroupClass`` (moto: accepted, not stored). AWS stores STANDARD (default),
  INFREQUENT_ACCESS or DELIVERY and returns it as ``logGroupClass`` in DescribeLogGroups.
- CreateLogGroup / AssociateKmsKey ``kmsKeyId`` (moto: any string). The CloudWatch Logs user
  guide, "Encrypt log data in CloudWatch Logs using AWS KMS" (encrypt-log-data-kms.html), and
  API_AssociateKmsKey: the key is given by its ARN and must be a symmetric key in the same
  Region as the log group (the key policy must also let the Logs service use it, not checked
  here). A key that is not an ARN, does not exist in moto's KMS for that account, or lives in
  another Region is InvalidParameterException ``KMS_KEY_MESSAGE``; AWS's exact text for this
  case was not found in its pages (docs/local-aws.md).
- PutRetentionPolicy (moto: any integer accepted). AWS rejects values outside the documented
  list with InvalidParameterException.
"""

from moto.logs import models, responses
from moto.logs.exceptions import InvalidParameterException, ResourceNotFoundException

RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
                  3288, 3653)


def _group(backend, name):
    if name not in backend.groups:
        raise ResourceNotFoundException("The specified log group does not exist.")
    return backend.groups[name]


KMS_KEY_MESSAGE = "The specified KMS key does not exist or is not allowed to be used with LogGroup '{0}'"


def check_kms_key(backend, group_name, key_id):
    """InvalidParameterException unless ``key_id`` is the ARN of a KMS key in the group's account and Region."""
    if key_id is None:
        return
    from moto.kms.models import kms_backends

    parts = key_id.split(":", 5)
    ok = len(parts) == 6 and parts[2] == "kms" and parts[3] == backend.region_name and \
        parts[4] == backend.account_id and parts[5].startswith("key/")
    if ok:
        key = kms_backends[backend.account_id][backend.region_name].keys.get(parts[5][len("key/"):])
        ok = key is not None and getattr(key, "key_state", "Enabled") == "Enabled"
    if not ok:
        group_arn = "arn:aws:logs:{0}:{1}:log-group:{2}".format(backend.region_name, backend.account_id, group_name)
        raise InvalidParameterException(KMS_KEY_MESSAGE.format(group_arn))


def associate_kms_key(self):
    group = _group(self.logs_backend, self._get_param("logGroupName"))
    check_kms_key(self.logs_backend, group.name, self._get_param("kmsKeyId"))
    group.kms_key_id = self._get_param("kmsKeyId")
    return ""


def disassociate_kms_key(self):
    _group(self.logs_backend, self._get_param("logGroupName")).kms_key_id = None
    return ""


def apply():
    original_create = responses.LogsResponse.create_log_group
    original_describe = models.LogGroup.to_describe_dict
    original_retention = models.LogsBackend.put_retention_policy

    def create_log_group(self):
        check_kms_key(self.logs_backend, self._get_param("logGroupName"), self._get_param("kmsKeyId"))
        result = original_create(self)
        group = self.logs_backend.groups[self._get_param("logGroupName")]
        group.log_group_class = self._get_param("logGroupClass") or "STANDARD"
        return result

    def to_describe_dict(self):
        described = original_describe(self)
        described["logGroupClass"] = getattr(self, "log_group_class", "STANDARD")
        return described

    def put_retention_policy(self, log_group_name, retention_in_days):
        if int(retention_in_days) not in RETENTION_DAYS:
            raise InvalidParameterException(
                constraint="Member must be one of " + ", ".join(str(d) for d in RETENTION_DAYS),
                parameter="retentionInDays", value=retention_in_days)
        return original_retention(self, log_group_name, retention_in_days)

    responses.LogsResponse.associate_kms_key = associate_kms_key
    responses.LogsResponse.disassociate_kms_key = disassociate_kms_key
    responses.LogsResponse.create_log_group = create_log_group
    models.LogGroup.to_describe_dict = to_describe_dict
    models.LogsBackend.put_retention_policy = put_retention_policy
