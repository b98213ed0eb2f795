# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""IP address classification (CWL_QuerySyntax-operations-functions, "IP address string functions").

``isPrivateIP``: an RFC 1918 IPv4 address (10/8, 172.16/12, 192.168/16) or an IPv6 unique local address
(fc00::/7). ``isReservedIP``: any other special-purpose address (loopback, link-local, documentation,
multicast, ...), i.e. one that is neither global nor private. ``isPublicIP``: a globally routable address.
``ipv4ToNumber``: the address as an unsigned 32-bit number. Anything that is not an address gives false/null.
"""

import ipaddress

from ..values import to_text
from .registry import register

_PRIVATE = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")]


def _address(value):
    text = to_text(value)
    if text is None:
        return None
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def is_private(address):
    return any(address.version == network.version and address in network for network in _PRIVATE)


def _is_private(value):
    address = _address(value)
    return address is not None and is_private(address)


def _is_public(value):
    address = _address(value)
    return address is not None and address.is_global and not address.is_multicast


def _is_reserved(value):
    address = _address(value)
    return address is not None and not _is_public(value) and not is_private(address)


def _ipv4_to_number(value):
    address = _address(value)
    return int(address) if address is not None and address.version == 4 else None


register("isPrivateIP", 1, 1, _is_private)
register("isPublicIP", 1, 1, _is_public)
register("isReservedIP", 1, 1, _is_reserved)
register("ipv4ToNumber", 1, 1, _ipv4_to_number)
