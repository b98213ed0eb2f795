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


# The default Regions of the aws partition, enabled in every account ("Enable or disable AWS
# Regions in your account", https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html:
# "Regions launched before March 20, 2019 are enabled by default").
DEFAULT_REGIONS = sorted([
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1", "eu-central-1", "eu-west-1",
    "eu-west-2", "eu-west-3", "eu-north-1", "ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    "ap-southeast-1", "ap-southeast-2",
])


def regions_by_account(hosts):
    regions = {}
    for host in hosts.values():
        regions.setdefault(host["aws_account_id"], []).append(host["aws_region"])
    return dict((account, sorted(names)) for account, names in regions.items())


@pytest.mark.parametrize("regions", ["all", "[all]"])
def test_regions_all_gives_each_account_its_enabled_regions(aws, tmp_path, organization, regions):
    ids = organization["ids"]
    # An opt-in Region enabled in one account only: EC2 DescribeRegions reports it "opted-in" there
    # and "not-opted-in" elsewhere (API_Region OptInStatus); the not-opted-in ones are no targets.
    aws.enable_region(ids["web"], "af-south-1")
    config = ("plugin: netobs.flowlogs.aws_accounts\nregions: {0}\naccount_ids: ['{1}', '{2}']\n"
              "target_external_id: ext-123\n").format(regions, ids["web"], ids["pay"])
    mark = aws.recorder.mark()
    process = inventory(aws, tmp_path, config)
    assert process.returncode == 0, process.stderr
    data = json.loads(process.stdout)
    hosts = hostvars(data)
    assert regions_by_account(hosts) == {ids["web"]: sorted(DEFAULT_REGIONS + ["af-south-1"]),
                                         ids["pay"]: DEFAULT_REGIONS}
    web = hosts["{0}-af-south-1".format(ids["web"])]
    assert web["assume_role_arn"] == "arn:aws:iam::{0}:role/{1}".format(ids["web"], ROLE)
    assert web["assume_role_external_id"] == "ext-123"
    assert data["region_af_south_1"]["hosts"] == ["{0}-af-south-1".format(ids["web"])]
    assert not any(h["aws_region"] in ("me-south-1", "us-gov-west-1", "cn-north-1") for h in hosts.values())
    # One AssumeRole and one DescribeRegions per account, the latter made in the account itself.
    calls = aws.recorder.calls(since=mark)
    described = sorted(c.account for c in calls if c.operation == "DescribeRegions")
    assert described == sorted([ids["web"], ids["pay"]])
    assert [c.operation for c in calls].count("AssumeRole") == 2
    assert aws.recorder.mutating(since=mark) == []


def test_regions_all_is_cached_with_the_accounts(aws, tmp_path, organization):
    ids = organization["ids"]
    cache = ("cache: true\ncache_plugin: ansible.builtin.jsonfile\ncache_connection: {0}\ncache_timeout: 600\n"
             "account_ids: ['{1}']\n").format(tmp_path / "cache", ids["sandbox"])
    fixed = inventory(aws, tmp_path, "plugin: netobs.flowlogs.aws_accounts\nregions: [us-east-1]\n" + cache)
    assert fixed.returncode == 0, fixed.stderr
    # Switching to 'all' over a cached organization reads only the regions, then caches them too.
    mark = aws.recorder.mark()
    first = inventory(aws, tmp_path, "plugin: netobs.flowlogs.aws_accounts\nregions: all\n" + cache)
    assert first.returncode == 0, first.stderr
    assert sorted(set(c.operation for c in aws.recorder.calls(since=mark))) == ["AssumeRole", "DescribeRegions"]
    assert regions_by_account(hostvars(json.loads(first.stdout))) == {ids["sandbox"]: DEFAULT_REGIONS}
    aws.enable_region(ids["sandbox"], "eu-south-1")
    mark = aws.recorder.mark()
    second = inventory(aws, tmp_path, "plugin: netobs.flowlogs.aws_accounts\nregions: all\n" + cache)
    assert second.returncode == 0, second.stderr
    assert aws.recorder.calls(since=mark) == []
    assert hostvars(json.loads(second.stdout)) == hostvars(json.loads(first.stdout))
    flushed = inventory(aws, tmp_path, "plugin: netobs.flowlogs.aws_accounts\nregions: all\n" + cache,
                        args=("--list", "--flush-cache"))
    assert flushed.returncode == 0, flushed.stderr
    assert "eu-south-1" in regions_by_account(hostvars(json.loads(flushed.stdout)))[ids["sandbox"]]


def test_regions_all_failure_names_the_account(aws, tmp_path, organization):
    ids = organization["ids"]
    aws.faults.add(kind="error", service="ec2", operation="DescribeRegions", account=ids["pay"],
                   code="UnauthorizedOperation", message="You are not authorized to perform this operation.",
                   status=403)
    config = "plugin: netobs.flowlogs.aws_accounts\nregions: all\naccount_ids: ['{0}', '{1}']\n".format(
        ids["web"], ids["pay"])
    process = inventory(aws, tmp_path, config, env={"ANSIBLE_INVENTORY_UNPARSED_FAILED": "True"})
    assert process.returncode != 0
    message = " ".join(process.stderr.split())
    assert "account {0} (pay)".format(ids["pay"]) in message
    assert "UnauthorizedOperation" in message and "DescribeRegions" in message
    assert "account {0} (web)".format(ids["web"]) not in message


def test_exclude_regions_takes_regions_out_of_all_and_of_a_list(aws, tmp_path, organization):
    ids = organization["ids"]
    aws.enable_region(ids["web"], "af-south-1")
    config = ("plugin: netobs.flowlogs.aws_accounts\nregions: all\naccount_ids: ['{0}']\n"
              "exclude_regions: [af-south-1, eu-west-1]\n").format(ids["web"])
    process = inventory(aws, tmp_path, config)
    assert process.returncode == 0, process.stderr
    expected = sorted(r for r in DEFAULT_REGIONS if r != "eu-west-1")
    assert regions_by_account(hostvars(json.loads(process.stdout))) == {ids["web"]: expected}
    config = ("plugin: netobs.flowlogs.aws_accounts\nregions: [us-east-1, eu-west-1]\naccount_ids: ['{0}']\n"
              "exclude_regions: [eu-west-1]\n").format(ids["web"])
    process = inventory(aws, tmp_path, config)
    assert process.returncode == 0, process.stderr
    assert regions_by_account(hostvars(json.loads(process.stdout))) == {ids["web"]: ["us-east-1"]}


@pytest.mark.parametrize("line,message", [
    ("regions: []", "regions"),
    ("regions: [us-east-1]\nexclude_regions: [us-east-1]", "leaves none"),
    ("regions: [Mars-Central]", "region names"),
    ("regions: all\nexclude_regions: [eu west 1]", "exclude_regions must be region names"),
    ("regions: [all, us-east-1]", "stands alone"),
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
