"""The P1 baseline: a bare kombu relay with the same hops and guarantees as the chain (durable queues,
persistent messages, publisher confirms, acks after work). Each role runs in its own process:

    python -m tests.perf.kombu_relay produce --amqp URI --out Q1 --count N --concurrency C
    python -m tests.perf.kombu_relay stage   --amqp URI --in Q1 --out Q2 --count N
    python -m tests.perf.kombu_relay sink    --amqp URI --in Q3 --count N

Every role declares the queues it touches, prints `ready` once it consumes (or, for the producer, once all
its connections are open), and then machine-readable lines the benchmark reads: the producer prints
`start <t>` (time.monotonic() just before its first publish; CLOCK_MONOTONIC is system-wide on Linux, so
the sink's clock is comparable) and the sink prints `done <t_first> <t_last>` after the N-th message.
Each role exits on its own after N messages, or after --idle seconds without one (bounded)."""
from __future__ import annotations

import argparse
import itertools
import json
import sys
import threading
import time

from kombu import Connection, Consumer, Exchange, Producer, Queue

DEFAULT = Exchange("", type="direct", durable=True)
PREFETCH = 10
# about the size of a chain event (a `received` CloudEvent with its case snapshot is ~1 KB)
BODY_PAD = "x" * 900


def say(*parts) -> None:
    print(*parts, flush=True)


def queue(name: str) -> Queue:
    return Queue(name, exchange=DEFAULT, routing_key=name, durable=True)


def confirmed(uri: str) -> Connection:
    return Connection(uri, connect_timeout=5, transport_options={"confirm_publish": True})


def publish(producer: Producer, body: str, routing_key: str) -> None:
    producer.publish(body, exchange="", routing_key=routing_key, delivery_mode=2,
                     content_type="application/json", content_encoding="utf-8", retry=False)


def produce(args) -> int:
    counter = itertools.count()
    conns, producers = [], []
    for _ in range(args.concurrency):
        conn = confirmed(args.amqp)
        conn.ensure_connection(max_retries=3)
        channel = conn.channel()
        queue(args.out)(channel).declare()
        conns.append(conn)
        producers.append(Producer(channel))
    errors: list[str] = []
    started = threading.Barrier(args.concurrency + 1)

    def worker(producer: Producer) -> None:
        started.wait()
        while True:
            i = next(counter)
            if i >= args.count:
                return
            try:
                publish(producer, json.dumps({"n": i, "pad": BODY_PAD}), args.out)
            except Exception as exc:  # pragma: no cover - reported, the benchmark then times out
                errors.append(repr(exc))
                return

    threads = [threading.Thread(target=worker, args=(p,), daemon=True) for p in producers]
    for t in threads:
        t.start()
    say("ready")
    t0 = time.monotonic()
    started.wait()
    say("start", repr(t0))
    for t in threads:
        t.join()
    say("published", repr(time.monotonic()))
    for e in errors[:3]:
        say("error", e)
    for c in conns:
        c.release()
    return 1 if errors else 0


def consume(args, on_body) -> int:
    """Consume args.in_ with prefetch PREFETCH; `on_body(body)` does the work, then the ack."""
    done = threading.Event()
    seen = itertools.count(1)

    def on_message(message) -> None:
        on_body(message.body)
        message.ack()
        if next(seen) >= args.count:
            done.set()

    with Connection(args.amqp, connect_timeout=5) as conn:
        channel = conn.channel()
        queue(args.in_)(channel).declare()
        consumer = Consumer(channel, queues=[queue(args.in_)], on_message=on_message, no_ack=False,
                            prefetch_count=PREFETCH, accept=["json"])
        consumer.consume()
        say("ready")
        last = time.monotonic()
        while not done.is_set():
            try:
                conn.drain_events(timeout=0.5)
                last = time.monotonic()
            except TimeoutError:
                if time.monotonic() - last > args.idle:
                    say("error", f"idle for {args.idle}s; giving up")
                    return 1
            except OSError as exc:  # socket.timeout is an OSError in 3.11
                if "timed out" not in str(exc):
                    raise
                if time.monotonic() - last > args.idle:
                    say("error", f"idle for {args.idle}s; giving up")
                    return 1
    return 0


def stage(args) -> int:
    with confirmed(args.amqp) as out_conn:  # its own connection: a confirm wait never runs a delivery
        channel = out_conn.channel()
        queue(args.out)(channel).declare()
        producer = Producer(channel)

        def relay(body) -> None:
            event = json.loads(body)
            event["hops"] = event.get("hops", 0) + 1
            publish(producer, json.dumps(event), args.out)
        return consume(args, relay)


def sink(args) -> int:
    times: list[float] = []

    def count(body) -> None:
        times.append(time.monotonic())
    rc = consume(args, count)
    if rc == 0:
        say("done", repr(times[0]), repr(times[-1]))
    return rc


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="kombu_relay", description=__doc__.splitlines()[0])
    p.add_argument("role", choices=("produce", "stage", "sink"))
    p.add_argument("--amqp", required=True)
    p.add_argument("--in", dest="in_")
    p.add_argument("--out")
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--concurrency", type=int, default=20)
    p.add_argument("--idle", type=float, default=60.0, help="give up after this many seconds without a message")
    args = p.parse_args(argv)
    return {"produce": produce, "stage": stage, "sink": sink}[args.role](args)


if __name__ == "__main__":
    sys.exit(main())
