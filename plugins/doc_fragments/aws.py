# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment:
    # Connection options shared by every module (plugins/module_utils/aws.py CONNECTION_ARGUMENT_SPEC).
    DOCUMENTATION = r"""
options:
  region:
    description:
      - The AWS region to act in.
      - Falls back to the E(AWS_REGION) or E(AWS_DEFAULT_REGION) environment variables, then to the profile.
    type: str
    aliases: [aws_region, ec2_region]
  profile:
    description:
      - A named profile from the AWS shared configuration files.
      - Falls back to E(AWS_PROFILE). Do not combine with O(access_key) and O(secret_key).
    type: str
    aliases: [aws_profile]
  access_key:
    description:
      - AWS access key id.
      - Falls back to E(AWS_ACCESS_KEY_ID) (or the older E(AWS_ACCESS_KEY)).
    type: str
    aliases: [aws_access_key_id, aws_access_key]
  secret_key:
    description:
      - AWS secret access key. Never logged.
      - Falls back to E(AWS_SECRET_ACCESS_KEY) (or the older E(AWS_SECRET_KEY)).
    type: str
    aliases: [aws_secret_access_key, aws_secret_key]
  session_token:
    description:
      - AWS session token for temporary credentials. Never logged.
      - Falls back to E(AWS_SESSION_TOKEN), then to E(AWS_SECURITY_TOKEN), which older AWX credential
        injectors still set and amazon.aws no longer reads.
    type: str
    aliases: [aws_session_token, security_token]
  endpoint_url:
    description:
      - Send API calls to this URL instead of the AWS default endpoints (for example the local AWS
        used by this collection's tests, or a VPC endpoint).
      - Falls back to E(AWS_ENDPOINT_URL), then E(AWS_URL).
    type: str
    aliases: [aws_endpoint_url]
  aws_ca_bundle:
    description:
      - A CA bundle used to verify the endpoint's TLS certificate. Falls back to E(AWS_CA_BUNDLE).
    type: path
  validate_certs:
    description:
      - When V(false), TLS certificates are not verified. Use only against a local endpoint.
    type: bool
    default: true
  assume_role_arn:
    description:
      - Assume this IAM role (one STS AssumeRole call per task) and act with its credentials, for
        example C(arn:aws:iam::111122223333:role/OrganizationAccountAccessRole) to act inside a member
        account. The temporary credentials are never logged.
      - Falls back to E(NETOBS_ASSUME_ROLE_ARN).
    type: str
  assume_role_external_id:
    description:
      - The external id the role's trust policy requires. Never logged.
    type: str
  assume_role_session_name:
    description:
      - The session name recorded in CloudTrail for the assumed role.
    type: str
    default: netobs-flowlogs
  retry_mode:
    description:
      - botocore's retry mode. V(standard) retries throttling and transient errors with exponential
        backoff and full jitter; V(adaptive) also rate-limits the client on the fly.
    type: str
    default: standard
    choices: [standard, adaptive]
  max_attempts:
    description:
      - The most attempts botocore makes for one API call, the first included.
    type: int
    default: 10
requirements:
  - python >= 3.9
  - boto3 >= 1.34.0
  - botocore >= 1.34.0
notes:
  - Credentials are read in this order, as boto3 reads them - the options above, the environment
    variables named there, then the shared credentials and config files and instance metadata.
  - Set the options once for a whole play with C(module_defaults) and the action group
    C(group/netobs.flowlogs.flowlogs).
"""
