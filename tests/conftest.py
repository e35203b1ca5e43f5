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
def amqp_uri():
    """A vhost of our own on the real broker."""
    for line in _rabbitmqctl("list_vhosts", check=False).stdout.split():
        if _leftover(line, "yiwang-test-"):
            _rabbitmqctl("delete_vhost", line, check=False)  # leftovers of an interrupted run
    vhost = f"yiwang-test-{RUN}"
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


@pytest.fixture
def unique():
    return uuid.uuid4().hex[:8]
