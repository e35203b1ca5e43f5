"""One broker user per center (QUALITY.md S5): RabbitMQ definitions that let center C's user `yiwang-C` publish
only the routing keys C may speak for, and touch only its own queues (and, on a shared broker, those of the
centers below it, which it declares before handing them cases).

Routing keys spell region paths (docs/routing-keys.md). C may publish and bind:
- every key in its own subtree: `{path of C}.…` (its own events and the hand-overs to the centers below it);
- its ancestors' own events, one segment after their path (`320600.escalated`: a case taken up to a parent).
A sibling's keys are refused by the broker. What C's events claim is checked by their consumers too: an event
whose `center` is not its publisher's is dead-lettered (topology.vouched), and the broker refuses a `user_id`
that is not the publishing connection's own.

    yiwang broker-user --region 320612 --vhost / --password-file pw > 320612.json
    rabbitmqctl import_definitions 320612.json
"""
from __future__ import annotations

import base64
import hashlib
import os
import re

from shared.catalog import load_catalog
from shared.messaging import topology


def password_hash(password: str, salt: bytes | None = None) -> str:
    """RabbitMQ's `rabbit_password_hashing_sha256`: base64(salt + sha256(salt + password))."""
    salt = salt if salt is not None else os.urandom(4)
    return base64.b64encode(salt + hashlib.sha256(salt + password.encode()).digest()).decode()


def key_pattern(center: str) -> str:
    """The routing keys center may publish and bind on `yiwang.chain` (a topic permission's regex)."""
    path = [re.escape(code) for code in load_catalog().regions.path(center)]
    ancestors = ["\\.".join(path[:i]) for i in range(1, len(path))]
    own = "\\.".join(path)
    event = "[a-z_]+"
    if not ancestors:
        return f"^{own}(\\..+)?$"
    return f"^(({'|'.join(ancestors)})\\.{event}|{own}(\\..+)?)$"


def resource_pattern(center: str) -> str:
    """The exchanges and queues center's user may declare, write to and read from."""
    codes = "|".join(re.escape(c) for c in load_catalog().regions.subtree(center))
    names = [re.escape(topology.EXCHANGE_NAME), re.escape(topology.UNROUTABLE_NAME), "amq\\.default",
             f"yiwang\\.({codes})\\..+"]
    return f"^({'|'.join(dict.fromkeys(names))})$"


def definitions(center: str, vhost: str, password: str, salt: bytes | None = None) -> dict:
    """A RabbitMQ definitions document with center's user, its permissions and topic permissions."""
    user = topology.center_user(center)
    resources, keys = resource_pattern(center), key_pattern(center)
    return {
        "users": [{"name": user, "password_hash": password_hash(password, salt),
                   "hashing_algorithm": "rabbit_password_hashing_sha256", "tags": [], "limits": {}}],
        "permissions": [{"user": user, "vhost": vhost, "configure": resources, "write": resources,
                         "read": resources}],
        "topic_permissions": [{"user": user, "vhost": vhost, "exchange": topology.EXCHANGE_NAME,
                               "write": keys, "read": keys}],
    }
