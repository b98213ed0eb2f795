"""The lookup reads the connection variables the roles pass to the modules (plugin_utils/connection.py).

Over the aws_accounts inventory each host carries ``aws_region`` and ``assume_role_arn``; the lookup
must query that host's account with no extra keywords.
"""

import pytest
from ansible.plugins.loader import lookup_loader

pytestmark = pytest.mark.integration

MEMBER = "222222222222"
GROUP = "/netobs/member-only"


def test_the_lookup_queries_the_account_of_the_hosts_assume_role_arn(aws):
    aws.client("logs", account=MEMBER).create_log_group(logGroupName=GROUP)
    mark = aws.recorder.mark()
    args = aws.module_args()
    variables = dict(
        aws_region=args["region"], aws_endpoint_url=args["endpoint_url"],
        aws_access_key_id=args["access_key"], aws_secret_access_key=args["secret_key"],
        assume_role_arn="arn:aws:iam::{0}:role/OrganizationAccountAccessRole".format(MEMBER),
    )
    plugin = lookup_loader.get("netobs.flowlogs.insights")
    rows = plugin.run(["fields @message | limit 1"], variables, log_groups=[GROUP], since="1h", poll_interval=0.05)
    assert rows == []
    assert [c.operation for c in aws.recorder.calls(service="sts", since=mark)] == ["AssumeRole"]
    queries = [c for c in aws.recorder.calls(service="logs", since=mark) if c.operation == "StartQuery"]
    assert [c.account for c in queries] == [MEMBER]
