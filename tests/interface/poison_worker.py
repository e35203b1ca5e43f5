"""A worker process for test_poison: a chain handler that records what it handled in a file and dies (SIGKILL,
as the kernel's OOM killer or an operator would) on any case whose id starts with KILL.

    python -m tests.interface.poison_worker AMQP_URI DATABASE_URL CENTER SEEN_FILE"""
import eventlet

eventlet.monkey_patch()  # noqa: E402

import os  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402

from nameko.runners import ServiceRunner  # noqa: E402

from shared.extensions.database import Store  # noqa: E402
from shared.messaging.entrypoint import chain_handler  # noqa: E402
from tests import support  # noqa: E402

SEEN = sys.argv[4] if len(sys.argv) > 4 else os.devnull


class Poisoned:
    name = "poisoned"
    store = Store()

    @chain_handler("supervised")
    def handle(self, event):
        with open(SEEN, "a") as f:
            f.write(event.subject + "\n")
        if event.subject.startswith("KILL"):
            os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    amqp_uri, database_url, center = sys.argv[1:4]
    # one message in flight at a time: a message delivered beside the poison dies with the worker too, and the two
    # come back together from the retry queue, so it could reach the delivery limit as well (a limit of set-aside,
    # noted in docs/routing-keys.md)
    runner = ServiceRunner(support.center_config(support.settings(amqp_uri, database_url, max_workers=1), center))
    runner.add_service(Poisoned)
    runner.start()
    runner.wait()
