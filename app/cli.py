"""The `yiwang` command: run a center, create tokens, inspect and replay dead letters, run the demo."""
import eventlet

eventlet.monkey_patch()  # noqa: E402  (before anything imports socket, threading or the database driver)

import argparse  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

from shared.config import ConfigError, load_settings  # noqa: E402


def _services(raw: str) -> list[str]:
    from app.composition import SERVICES

    names = [s.strip() for s in raw.split(",") if s.strip()]
    unknown = [n for n in names if n not in SERVICES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"unknown service(s) {', '.join(unknown) or '(none)'}; "
                                         f"choose from {','.join(SERVICES)}")
    return names


def cmd_run(args, settings) -> int:
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
                             name=spec.name, now=Clock().now()).token
    finally:
        engine.dispose()
    print(token)
    return 0


def cmd_token_revoke(args, settings) -> int:
    from sqlmodel import Session

    from app.runner import prepare_database
    from services.gateway.api import revoke_token
    from shared.clock import Clock
    from shared.store.db import make_engine

    url = prepare_database(args.center, settings)
    engine = make_engine(url, pool_size=1)
    try:
        revoke_token(lambda: Session(engine), args.id, lambda region: True, Clock().now())
    finally:
        engine.dispose()
    print(f"token {args.id} revoked at center {args.center}; its screen sessions ended")
    return 0


def cmd_dlq(args, settings) -> int:
    from app.composition import all_subscriptions
    from app.runner import check_broker
    from shared.catalog import load_catalog
    from shared.messaging import dlq

    load_catalog().regions.get(args.region)
    check_broker(settings.amqp_uri)
    subs = all_subscriptions(args.region)
    if args.dlq_command == "list":
        letters = dlq.list_dead(settings.amqp_uri, subs, limit=args.limit)
        if not letters:
            print("no dead letters")
        for d in letters:
            print(f"{d.queue}\t{d.event_id}\t{d.type}\t{d.case_id}\tattempts={d.attempts}\t{d.error}")
        return 0
    moved = dlq.replay(settings.amqp_uri, subs, event_id=args.event_id, queue=args.queue)
    print(f"replayed {moved} message(s)")
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


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="yiwang", description="一网统管: run and operate Yiwang centers")
    sub = p.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run one center (all services, or those listed)")
    run.add_argument("--region", required=True, help="region code of the center, e.g. 320600, 320612, 320612001")
    run.add_argument("--services", type=_services, default=_services("intake,triage,dispatch,supervision,feedback,gateway"),
                     help="comma-separated: intake,triage,dispatch,supervision,feedback,gateway (default: all)")
    run.add_argument("--port", type=int, default=8080, help="HTTP port of the gateway (default 8080)")
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

    dl = sub.add_parser("dlq", help="dead letters of a center")
    dsub = dl.add_subparsers(dest="dlq_command", required=True)
    ls = dsub.add_parser("list", help="show dead letters and why they failed")
    ls.add_argument("--region", required=True)
    ls.add_argument("--limit", type=int, default=100)
    rp = dsub.add_parser("replay", help="send dead letters back to their queue")
    rp.add_argument("--region", required=True)
    rp.add_argument("--event-id", dest="event_id")
    rp.add_argument("--queue")
    for x in (ls, rp):
        x.set_defaults(func=cmd_dlq)

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
