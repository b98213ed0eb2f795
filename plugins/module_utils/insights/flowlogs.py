# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""VPC flow-log knowledge: the fields Insights discovers for the default format and custom-format parsing."""

import re

from ansible_collections.netobs.flowlogs.plugins.module_utils.flowlog_fields import (
    DEFAULT_FIELDS, FIELD_NAMES, insights_name,
)

# Names come from the one flow-log field catalogue (module_utils/flowlog_fields.py): the v2 fields
# as Insights discovers them (start/end -> startTime/endTime), every other field hyphens -> camelCase.
FLOW_LOG_V2_FIELDS = tuple(insights_name(field) for field in DEFAULT_FIELDS)
INSIGHTS_FIELD_NAMES = dict((field, insights_name(field)) for field in FIELD_NAMES)

# Fields whose values are IP addresses (for lint advice about prefix ``like`` filters).
ADDRESS_FIELDS = frozenset(("srcAddr", "dstAddr", "pktSrcAddr", "pktDstAddr"))

_LOG_FORMAT_FIELD_RE = re.compile(r"\$\{([A-Za-z0-9-]+)\}")


def insights_field_name(field):
    """camelCase Insights name of a flow-log field (unknown fields get the same hyphen rule)."""
    return insights_name(field)


def parse_prefix_for_log_format(log_format):
    """``parse @message "* * ..." as a, b, ...`` for a flow log's LogFormat, so custom formats are queryable.

    >>> parse_prefix_for_log_format("${version} ${vpc-id} ${srcaddr}")
    'parse @message "* * *" as version, vpcId, srcAddr'
    """
    fields = _LOG_FORMAT_FIELD_RE.findall(log_format or "")
    leftover = _LOG_FORMAT_FIELD_RE.sub("", log_format or "").strip()
    if not fields or leftover:
        raise ValueError("not a flow-log LogFormat of ${field} tokens separated by spaces: %r" % log_format)
    names = [insights_field_name(field) for field in fields]
    return 'parse @message "%s" as %s' % (" ".join(["*"] * len(names)), ", ".join(names))


def is_default_flow_log_record(tokens):
    """True for the tokens of a default-format (v2) record: 14 fields, version "2"."""
    return len(tokens) == 14 and tokens[0] == "2"
