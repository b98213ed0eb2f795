# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options, documented once.

``netobs.flowlogs.aws`` is the modules' variant (options, their env fallbacks told in words, and the
C(module_defaults) note); ``netobs.flowlogs.aws.plugins`` is the lookup's and the inventory
plugin's: the same options, each with the ``env`` entries of module_utils/aws.py's
CONNECTION_ARGUMENT_SPEC and the ``vars`` entries of plugin_utils/connection.py's
CONNECTION_VARIABLES (the variables the roles pass to modules); ``netobs.flowlogs.aws.inventory`` the
same without ``vars``. The plugin variants must be literal text (ansible-test reads doc fragments without running them);
tests/unit/plugins/doc_fragments/test_aws.py derives them from the modules' variant and those two
tables and fails, printing the text to paste here, when they drift.
"""


class ModuleDocFragment:
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
      - Falls back to E(NETOBS_ASSUME_ROLE_ARN); the lookup reads the host variable C(assume_role_arn) first.
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

    PLUGINS = r"""
options:
  region:
    description:
    - The AWS region to act in.
    - Falls back to the E(AWS_REGION) or E(AWS_DEFAULT_REGION) environment variables,
      then to the profile.
    type: str
    aliases:
    - aws_region
    - ec2_region
    env:
    - name: AWS_REGION
    - name: AWS_DEFAULT_REGION
    vars:
    - name: aws_region
  profile:
    description:
    - A named profile from the AWS shared configuration files.
    - Falls back to E(AWS_PROFILE). Do not combine with O(access_key) and O(secret_key).
    type: str
    aliases:
    - aws_profile
    env:
    - name: AWS_PROFILE
    vars:
    - name: aws_profile
  access_key:
    description:
    - AWS access key id.
    - Falls back to E(AWS_ACCESS_KEY_ID) (or the older E(AWS_ACCESS_KEY)).
    type: str
    aliases:
    - aws_access_key_id
    - aws_access_key
    env:
    - name: AWS_ACCESS_KEY_ID
    - name: AWS_ACCESS_KEY
    vars:
    - name: aws_access_key_id
  secret_key:
    description:
    - AWS secret access key. Never logged.
    - Falls back to E(AWS_SECRET_ACCESS_KEY) (or the older E(AWS_SECRET_KEY)).
    type: str
    aliases:
    - aws_secret_access_key
    - aws_secret_key
    env:
    - name: AWS_SECRET_ACCESS_KEY
    - name: AWS_SECRET_KEY
    vars:
    - name: aws_secret_access_key
  session_token:
    description:
    - AWS session token for temporary credentials. Never logged.
    - Falls back to E(AWS_SESSION_TOKEN), then to E(AWS_SECURITY_TOKEN), which older
      AWX credential injectors still set and amazon.aws no longer reads.
    type: str
    aliases:
    - aws_session_token
    - security_token
    env:
    - name: AWS_SESSION_TOKEN
    - name: AWS_SECURITY_TOKEN
    vars:
    - name: aws_session_token
  endpoint_url:
    description:
    - Send API calls to this URL instead of the AWS default endpoints (for example
      the local AWS used by this collection's tests, or a VPC endpoint).
    - Falls back to E(AWS_ENDPOINT_URL), then E(AWS_URL).
    type: str
    aliases:
    - aws_endpoint_url
    env:
    - name: AWS_ENDPOINT_URL
    - name: AWS_URL
    vars:
    - name: aws_endpoint_url
  aws_ca_bundle:
    description:
    - A CA bundle used to verify the endpoint's TLS certificate. Falls back to E(AWS_CA_BUNDLE).
    type: path
    env:
    - name: AWS_CA_BUNDLE
  validate_certs:
    description:
    - When V(false), TLS certificates are not verified. Use only against a local endpoint.
    type: bool
    default: true
  assume_role_arn:
    description:
    - Assume this IAM role (one STS AssumeRole call per task) and act with its credentials,
      for example C(arn:aws:iam::111122223333:role/OrganizationAccountAccessRole)
      to act inside a member account. The temporary credentials are never logged.
    - Falls back to E(NETOBS_ASSUME_ROLE_ARN); the lookup reads the host variable
      C(assume_role_arn) first.
    type: str
    env:
    - name: NETOBS_ASSUME_ROLE_ARN
    vars:
    - name: assume_role_arn
  assume_role_external_id:
    description:
    - The external id the role's trust policy requires. Never logged.
    type: str
    vars:
    - name: assume_role_external_id
  assume_role_session_name:
    description:
    - The session name recorded in CloudTrail for the assumed role.
    type: str
    default: netobs-flowlogs
  retry_mode:
    description:
    - botocore's retry mode. V(standard) retries throttling and transient errors with
      exponential backoff and full jitter; V(adaptive) also rate-limits the client
      on the fly.
    type: str
    default: standard
    choices:
    - standard
    - adaptive
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
- Credentials are read in this order, as boto3 reads them - the options above, the
  environment variables named there, then the shared credentials and config files
  and instance metadata.
- Each option is also read from the host variable named in its C(vars) entry (the
  variables the roles pass to the modules, for example C(aws_region) and C(assume_role_arn)
  set by the aws_accounts inventory), so a fleet play acts in each target's own account
  and region.
"""

    # Inventory plugins read their options from the inventory file and the environment, not from vars.
    INVENTORY = r"""
options:
  region:
    description:
    - The AWS region to act in.
    - Falls back to the E(AWS_REGION) or E(AWS_DEFAULT_REGION) environment variables,
      then to the profile.
    type: str
    aliases:
    - aws_region
    - ec2_region
    env:
    - name: AWS_REGION
    - name: AWS_DEFAULT_REGION
  profile:
    description:
    - A named profile from the AWS shared configuration files.
    - Falls back to E(AWS_PROFILE). Do not combine with O(access_key) and O(secret_key).
    type: str
    aliases:
    - aws_profile
    env:
    - name: AWS_PROFILE
  access_key:
    description:
    - AWS access key id.
    - Falls back to E(AWS_ACCESS_KEY_ID) (or the older E(AWS_ACCESS_KEY)).
    type: str
    aliases:
    - aws_access_key_id
    - aws_access_key
    env:
    - name: AWS_ACCESS_KEY_ID
    - name: AWS_ACCESS_KEY
  secret_key:
    description:
    - AWS secret access key. Never logged.
    - Falls back to E(AWS_SECRET_ACCESS_KEY) (or the older E(AWS_SECRET_KEY)).
    type: str
    aliases:
    - aws_secret_access_key
    - aws_secret_key
    env:
    - name: AWS_SECRET_ACCESS_KEY
    - name: AWS_SECRET_KEY
  session_token:
    description:
    - AWS session token for temporary credentials. Never logged.
    - Falls back to E(AWS_SESSION_TOKEN), then to E(AWS_SECURITY_TOKEN), which older
      AWX credential injectors still set and amazon.aws no longer reads.
    type: str
    aliases:
    - aws_session_token
    - security_token
    env:
    - name: AWS_SESSION_TOKEN
    - name: AWS_SECURITY_TOKEN
  endpoint_url:
    description:
    - Send API calls to this URL instead of the AWS default endpoints (for example
      the local AWS used by this collection's tests, or a VPC endpoint).
    - Falls back to E(AWS_ENDPOINT_URL), then E(AWS_URL).
    type: str
    aliases:
    - aws_endpoint_url
    env:
    - name: AWS_ENDPOINT_URL
    - name: AWS_URL
  aws_ca_bundle:
    description:
    - A CA bundle used to verify the endpoint's TLS certificate. Falls back to E(AWS_CA_BUNDLE).
    type: path
    env:
    - name: AWS_CA_BUNDLE
  validate_certs:
    description:
    - When V(false), TLS certificates are not verified. Use only against a local endpoint.
    type: bool
    default: true
  assume_role_arn:
    description:
    - Assume this IAM role (one STS AssumeRole call per task) and act with its credentials,
      for example C(arn:aws:iam::111122223333:role/OrganizationAccountAccessRole)
      to act inside a member account. The temporary credentials are never logged.
    - Falls back to E(NETOBS_ASSUME_ROLE_ARN); the lookup reads the host variable
      C(assume_role_arn) first.
    type: str
    env:
    - name: NETOBS_ASSUME_ROLE_ARN
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
    - botocore's retry mode. V(standard) retries throttling and transient errors with
      exponential backoff and full jitter; V(adaptive) also rate-limits the client
      on the fly.
    type: str
    default: standard
    choices:
    - standard
    - adaptive
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
- Credentials are read in this order, as boto3 reads them - the options above, the
  environment variables named there, then the shared credentials and config files
  and instance metadata.
"""
