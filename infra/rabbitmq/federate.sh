#!/usr/bin/env bash
# Link a child center's broker to its parent center's broker: exchange federation of `yiwang.chain` both ways.
#
#   infra/rabbitmq/federate.sh PARENT_VHOST PARENT_URI CHILD_VHOST CHILD_URI LINK_NAME
#
#   PARENT_URI  how the child's broker reaches the parent's (amqp://user:pass@host:5672/vhost)
#   CHILD_URI   how the parent's broker reaches the child's
#   LINK_NAME   a name for the link, e.g. the child's region code (320612)
#
# Environment: PARENT_NODE / CHILD_NODE — the rabbitmqctl node names of the two brokers (default: the local node,
# as when each center has its own vhost on one machine). Idempotent: run it again to change a link.
#
# What it sets on each side (the checked shape of ARCHITECTURE.md): an upstream with ack-mode on-confirm (a message
# leaves the upstream only once the downstream confirmed it) and max-hops 2 (township → county → city and back
# down), a policy federating `yiwang.chain` from every upstream of the vhost, and a bound on the federation buffer
# (reject-publish) so a long outage pushes back on publishers — whose outbox keeps the events — instead of filling
# the broker's disk. trust-user-id keeps each event's AMQP user_id, which the first broker validated, so the centers
# on the far side can check that an event's `center` is its publisher's (topology.vouched). Run the centers with
# YIWANG_FEDERATED=true: each declares only its own queues, on its own broker. Each center's routing keys spell its region path, so every center receives exactly what it
# binds, once.
set -euo pipefail
if [ $# -ne 5 ]; then
  sed -n '2,12p' "$0" >&2
  exit 2
fi
parent_vhost=$1 parent_uri=$2 child_vhost=$3 child_uri=$4 link=$5
ctl() { local node=$1; shift; if [ -n "$node" ]; then rabbitmqctl -q -n "$node" "$@"; else rabbitmqctl -q "$@"; fi; }
upstream() { printf '{"uri":"%s","ack-mode":"on-confirm","max-hops":2,"trust-user-id":true,"reconnect-delay":2}' "$1"; }

for node in "${PARENT_NODE:-}" "${CHILD_NODE:-}"; do
  if [ -n "$node" ]; then rabbitmq-plugins -q -n "$node" enable rabbitmq_federation >/dev/null
  else rabbitmq-plugins -q enable rabbitmq_federation >/dev/null; fi
done

side() {  # node vhost upstream-name upstream-uri
  ctl "$1" set_parameter -p "$2" federation-upstream "$3" "$(upstream "$4")"
  ctl "$1" set_policy -p "$2" --apply-to exchanges --priority 10 yiwang-federation '^yiwang\.chain$' \
    '{"federation-upstream-set":"all"}'
  ctl "$1" set_policy -p "$2" --apply-to queues --priority 10 yiwang-federation-buffer '^federation: yiwang\.chain' \
    '{"max-length":1000000,"overflow":"reject-publish"}'
}
side "${CHILD_NODE:-}" "$child_vhost" "yiwang-parent" "$parent_uri"
side "${PARENT_NODE:-}" "$parent_vhost" "yiwang-child-$link" "$child_uri"
echo "federated: $child_vhost <-> $parent_vhost (link $link)"
