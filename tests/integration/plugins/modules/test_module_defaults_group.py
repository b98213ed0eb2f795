"""A real ansible-playbook run of log_group, iam_policy and iam_role, connection set once by module_defaults."""

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PLAYBOOK = """
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/netobs.flowlogs.flowlogs:
      endpoint_url: "{{ endpoint }}"
      access_key: "{{ access_key }}"
      secret_key: "{{ secret_key }}"
      region: us-east-1
      max_attempts: 3
  tasks:
    - name: log group
      register: log_group_result
      netobs.flowlogs.log_group: &group
        name: /vpc/flow-logs
        retention_days: 7
        tags: {owner: net}

    - name: delivery policy
      netobs.flowlogs.iam_policy: &policy
        name: flow-logs-delivery
        path: /flowlogs/
        policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Action: [logs:CreateLogStream, logs:PutLogEvents, logs:DescribeLogGroups, logs:DescribeLogStreams]
              Resource: "{{ log_group_result.log_group.arn_with_streams }}"

    - name: role
      netobs.flowlogs.iam_role: &role
        name: flow-logs-delivery
        managed_policies: [flow-logs-delivery]
        wait_timeout: 30

    - name: log group again
      netobs.flowlogs.log_group: *group
    - name: delivery policy again
      netobs.flowlogs.iam_policy: *policy
    - name: role again
      netobs.flowlogs.iam_role: *role
"""


def test_playbook_creates_then_changes_nothing(aws, run_playbook):
    creds = aws.credentials()
    # A dead endpoint in the environment: the modules can only work through module_defaults.
    run = run_playbook(PLAYBOOK, extra_vars=dict(endpoint=aws.endpoint_url, access_key=creds["access_key"],
                                                 secret_key=creds["secret_key"]),
                       env={"AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_ACCESS_KEY_ID": "AKIADEADDEADDEAD0000"})

    assert run.returncode == 0, run.stdout + run.stderr
    for task in ("log group", "delivery policy", "role"):
        assert run.result(task)["changed"], run.result(task)
        assert not run.result(task + " again")["changed"], run.result(task + " again")

    iam = aws.client("iam")
    role = iam.get_role(RoleName="flow-logs-delivery")["Role"]
    condition = role["AssumeRolePolicyDocument"]["Statement"][0]["Condition"]
    assert condition["StringEquals"] == {"aws:SourceAccount": "123456789012"}
    policy_arn = "arn:aws:iam::123456789012:policy/flowlogs/flow-logs-delivery"
    assert [p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName="flow-logs-delivery")[
        "AttachedPolicies"]] == [policy_arn]
    groups = aws.client("logs").describe_log_groups(logGroupNamePrefix="/vpc/flow-logs")["logGroups"]
    assert groups[0]["retentionInDays"] == 7
    assert creds["secret_key"] not in run.stdout
