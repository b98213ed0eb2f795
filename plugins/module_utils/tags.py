# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tags, the same way for IAM, CloudWatch Logs and EC2: validate, compare, convert."""

from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import ValidationError

MAX_TAGS = 50
MAX_KEY_LENGTH = 128
MAX_VALUE_LENGTH = 256

# The tag every resource this collection creates carries (policy, role, log group, flow log).
# A resource of the chosen name without it belongs to someone else: it is not changed (or deleted)
# unless the user opts in to adopting it.
MANAGED_BY_TAG = ("ManagedBy", "netobs.flowlogs")


def is_owned(tags):
    """True when a resource's tags (a str->str dict) carry MANAGED_BY_TAG."""
    return (tags or {}).get(MANAGED_BY_TAG[0]) == MANAGED_BY_TAG[1]


def with_ownership(tags):
    """``tags`` (None for "no tags asked") plus MANAGED_BY_TAG, kept even if the user set the key.

    The result is never None: an owned resource always has its ownership tag desired, so
    purge_tags cannot remove it.
    """
    result = dict(tags or {})
    result[MANAGED_BY_TAG[0]] = MANAGED_BY_TAG[1]
    return result


def validate_tags(tags, param="tags"):
    """Check tags against the limits shared by IAM, Logs and EC2; returns a str->str dict."""
    if tags is None:
        return None
    if not isinstance(tags, dict):
        raise ValidationError(param, "must be a dictionary of key: value strings")
    if len(tags) > MAX_TAGS:
        raise ValidationError(param, "has {0} tags; AWS allows at most {1}".format(len(tags), MAX_TAGS))
    clean = {}
    for key, value in tags.items():
        key = str(key)
        value = "" if value is None else value
        if not isinstance(value, str):
            value = str(value)
        if not key or len(key) > MAX_KEY_LENGTH:
            raise ValidationError(param, "key {0!r} must be 1 to {1} characters".format(key, MAX_KEY_LENGTH))
        if key.lower().startswith("aws:"):
            raise ValidationError(param, "key {0!r} uses the reserved prefix 'aws:'".format(key))
        if len(value) > MAX_VALUE_LENGTH:
            raise ValidationError(param, "value of {0!r} is over {1} characters".format(key, MAX_VALUE_LENGTH))
        clean[key] = value
    return clean


def tag_list_to_dict(tag_list, key_name="Key", value_name="Value"):
    return dict((tag[key_name], tag.get(value_name, "")) for tag in tag_list or [])


def dict_to_tag_list(tags, key_name="Key", value_name="Value"):
    return [{key_name: key, value_name: value} for key, value in sorted((tags or {}).items())]


def compare_tags(current, desired, purge):
    """(tags to set, keys to remove) that turn ``current`` into ``desired``.

    ``desired`` None means "leave tags alone", whatever ``purge`` says.
    """
    current = current or {}
    if desired is None:
        return {}, []
    to_set = dict((k, v) for k, v in desired.items() if current.get(k) != v)
    to_remove = sorted(k for k in current if k not in desired) if purge else []
    return to_set, to_remove


def merged_tags(current, desired, purge):
    """The tags a resource will carry after compare_tags' changes are applied."""
    if desired is None:
        return dict(current or {})
    result = {} if purge else dict(current or {})
    result.update(desired)
    return result


def without_ownership(tags):
    """``tags`` minus MANAGED_BY_TAG's key: what is compared on a resource the run does not claim."""
    if tags is None:
        return None
    return dict((k, v) for k, v in tags.items() if k != MANAGED_BY_TAG[0])


def refuse_unowned(kind, name, differences):
    """Stop before any change to a ``kind`` named ``name`` that this collection did not create.

    ``differences`` says what the run would change; the error names the ``adopt`` option (the
    enable role sets it from ``flowlogs_adopt_existing``).
    """
    raise ValidationError("adopt", "{0} {1} exists but carries no {2}: {3} tag, so netobs.flowlogs did not create it "
                                   "and will not change it; it differs in: {4}. Set adopt: true (role variable "
                                   "flowlogs_adopt_existing: true) to take it over, or choose another name".format(
                                       kind, name, MANAGED_BY_TAG[0], MANAGED_BY_TAG[1], "; ".join(differences)))


def desired_tags(current, asked, claim):
    """The tags to compare an existing resource with.

    ``asked`` None leaves the tags alone, except that a resource being adopted (``claim``, not yet
    owned) gets MANAGED_BY_TAG added to the ones it has; a resource not claimed is compared without
    MANAGED_BY_TAG, so the ownership tag alone is never a reason to refuse it.
    """
    if not claim:
        return without_ownership(asked)
    if asked is None:
        return None if is_owned(current) else with_ownership(current)
    return with_ownership(asked)
