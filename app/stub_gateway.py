"""A local stub of the outside channels' gateways, for the tests and `yiwang demo`: a small HTTP server that takes
the webhooks (`POST /hooks/…`) and the SMS gateway's messages (`POST /sms`) a center sends, checks their signature
(`X-Yiwang-Timestamp`, `X-Yiwang-Signature`, when it was given the secret), drops repeats by `Idempotency-Key`, and
shows what arrived (`GET /state`, phone numbers masked). `POST /faults` `{"fail_next": N, "status": 503}` makes the
next N requests fail, to watch the sender retry.

    python -m app.stub_gateway --port 9400          # or: yiwang stub-gateway --port 9400
    YIWANG_WEBHOOK_URL=http://127.0.0.1:9400 YIWANG_SMS_URL=http://127.0.0.1:9400/sms yiwang run …

The secrets default to YIWANG_WEBHOOK_SECRET and YIWANG_SMS_SECRET. The stdlib's ThreadingHTTPServer, no
framework: it runs in a test's process as well as on its own."""
from __future__ import annotations

import argparse
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from shared.contracts.signing import BadSignature, verify
from shared.observability import mask_phone


class StubGateway:
    def __init__(self, *, webhook_secret: str | None = None, sms_secret: str | None = None, port: int = 0,
                 host: str = "127.0.0.1", echo: bool = False):
        self.webhook_secret, self.sms_secret, self.echo = webhook_secret, sms_secret, echo
        self._host, self._port = host, port
        self._lock = threading.Lock()
        self._seen: set[str] = set()
        self._received: list[dict] = []    # in arrival order: {channel, path, body}
        self._fail_next, self._fail_status = 0, 503
        self.totals = {"requests": 0, "accepted": 0, "failed": 0, "bad_signature": 0, "duplicates": 0}
        self._server: ThreadingHTTPServer | None = None

    # ---- running ----
    def start(self) -> StubGateway:
        handler = type("Handler", (_Handler,), {"stub": self})
        self._server = ThreadingHTTPServer((self._host, self._port), handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="stub-gateway", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> StubGateway:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "start the stub first"
        return f"http://{self._host}:{self._server.server_address[1]}"

    # ---- what a test looks at ----
    def messages(self, channel: str | None = None) -> list[dict]:
        """What arrived (each once), in order: `{channel, path, body}`; SMS bodies hold the number in full."""
        with self._lock:
            return [dict(m) for m in self._received if channel in (None, m["channel"])]

    def fail_next(self, n: int, status: int = 503) -> None:
        with self._lock:
            self._fail_next, self._fail_status = n, status

    def state(self) -> dict:
        """What arrived, as `GET /state` shows it: phone numbers masked."""
        with self._lock:
            shown = [{**m, "body": {**m["body"], "to": mask_phone(m["body"]["to"])} if "to" in m["body"] else m["body"]}
                     for m in self._received]
            return {"totals": dict(self.totals), "messages": shown}

    # ---- the server's side ----
    def receive(self, path: str, headers, raw: bytes) -> tuple[int, dict]:
        channel = "sms" if path.rstrip("/") == "/sms" else "webhook" if path.startswith("/hooks/") else None
        with self._lock:
            self.totals["requests"] += 1
            if channel is None:
                return 404, {"error": "unknown path: POST /sms or /hooks/…"}
            secret = self.sms_secret if channel == "sms" else self.webhook_secret
            if secret:
                try:
                    verify(headers, raw, secret)
                except BadSignature as exc:
                    self.totals["bad_signature"] += 1
                    return 401, {"error": exc.code}
            if self._fail_next > 0:
                self._fail_next -= 1
                self.totals["failed"] += 1
                return self._fail_status, {"error": "injected fault"}
            try:
                body = json.loads(raw)
            except ValueError:
                return 400, {"error": "not JSON"}
            key = headers.get("Idempotency-Key") or str(body.get("id"))
            if key in self._seen:
                self.totals["duplicates"] += 1
                return 200, {"duplicate": True}
            self._seen.add(key)
            self._received.append({"channel": channel, "path": path, "body": body})
            self.totals["accepted"] += 1
        if self.echo:
            who = mask_phone(body.get("to")) if channel == "sms" else path
            print(f"{channel} → {who}: {body.get('text') or body.get('title')}", flush=True)
        return 200, {"ok": True}

    def set_faults(self, raw: bytes) -> tuple[int, dict]:
        try:
            doc = json.loads(raw or b"{}")
            self.fail_next(int(doc.get("fail_next", 0)), int(doc.get("status", 503)))
        except (ValueError, TypeError, AttributeError):
            return 400, {"error": "expected {\"fail_next\": N, \"status\": 503}"}
        return 200, {"ok": True}


class _Handler(BaseHTTPRequestHandler):
    stub: StubGateway

    def do_GET(self):
        if self.path.rstrip("/") == "/state":
            self._reply(200, self.stub.state())
        else:
            self._reply(404, {"error": "GET /state"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if self.path.rstrip("/") == "/faults":
            self._reply(*self.stub.set_faults(raw))
        else:
            self._reply(*self.stub.receive(self.path, self.headers, raw))

    def _reply(self, status: int, doc: dict) -> None:
        out = json.dumps(doc, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, format, *args):  # noqa: A002  (no request lines: a path may name a person)
        pass


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=9400, help="port (default 9400)")
    p.add_argument("--webhook-secret", dest="webhook_secret", default=os.environ.get("YIWANG_WEBHOOK_SECRET"),
                   help="check webhooks' signatures with it (default $YIWANG_WEBHOOK_SECRET)")
    p.add_argument("--sms-secret", dest="sms_secret", default=os.environ.get("YIWANG_SMS_SECRET"),
                   help="check SMS requests' signatures with it (default $YIWANG_SMS_SECRET)")


def serve(args: argparse.Namespace) -> int:
    stub = StubGateway(webhook_secret=args.webhook_secret, sms_secret=args.sms_secret, port=args.port,
                       host=args.host, echo=True).start()
    print(f"stub gateway at {stub.url}: YIWANG_WEBHOOK_URL={stub.url} YIWANG_SMS_URL={stub.url}/sms "
          f"(state: {stub.url}/state); Ctrl-C stops it", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        stub.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m app.stub_gateway", description=__doc__.splitlines()[0])
    add_arguments(p)
    return serve(p.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
