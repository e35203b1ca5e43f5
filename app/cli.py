"""The `yiwang` command: run a center, create tokens, inspect and replay dead letters, run the demo."""
import eventlet

eventlet.monkey_patch()  # noqa: E402  (before anything imports socket, threading or the database driver)

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

from shared.config import ConfigError, Settings, load_settings  # noqa: E402


def _services(raw: str) -> list[str]:
    from app.composition import SERVICES

    names = [s.strip() for s in raw.split(",") if s.strip()]
    unknown = [n for n in names if n not in SERVICES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"unknown service(s) {', '.join(unknown) or '(none)'}; "
                                         f"choose from {','.join(SERVICES)}")
    return names


def _scale(raw: str) -> dict[str, int]:
    """`intake=2,dispatch=2` → {"intake": 2, "dispatch": 2}."""
    out = {}
    for part in (p.strip() for p in raw.split(",") if p.strip()):
        name, _, n = part.partition("=")
        _services(name)
        try:
            out[name.strip()] = int(n)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{part!r}: write SERVICE=N, e.g. intake=2") from None
    return out


def cmd_run(args, settings) -> int:
    if args.split or args.scale:
        from app.supervisor import supervise

        return supervise(args.region, args.services, args.scale or {}, args.port, settings)
    from app.runner import run

    os.environ.setdefault("YIWANG_PROCESS_NAME", f"yiwang-{args.region}-{'-'.join(args.services)}")
    return run(args.region, args.services, args.port, settings)


def _validated(model, **values):
    """The model, or a ValueError naming each wrong field and what it allows."""
    from pydantic import ValidationError

    try:
        return model(**values)
    except ValidationError as exc:
        raise ValueError("; ".join(f"--{'.'.join(str(p) for p in e['loc']) or 'value'}: {e['msg']}"
                                   for e in exc.errors(include_url=False))) from None


def cmd_token(args, settings) -> int:
    from sqlmodel import Session

    from app.runner import prepare_database
    from services.audit.api import link
    from services.gateway.api import create_token
    from shared.clock import Clock
    from shared.contracts.api import TokenIn
    from shared.store.db import make_engine

    spec = _validated(TokenIn, role=args.role, region=args.region, unit=args.unit, name=args.name)
    center = args.center or args.region
    url = prepare_database(center, settings)  # offline: the database only, no broker
    engine = make_engine(url, pool_size=1)
    try:
        token = create_token(lambda: Session(engine), role=spec.role, region=spec.region, unit=spec.unit,
                             name=spec.name, now=Clock().now(), actor=_cli_actor(), center=center).token
        link(engine, patience=2.0)  # its audit entry, into the chain now (this process runs no linker)
    finally:
        engine.dispose()
    print(token)
    return 0


def cmd_token_revoke(args, settings) -> int:
    from sqlmodel import Session

    from app.runner import prepare_database
    from services.audit.api import link
    from services.gateway.api import revoke_token
    from shared.clock import Clock
    from shared.store.db import make_engine

    url = prepare_database(args.center, settings)
    engine = make_engine(url, pool_size=1)
    try:
        revoke_token(lambda: Session(engine), args.id, lambda region: True, Clock().now(), actor=_cli_actor(),
                     center=args.center)
        link(engine, patience=2.0)
    finally:
        engine.dispose()
    print(f"token {args.id} revoked at center {args.center}; its screen sessions ended")
    return 0


def cmd_dlq(args, settings) -> int:
    from app.composition import all_subscriptions, wire
    from app.runner import check_broker
    from shared.catalog import load_catalog
    from shared.messaging import dlq
    from shared.messaging.relay import Destinations

    load_catalog().regions.get(args.region)
    check_broker(settings.amqp_uri)
    wire(settings)
    subs = all_subscriptions(args.region)
    if args.dlq_command == "list":
        letters = dlq.list_dead(settings.amqp_uri, subs, limit=args.limit)
        if not letters:
            print("no dead letters and nothing unroutable")
        for d in letters:
            where = f"unroutable to {d.routing_key}" if d.routing_key and d.queue.endswith(".unroutable") else ""
            print(f"{d.queue}\t{d.event_id}\t{d.type}\t{d.case_id}\tattempts={d.attempts}\t{d.error or where}")
        return 0
    moved = dlq.replay(settings.amqp_uri, subs, event_id=args.event_id, queue=args.queue,
                       destinations=Destinations(args.region, settings.retry_delays, settings.federated))
    print(f"replayed {moved} message(s)")
    return 0


def cmd_broker_user(args, settings) -> int:
    from app.broker_users import definitions
    from shared.catalog import load_catalog

    load_catalog().regions.get(args.region)
    try:
        with open(args.password_file, encoding="utf-8") as f:
            password = f.read().strip()
    except OSError as exc:
        print(f"yiwang: cannot read --password-file: {exc.strerror or exc}", file=sys.stderr)
        return 2
    if len(password) < 16:
        print("yiwang: the broker password must have at least 16 characters (e.g. openssl rand -hex 24)",
              file=sys.stderr)
        return 2
    print(json.dumps(definitions(args.region, args.vhost, password), ensure_ascii=False, indent=2))
    return 0


def cmd_demo(args, settings) -> int:
    from app.demo import main as demo

    return demo(args, settings)


def cmd_hotline_sim(args, settings) -> int:
    import logging
    import time

    from app.simulators.hotline import HotlineError, HotlineSimulator
    from app.simulators.hotline_orders import parse_mix

    secret = args.secret or settings.hotline_secret
    if not secret:
        print("yiwang: hotline-sim needs the secret it shares with the center: pass --secret or set "
              "YIWANG_HOTLINE_SECRET", file=sys.stderr)
        return 2
    regions = [r.strip() for r in args.regions.split(",") if r.strip()] if args.regions else None
    sim = HotlineSimulator(args.center, args.token, secret, port=args.port, host=args.host, seed=args.seed,
                           visit_delay=args.visit_delay, mix=parse_mix(args.mix) if args.mix else None,
                           regions=regions, log=lambda line: print(line, flush=True))
    logging.getLogger("httpx").setLevel(logging.WARNING)  # the simulator prints one line per event itself
    try:
        sim.start()
    except OSError as exc:
        sim.stop()
        print(f"yiwang: hotline-sim cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"12345 simulator listening at {sim.url} (the center's YIWANG_HOTLINE_URL); Ctrl-C stops it", flush=True)
    try:
        sim.push_generated(args.orders, rate=args.rate)
        while True:
            time.sleep(1)
    except HotlineError as exc:
        print(f"yiwang: hotline-sim: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    finally:
        sim.stop()


def cmd_track_sim(args, settings) -> int:
    from datetime import date

    from app.simulators import tracks

    first = date.fromisoformat(args.date) if args.date else None
    days = tracks.generate(args.seed, vehicles=args.vehicles, days=args.days, first_day=first)
    if args.truth:
        with open(args.truth, "w", encoding="utf-8") as f:
            f.write(tracks.truth_json(days))
        print(f"ground truth of {len(days)} vehicle-days written to {args.truth}", flush=True)
    if not args.center:
        return 0
    if not args.token:
        print("yiwang: track-sim needs a sensor token of the center (--token) to post", file=sys.stderr)
        return 2

    def show(w):
        print(f"{w['level']:6s} {w['kind']:15s} {w['title']}  case {w['case_id']}", flush=True)

    try:
        counts = tracks.post(args.center, args.token, days, args.seed, every_s=args.batch_seconds, progress=show)
    except Exception as exc:  # a refused batch or a center that cannot be reached: one line, not a traceback
        print(f"yiwang: track-sim: {exc}", file=sys.stderr)
        return 2
    print(f"{counts['batches']} batches, {counts['sent']} points sent, {counts['accepted']} kept; warnings "
          f"{counts['warnings'] or 'none'}", flush=True)
    return 0


def _cli_actor() -> str:
    """Who acts from the command line, for the audit chain: the operating system's user."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def cmd_audit_verify(args, settings) -> int:
    """Walk the center's audit chain: 0 and its count and head when it is whole, 1 naming the first entry that was
    edited, deleted, inserted or reordered (or a head the parent witnessed that it no longer holds)."""
    from services.audit import api as audit
    from shared.catalog import load_catalog

    load_catalog().regions.get(args.region)
    engine = _existing_database(settings, args.region, pool_size=2)
    try:
        if not audit.has_chain(engine):
            print(f"yiwang: the database of center {args.region} has no audit chain (start the center once to "
                  f"migrate it)", file=sys.stderr)
            return 2
        heads, witness = _witness(args, settings, settings.database_for(args.region))
        verdict = audit.verify_chain(engine, heads)
    finally:
        engine.dispose()
    if verdict.finding is not None:
        print(f"audit chain of {args.region}: {verdict.finding}")
        print(f"({verdict.count} entries in order before it; {witness})")
        return 1
    print(f"audit chain of {args.region}: {verdict.count} entries, head {verdict.head.seq} {verdict.head.hash}")
    print(witness)
    return 0


def cmd_escalation_dry_run(args, settings) -> int:
    """For the case's current stage, each step of its escalation chain: when it fires (or fired), the level, who
    would be told on which channel — read from the center's database, changing nothing."""
    from datetime import datetime

    from services.supervision import api as supervision
    from shared.catalog import load_catalog
    from shared.clock import CHINA, Clock
    from shared.extensions.database import CenterStore
    from shared.store.uow import NotFound

    load_catalog().regions.get(args.region)
    at = None
    if args.at:
        try:
            at = datetime.fromisoformat(args.at)
        except ValueError:
            print(f"yiwang: --at {args.at!r} is not an ISO date-time such as 2026-11-23T10:30+08:00", file=sys.stderr)
            return 2
        at = at.replace(tzinfo=CHINA) if at.tzinfo is None else at
    engine = _existing_database(settings, args.region, pool_size=1)
    try:
        store = CenterStore(engine, args.region, "cli", Clock(settings.clock_file), relay=None)
        try:
            p = supervision.escalation_preview(store, args.case, at)
        except NotFound:
            print(f"yiwang: center {args.region} has no case {args.case}", file=sys.stderr)
            return 1
        now = at or store.now()
    finally:
        engine.dispose()

    def when(t) -> str:
        return t.astimezone(CHINA).strftime("%Y-%m-%d %H:%M") if t is not None else "-"

    print(f"case {p.case_id} at {p.center} ({p.priority}), as of {when(now)} (China time); nothing is changed")
    if p.stage is None:
        print("no stage is timed now (not dispatched yet, or finished): no escalation applies")
        return 0
    print(f"stage {p.stage}: started {when(p.started_at)}, due {when(p.due)}, light {p.light}; "
          f"unit {p.unit or '-'} on {p.hours}")
    if not p.steps:
        print(f"the escalation rules have no chain for {p.stage} at priority {p.priority}: only the light turns")
        return 0
    for s in p.steps:
        state = {"fired": f"fired{f' ×{s.fired}' if s.fired > 1 else ''}", "due": "due now (the next sweep)",
                 "pending": "will fire"}[s.state]
        again = f"; repeats every {s.repeat}, next {when(s.next_at)}" if s.repeat else ""
        print(f"  {s.level}\t{when(s.at)}\t{state}{again}")
        print(f"      tell {', '.join(s.notify) or 'nobody'} by {', '.join(s.channel)}")
    return 0


def cmd_analysis(args, settings) -> int:
    """分析研判: the report of a period for a center's region, written as printable HTML (or JSON by the file's
    extension), read from the center's database."""
    from pathlib import Path

    import sqlalchemy as sa

    from services.warning import api as warning
    from shared.catalog import load_catalog
    from shared.clock import Clock
    from shared.extensions.database import CenterStore

    load_catalog().regions.get(args.region)
    try:
        warning.period_bounds(args.period)
    except ValueError:
        print(f"yiwang: --period {args.period!r} is not a month such as 2026-11", file=sys.stderr)
        return 2
    engine = _existing_database(settings, args.region, pool_size=2)
    try:
        if not sa.inspect(engine).has_table("warning"):
            print(f"yiwang: the database of center {args.region} has no warnings yet (start the center once to "
                  f"migrate it)", file=sys.stderr)
            return 2
        report = warning.analysis_report(CenterStore(engine, args.region, "cli", Clock(), None), args.period,
                                         args.region)
    finally:
        engine.dispose()
    out = Path(args.out)
    text = json.dumps(report, ensure_ascii=False, indent=1, default=str) if out.suffix == ".json" \
        else warning.analysis_html(report)
    out.write_text(text, encoding="utf-8")
    print(f"分析研判 {args.region} {args.period}: {report['volume']['total']} cases, {report['warnings']['total']} "
          f"warnings -> {out}")
    return 0


def cmd_routing_replay(args, settings) -> int:
    """The past cases this center routed between --from and --to that the rules in --rules would route elsewhere, and
    where: read from the center's database, changing nothing."""
    from datetime import datetime, timedelta

    from sqlmodel import Session

    from services.triage import api as triage
    from shared.catalog import load_catalog
    from shared.clock import CHINA

    load_catalog().regions.get(args.region)
    days = []
    for flag, text in (("--from", args.date_from), ("--to", args.date_to)):
        try:
            days.append(datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=CHINA))
        except ValueError:
            print(f"yiwang: {flag} {text!r} is not a date such as 2026-11-01", file=sys.stderr)
            return 2
    start, end = days[0], days[1] + timedelta(days=1)  # --to is the last day replayed
    if end <= start:
        print("yiwang: --to must not be before --from", file=sys.stderr)
        return 2
    try:
        triage.load_rules(args.rules)
    except triage.RoutingError as exc:
        print(f"yiwang: bad routing rules {args.rules}: {exc}", file=sys.stderr)
        return 2
    engine = _existing_database(settings, args.region, pool_size=1)
    try:
        report = triage.replay_center(lambda: Session(engine), args.region, args.rules, start, end)
    finally:
        engine.dispose()
    print(f"routing replay of center {args.region}, cases routed {args.date_from} to {args.date_to} (China time), "
          f"under {args.rules}; nothing is changed")
    for r in report.changed:
        print(f"  {r.past.case_id}\t{r.past.request.category}\t{r.past.where()} → {r.where()}"
              f"\t(rule {r.past.rule} → {r.new.rule})")
    print(f"{len(report.changed)} of {len(report.replayed)} case(s) would be routed elsewhere")
    return 0


def _existing_database(settings: Settings, region: str, pool_size: int = 1):
    """The engine of a center's database that must already exist (an offline command never creates one), checked
    reachable; the caller disposes of it."""
    from shared.store.db import DatabaseUnavailable, check, make_engine

    url = settings.database_for(region)
    if _missing_sqlite(url):
        raise DatabaseUnavailable(f"there is no database of center {region} here ({url})")
    engine = make_engine(url, pool_size=pool_size)
    try:
        check(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine


def _missing_sqlite(url: str) -> bool:
    from sqlalchemy.engine import make_url

    u = make_url(url)
    return u.drivername.startswith("sqlite") and u.database not in (None, "", ":memory:") \
        and not os.path.exists(str(u.database))


def _witness(args, settings, child_url: str):
    """The heads of this center its parent witnessed, from the parent's database (`--witness-url`, by default
    YIWANG_DATABASE_URL with the parent's code) when it can be read; and a line saying what was found."""
    from services.audit import api as audit
    from shared.store.db import DatabaseUnavailable, check, make_engine

    parent = audit.parent_of(args.region)
    if args.no_witness or parent is None:
        return (), "witness: none asked" if parent is not None else "witness: none (the root center has no parent)"
    url = args.witness_url or settings.database_for(parent)
    if url == child_url or _missing_sqlite(url):
        return (), f"witness: none (no database of the parent {parent} here; give it with --witness-url)"
    engine = make_engine(url, pool_size=1)
    try:
        check(engine)
        heads = audit.witnessed(engine, args.region)
    except DatabaseUnavailable as exc:
        return (), f"witness: none (the parent's database cannot be read: {exc})"
    finally:
        engine.dispose()
    if not heads:
        return (), f"witness: the parent {parent} holds no head of {args.region} yet"
    latest = heads[-1]
    return heads, (f"witness: the parent {parent} holds {len(heads)} head(s) of {args.region}, the latest entry "
                   f"{latest.seq} {latest.hash}")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="yiwang", description="一网统管: run and operate Yiwang centers")
    sub = p.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run one center (all services, or those listed)")
    run.add_argument("--region", required=True, help="region code of the center, e.g. 320600, 320612, 320612001")
    run.add_argument("--services", type=_services, default=_services("intake,triage,dispatch,supervision,feedback,gateway"),
                     help="comma-separated: intake,triage,dispatch,supervision,feedback,gateway (default: all)")
    run.add_argument("--port", type=int, default=8080, help="HTTP port of the gateway (default 8080)")
    run.add_argument("--split", action="store_true",
                     help="one process per service, supervised (restarted when one dies); uses every core")
    run.add_argument("--scale", type=_scale, metavar="SERVICE=N[,...]",
                     help="with --split implied: N processes of intake, triage or dispatch, e.g. intake=2,dispatch=2")
    run.set_defaults(func=cmd_run)

    token = sub.add_parser("token", help="manage bearer tokens")
    tsub = token.add_subparsers(dest="token_command", required=True)
    create = tsub.add_parser("create", help="create a token and print it")
    create.add_argument("--region", required=True)
    create.add_argument("--role", required=True)
    create.add_argument("--unit")
    create.add_argument("--name", required=True)
    create.add_argument("--center", help="the center whose database stores it (default: --region)")
    create.set_defaults(func=cmd_token)
    revoke = tsub.add_parser("revoke", help="revoke a token at once (and end its screen sessions)")
    revoke.add_argument("--id", type=int, required=True, help="the token's id (POST /api/v1/tokens answers it)")
    revoke.add_argument("--center", required=True, help="the center whose database stores it")
    revoke.set_defaults(func=cmd_token_revoke)

    dl = sub.add_parser("dlq", help="dead letters of a center, and what it published that no queue took")
    dsub = dl.add_subparsers(dest="dlq_command", required=True)
    ls = dsub.add_parser("list", help="show dead letters and why they failed")
    ls.add_argument("--region", required=True)
    ls.add_argument("--limit", type=int, default=100)
    rp = dsub.add_parser("replay", help="send dead letters back to their queue, unroutable events back to the chain")
    rp.add_argument("--region", required=True)
    rp.add_argument("--event-id", dest="event_id")
    rp.add_argument("--queue", help="one handler queue, or yiwang.CODE.unroutable")
    for x in (ls, rp):
        x.set_defaults(func=cmd_dlq)

    bu = sub.add_parser("broker-user", help="print RabbitMQ definitions of a center's own broker user (yiwang-CODE): "
                                            "its queues, and only its own routing keys (rabbitmqctl "
                                            "import_definitions FILE)")
    bu.add_argument("--region", required=True)
    bu.add_argument("--vhost", default="/", help="the vhost of the chain (default /)")
    bu.add_argument("--password-file", dest="password_file", required=True,
                    help="a file holding the user's password (kept out of the shell history)")
    bu.set_defaults(func=cmd_broker_user)

    demo = sub.add_parser("demo", help="start a chain (city 320600, county 320612, its first townships) and drive "
                                       "a simulated day of 12345 orders, grid reports, sensor warnings and Open311 "
                                       "requests through it")
    demo.add_argument("--cases", type=int, default=120,
                      help="cases in the day, in total over every channel; a sensor storm counts as one (default 120)")
    demo.add_argument("--townships", type=int, default=2,
                      help="how many townships of county 320612 to run, the first ones in the catalog (default 2)")
    demo.add_argument("--port", type=int, default=8080,
                      help="gateway port of the city; the county, the townships and the 12345 simulator take the "
                           "next ones (default 8080)")
    demo.add_argument("--minutes", type=float, default=4.0, help="time limit of the run (default 4)")
    demo.add_argument("--keep", action="store_true", help="leave the centers running at the end")
    demo.add_argument("--once", action="store_true",
                      help="end after the day (for CI); by default the chain keeps running, cases still trickling "
                           "in, until Ctrl-C")
    demo.add_argument("--seed", type=int, help="seed of the generated reports and the simulated people")
    demo.set_defaults(func=cmd_demo)

    hs = sub.add_parser("hotline-sim", help="play the 12345 platform against a center: push orders, take its "
                                            "updates, make satisfaction visits")
    hs.add_argument("--center", required=True, help="base URL of the center, e.g. http://127.0.0.1:8080")
    hs.add_argument("--token", required=True, help="a hotline token of that center")
    hs.add_argument("--secret", help="the shared signing secret (default: $YIWANG_HOTLINE_SECRET)")
    hs.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    hs.add_argument("--port", type=int, default=9345, help="port of the update receiver (default 9345)")
    hs.add_argument("--orders", type=int, default=20, help="orders to push (default 20)")
    hs.add_argument("--rate", type=float, default=1.0, help="orders per second (default 1)")
    hs.add_argument("--regions", help="comma-separated region codes the orders are in (default: the townships "
                                      "of 320612)")
    hs.add_argument("--mix", help="satisfaction of the visits, e.g. "
                                  "satisfied=0.7,basically_satisfied=0.2,dissatisfied=0.1 (the default)")
    hs.add_argument("--visit-delay", dest="visit_delay", type=float, default=3.0,
                    help="seconds from a resolved update to the visit (default 3)")
    hs.add_argument("--seed", type=int, help="seed of the orders and the visits")
    hs.set_defaults(func=cmd_hotline_sim)

    ts = sub.add_parser("track-sim", help="play 危化品/渣土车 trackers against a center: tankers and muck trucks on "
                                          "Nantong's roads with seeded stays, deviations and night trips; writes the "
                                          "ground truth and posts the batches to POST /api/v1/tracks")
    ts.add_argument("--center", help="the center's base URL, e.g. http://127.0.0.1:8000 (none: only write --truth)")
    ts.add_argument("--token", help="a sensor token of the center")
    ts.add_argument("--vehicles", type=int, default=10)
    ts.add_argument("--days", type=int, default=1)
    ts.add_argument("--date", help="the first day, YYYY-MM-DD (default: the last day is the day before yesterday)")
    ts.add_argument("--seed", type=int, default=8)
    ts.add_argument("--batch-seconds", dest="batch_seconds", type=int, default=60,
                    help="seconds of positions per batch (default 60)")
    ts.add_argument("--truth", help="write the ground truth (JSON) to this file")
    ts.set_defaults(func=cmd_track_sim)

    from app.stub_gateway import add_arguments as stub_gateway_arguments
    from app.stub_gateway import serve as stub_gateway
    sg = sub.add_parser("stub-gateway", help="a local stub of the webhook and SMS gateways: shows what the centers "
                                             "tell people (checking signatures); for tests and the demo")
    stub_gateway_arguments(sg)
    sg.set_defaults(func=lambda args, settings: stub_gateway(args))

    au = sub.add_parser("audit", help="the audit chain of a center")
    asub = au.add_subparsers(dest="audit_command", required=True)
    av = asub.add_parser("verify", help="recompute the chain: exit 0 when whole, 1 naming the first entry edited, "
                                        "deleted, inserted or reordered")
    av.add_argument("--region", required=True, help="the center whose chain to verify")
    av.add_argument("--witness-url", dest="witness_url",
                    help="the parent center's database, which keeps the heads this center published (default: "
                         "YIWANG_DATABASE_URL with the parent's code)")
    av.add_argument("--no-witness", dest="no_witness", action="store_true",
                    help="check the chain alone, not against the heads its parent witnessed")
    av.set_defaults(func=cmd_audit_verify)

    es = sub.add_parser("escalation", help="the escalation chains of supervision")
    esub = es.add_subparsers(dest="escalation_command", required=True)
    dr = esub.add_parser("dry-run", help="for a case's current stage, each step of its escalation chain: when it "
                                         "fires (or fired), the level, who would be told on which channel; changes "
                                         "nothing")
    dr.add_argument("--case", required=True, help="the case id")
    dr.add_argument("--region", required=True, help="the center holding the case")
    dr.add_argument("--at", help="as of this ISO date-time (default: now; China time when it has no offset)")
    dr.set_defaults(func=cmd_escalation_dry_run)

    ro = sub.add_parser("routing", help="the routing table of triage")
    rsub = ro.add_subparsers(dest="routing_command", required=True)
    rr = rsub.add_parser("replay", help="list the past cases of a center that a changed routing table would route "
                                        "elsewhere, and where (old → new); changes nothing")
    rr.add_argument("--region", required=True, help="the center whose past cases to replay")
    rr.add_argument("--rules", required=True, help="the changed routing table (a routing.toml)")
    rr.add_argument("--from", dest="date_from", required=True, help="first day, YYYY-MM-DD (China time)")
    rr.add_argument("--to", dest="date_to", required=True, help="last day, YYYY-MM-DD (China time), included")
    rr.set_defaults(func=cmd_routing_replay)
    an = sub.add_parser("analysis", help="分析研判: write the report of a month for a center's region (printable HTML "
                                         "with charts; JSON when --out ends in .json)")
    an.add_argument("--region", required=True, help="the center whose report to write")
    an.add_argument("--period", required=True, help="the month, YYYY-MM")
    an.add_argument("--out", required=True, help="the file to write (FILE.html or FILE.json)")
    an.set_defaults(func=cmd_analysis)
    return p


def main(argv=None) -> int:
    from app.runner import StartupError
    from services.gateway.api import ApiError
    from shared import observability
    from shared.catalog import UnknownRegion, UnknownUnit
    from shared.store.db import DatabaseUnavailable

    args = parser().parse_args(argv)
    observability.configure_logging()
    try:
        settings = load_settings()
        return args.func(args, settings)
    except ApiError as exc:  # e.g. a token to revoke that does not exist
        print(f"yiwang: {exc.message}", file=sys.stderr)
        return 2
    except (ConfigError, StartupError, DatabaseUnavailable, UnknownRegion, UnknownUnit) as exc:
        print(f"yiwang: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # e.g. a token spec that does not validate
        print(f"yiwang: {str(exc).splitlines()[0] if str(exc) else exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
