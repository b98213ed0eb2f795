# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tags, the same way for IAM, CloudWatch Logs and EC2: validate, compare, convert."""

from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import ValidationError

MAX_TAGS = 50
MAX_KEY_LENGTH = 128
MAX_VALUE_LENGTH = 256


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


# The tag on every resource the collection creates; deletes touch only what carries it.
MANAGED_BY_TAG = ("ManagedBy", "netobs.flowlogs")


def is_managed(tags):
    """True when ``tags`` (a dict) carry MANAGED_BY_TAG."""
    return (tags or {}).get(MANAGED_BY_TAG[0]) == MANAGED_BY_TAG[1]
