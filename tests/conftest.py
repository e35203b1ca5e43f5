"""Test session set-up: a fresh RabbitMQ vhost and fresh PostgreSQL databases per run, created here and
removed at the end (idempotent: leftovers of an interrupted run are removed by the next one; the run's process id
is in the names, so two runs at once leave each other alone)."""
import eventlet

eventlet.monkey_patch()  # noqa: E402  (before anything imports socket or the database driver)

import os  # noqa: E402
import re  # noqa: E402
import subprocess  # noqa: E402
import uuid  # noqa: E402

import pytest  # noqa: E402
import sqlalchemy as sa  # noqa: E402

RUN = f"{os.getpid()}p{uuid.uuid4().hex[:4]}"
PG_ADMIN = os.environ.get("YIWANG_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
AMQP_BASE = os.environ.get("YIWANG_TEST_AMQP", "amqp://guest:guest@127.0.0.1:5672/")
DB_PREFIX = "yiwang_test_"


def pytest_addoption(parser):
    parser.addoption("--suppress-nameko-eventlet-notification", action="store_true", default=True)


def _leftover(name: str, prefix: str) -> bool:
    """A vhost or database of a run whose process is gone."""
    m = re.match(re.escape(prefix) + r"(\d+)p", name)
    if not m:
        return name.startswith(prefix)  # older naming: no owner to ask
    try:
        os.kill(int(m.group(1)), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _rabbitmqctl(*args, check=True):
    return subprocess.run(["rabbitmqctl", "-q", *args], check=check, capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="session")
def _vhosts():
    """Leftover vhosts of an interrupted run go first; each test module then gets a vhost of its own (`amqp_uri`)."""
    for line in _rabbitmqctl("list_vhosts", check=False).stdout.split():
        if _leftover(line, "yiwang-test-"):
            _rabbitmqctl("delete_vhost", line, check=False)
    return iter(range(1, 1_000_000))


@pytest.fixture(scope="module")
def amqp_uri(_vhosts):
    """A vhost of our own on the real broker, one per test module, deleted after it: what a module's centers declared
    (some hundred queues each) goes with it, so the broker's file handles do not run out over the run (RabbitMQ
    with the default `ulimit -n` of 1024 allows about 900; when they are gone, it stalls new connections and queue
    declarations instead of refusing them)."""
    vhost = f"yiwang-test-{RUN}-{next(_vhosts)}"
    _rabbitmqctl("add_vhost", vhost)
    _rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
    yield AMQP_BASE + vhost
    _rabbitmqctl("delete_vhost", vhost, check=False)


def _drop_databases(prefix: str, only_leftovers: bool = False):
    engine = sa.create_engine(PG_ADMIN.replace("postgresql://", "postgresql+psycopg2://", 1), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        names = conn.execute(sa.text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
                             {"p": prefix + "%"}).scalars().all()
        for name in names:
            if only_leftovers and not _leftover(name, DB_PREFIX):
                continue
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url():
    """A `{region}` URL: every center gets its own fresh database, dropped at the end of the run."""
    _drop_databases(DB_PREFIX, only_leftovers=True)  # leftovers of an interrupted run
    base = PG_ADMIN.rsplit("/", 1)[0]
    yield f"{base}/{DB_PREFIX}{RUN}_{{region}}"
    _drop_databases(f"{DB_PREFIX}{RUN}_")


@pytest.fixture(scope="session", autouse=True)
def wired():
    """Services run in this process as `yiwang run` runs them: the reactions subscribed, the process configured."""
    from app.composition import wire
    from shared.config import Settings

    wire(Settings())


@pytest.fixture(scope="module", autouse=True)
def idle_connections_closed_after_each_module():
    """Services run in this process keep their engines (one per center database) with idle pooled connections; over
    a whole run they would reach PostgreSQL's max_connections (100)."""
    yield
    from shared.extensions.database import close_idle_connections

    close_idle_connections()


@pytest.fixture
def unique():
    return uuid.uuid4().hex[:8]


@pytest.fixture(autouse=True)
def greenlet_stacks_before_the_timeout(request):
    """pytest-timeout's dump shows threads, and under eventlet every wait is a greenlet: shortly before it fires,
    print every greenlet's stack, so a hang says where it hangs."""
    limit = request.config.getini("timeout")
    timer = eventlet.spawn_after(max(float(limit or 300) - 15, 1), _dump_greenlets, request)
    yield
    timer.cancel()


def _dump_greenlets(request):
    import gc
    import traceback

    import greenlet

    out = [f"\n==== greenlet stacks of {request.node.nodeid} ====\n"]
    for g in gc.get_objects():
        if isinstance(g, greenlet.greenlet) and g.gr_frame is not None:
            out.append(f"--- {g!r}\n" + "".join(traceback.format_stack(g.gr_frame)))
    capture = request.config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():  # the timeout ends the process: captured output would be lost
        request.config.pluginmanager.getplugin("terminalreporter").write("".join(out))
