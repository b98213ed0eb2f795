"""The aws_accounts inventory plugin against the local AWS's Organizations (real ansible-inventory runs)."""

import json
import os
import subprocess
import sys

import pytest
from local_aws._collection import REPO_ROOT
from local_aws.ansible_run import playbook_env

pytestmark = pytest.mark.integration

ROLE = "OrganizationAccountAccessRole"


@pytest.fixture
def organization(aws):
    """An organization in the default account: 4 members, OUs Prod > Payments and Dev, one suspended-like filter."""
    org = aws.client("organizations")
    org.create_organization(FeatureSet="ALL")
    root = org.list_roots()["Roots"][0]["Id"]
    prod = org.create_organizational_unit(ParentId=root, Name="Prod")["OrganizationalUnit"]["Id"]
    payments = org.create_organizational_unit(ParentId=prod, Name="Payments")["OrganizationalUnit"]["Id"]
    dev = org.create_organizational_unit(ParentId=root, Name="Dev")["OrganizationalUnit"]["Id"]

    def account(name, parent, tags):
        status = org.create_account(Email="{0}@example.com".format(name), AccountName=name,
                                    Tags=[{"Key": k, "Value": v} for k, v in tags.items()])["CreateAccountStatus"]
        account_id = status["AccountId"]
        if parent != root:
            org.move_account(AccountId=account_id, SourceParentId=root, DestinationParentId=parent)
        return account_id

    ids = dict(
        web=account("web", prod, {"flowlogs": "enabled", "env": "prod"}),
        pay=account("pay", payments, {"flowlogs": "enabled", "env": "prod"}),
        sandbox=account("sandbox", dev, {"flowlogs": "disabled", "env": "dev"}),
        loose=account("loose", root, {}),
    )
    management = org.describe_organization()["Organization"]["MasterAccountId"]
    return dict(ids=ids, root=root, prod=prod, payments=payments, dev=dev, management=management)


def inventory(aws, tmp_path, config, name="fleet.aws_accounts.yml", args=("--list",), env=None):
    path = tmp_path / name
    path.write_text(config)
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-inventory"), "-i", str(path)] + list(args)
    run_env = playbook_env(aws, env)
    process = subprocess.run(command, cwd=REPO_ROOT, env=run_env, capture_output=True, text=True, timeout=120,
                             check=False)
    return process


def plain(value):
    """ansible-inventory --list marks values from an inventory plugin as untrusted: unwrap them."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return value["__ansible_unsafe"]
        return dict((k, plain(v)) for k, v in value.items())
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def hostvars(data):
    return plain(data["_meta"]["hostvars"])


def test_every_active_account_times_regions_with_vars_and_groups(aws, tmp_path, organization):
    ids = organization["ids"]
    mark = aws.recorder.mark()
    process = inventory(aws, tmp_path, "plugin: netobs.flowlogs.aws_accounts\nregions: [us-east-1, eu-west-1]\n"
                        "exclude_account_ids: ['{0}']\n".format(organization["management"]))
    assert process.returncode == 0, process.stderr
    data = json.loads(process.stdout)
    hosts = hostvars(data)
    assert len(hosts) == 4 * 2
    web = hosts["{0}-eu-west-1".format(ids["web"])]
    assert web["aws_account_id"] == ids["web"]
    assert web["aws_region"] == "eu-west-1"
    assert web["assume_role_arn"] == "arn:aws:iam::{0}:role/{1}".format(ids["web"], ROLE)
    assert web["ansible_connection"] == "local"
    assert web["aws_ou_path"] == "Root/Prod"
    assert sorted(data["region_eu_west_1"]["hosts"]) == sorted("{0}-eu-west-1".format(i) for i in ids.values())
    # OU groups nest as the OUs do: Payments' hosts are in ou_prod through its child group.
    assert data["ou_payments"]["hosts"] == ["{0}-{1}".format(ids["pay"], r) for r in ("us-east-1", "eu-west-1")]
    assert "ou_payments" in data["ou_prod"]["children"]
    assert "{0}-us-east-1".format(ids["loose"]) not in json.dumps(data.get("ou_prod", {}))
    # Reading the whole tree costs two calls per OU and root, none per account (no tag filter), no writes.
    ops = [c.operation for c in aws.recorder.calls(since=mark)]
    assert "ListTagsForResource" not in ops
    assert ops.count("ListAccountsForParent") == 4 and ops.count("ListOrganizationalUnitsForParent") == 4
    assert aws.recorder.mutating(since=mark) == []


def test_ou_filter_is_recursive_and_tag_filter_narrows(aws, tmp_path, organization):
    ids = organization["ids"]
    config = ("plugin: netobs.flowlogs.aws_accounts\nregions: [us-east-1]\nou_ids: ['{0}']\n"
              "account_tags: {{flowlogs: enabled}}\nassume_role_name: deployer-{{account_name}}\n"
              "target_external_id: ext-123\n").format(organization["prod"])
    mark = aws.recorder.mark()
    process = inventory(aws, tmp_path, config)
    assert process.returncode == 0, process.stderr
    hosts = hostvars(json.loads(process.stdout))
    assert sorted(h["aws_account_id"] for h in hosts.values()) == sorted([ids["web"], ids["pay"]])
    pay = hosts["{0}-us-east-1".format(ids["pay"])]
    assert pay["assume_role_arn"].endswith(":role/deployer-pay")
    assert pay["assume_role_external_id"] == "ext-123"
    assert pay["aws_account_tags"] == {"flowlogs": "enabled", "env": "prod"}
    ops = [c.operation for c in aws.recorder.calls(since=mark)]
    assert ops.count("ListTagsForResource") == 2  # only the accounts under the OU are asked
    assert "ListAccounts" not in ops


def test_non_recursive_ou_and_account_id_filter(aws, tmp_path, organization):
    ids = organization["ids"]
    config = ("plugin: netobs.flowlogs.aws_accounts\nregions: [us-east-1]\nou_ids: ['{0}']\nou_recursive: false\n"
              "account_ids: ['{1}', '{2}']\n").format(organization["prod"], ids["web"], ids["pay"])
    process = inventory(aws, tmp_path, config)
    assert process.returncode == 0, process.stderr
    hosts = hostvars(json.loads(process.stdout))
    assert [h["aws_account_id"] for h in hosts.values()] == [ids["web"]]


def test_flat_listing_without_ou_grouping_uses_list_accounts(aws, tmp_path, organization):
    mark = aws.recorder.mark()
    process = inventory(aws, tmp_path, "plugin: netobs.flowlogs.aws_accounts\nregions: [us-east-1]\n"
                        "group_by_ou: false\nkeyed_groups:\n  - key: aws_account_name\n    prefix: name\n")
    assert process.returncode == 0, process.stderr
    data = json.loads(process.stdout)
    assert len(hostvars(data)) == 5  # the four members and the management account
    assert not any(name.startswith("ou_") for name in data)
    assert data["name_sandbox"]["hosts"] == ["{0}-us-east-1".format(organization["ids"]["sandbox"])]
    ops = [c.operation for c in aws.recorder.calls(since=mark)]
    assert ops.count("ListAccounts") == 1 and "ListAccountsForParent" not in ops


def test_cache_serves_the_second_read_without_calls(aws, tmp_path, organization):
    cache_dir = tmp_path / "cache"
    config = ("plugin: netobs.flowlogs.aws_accounts\nregions: [us-east-1]\ncache: true\n"
              "cache_plugin: ansible.builtin.jsonfile\ncache_connection: {0}\ncache_timeout: 600\n").format(cache_dir)
    first = inventory(aws, tmp_path, config)
    assert first.returncode == 0, first.stderr
    assert os.listdir(cache_dir), "the jsonfile cache holds the organization"
    mark = aws.recorder.mark()
    second = inventory(aws, tmp_path, config)
    assert second.returncode == 0, second.stderr
    assert aws.recorder.calls(since=mark) == []
    assert hostvars(json.loads(second.stdout)) == hostvars(json.loads(first.stdout))
    flushed = inventory(aws, tmp_path, config, args=("--list", "--flush-cache"))
    assert flushed.returncode == 0, flushed.stderr
    assert any(c.operation == "ListRoots" for c in aws.recorder.calls(since=mark))


@pytest.mark.parametrize("line,message", [
    ("regions: []", "regions"),
    ("regions: [us-east-1]\naccount_ids: ['12345']", "12-digit"),
    ("regions: [us-east-1]\nou_ids: ['prod']", "ou_ids"),
])
def test_bad_configuration_fails_before_any_call(aws, tmp_path, organization, line, message):
    mark = aws.recorder.mark()
    process = inventory(aws, tmp_path, "plugin: netobs.flowlogs.aws_accounts\n" + line + "\n",
                        env={"ANSIBLE_INVENTORY_UNPARSED_FAILED": "True"})
    assert process.returncode != 0
    assert message in process.stderr
    assert aws.recorder.calls(since=mark) == []


def test_organizations_error_is_reported(aws, tmp_path, organization):
    aws.faults.add(kind="error", service="organizations", operation="ListRoots", code="AccessDeniedException",
                   message="not the management account", status=400)
    process = inventory(aws, tmp_path, "plugin: netobs.flowlogs.aws_accounts\nregions: [us-east-1]\n",
                        env={"ANSIBLE_INVENTORY_UNPARSED_FAILED": "True"})
    assert process.returncode != 0
    assert "AccessDeniedException" in process.stderr and "ListRoots" in process.stderr


def test_file_name_must_say_aws_accounts(aws, tmp_path, organization):
    process = inventory(aws, tmp_path, "plugin: netobs.flowlogs.aws_accounts\nregions: [us-east-1]\n",
                        name="fleet.yml", env={"ANSIBLE_INVENTORY_ENABLED": "netobs.flowlogs.aws_accounts",
                                               "ANSIBLE_INVENTORY_UNPARSED_FAILED": "True"})
    assert process.returncode != 0
