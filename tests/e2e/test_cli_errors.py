"""Start-up failures are one clear line, not a traceback."""
import subprocess
import sys


def _yiwang(*args, **env):
    import os
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **env})


def test_a_missing_broker_is_one_clear_line():
    r = _yiwang("run", "--region", "320612001", "--port", "18099", YIWANG_AMQP_URI="amqp://guest:guest@127.0.0.1:1/")
    assert r.returncode == 2
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and "cannot reach RabbitMQ" in lines[0] and "rabbitmq-server" in lines[0]


def test_an_unknown_region_is_refused_clearly():
    r = _yiwang("run", "--region", "999999")
    assert r.returncode == 2 and "unknown region" in r.stderr and "Traceback" not in r.stderr


def test_a_bad_config_value_is_one_clear_line():
    r = _yiwang("run", "--region", "320612001", YIWANG_DATABASE_URL="mysql://x")
    assert r.returncode == 2 and "YIWANG_DATABASE_URL" in r.stderr and "Traceback" not in r.stderr


def test_a_missing_database_is_one_clear_line():
    r = _yiwang("run", "--region", "320612001", "--port", "18098",
                YIWANG_DATABASE_URL="postgresql://postgres@127.0.0.1:1/yiwang_{region}")
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert r.returncode == 2 and len(lines) == 1, r.stderr
    assert "cannot reach PostgreSQL" in lines[0] and "YIWANG_DATABASE_URL" in lines[0]


def test_a_second_signal_leaves_at_once(amqp_uri, database_url):
    import signal
    import time

    from tests.e2e.test_center_http import Center

    c = Center("320612401", amqp_uri, database_url)
    c.proc.send_signal(signal.SIGTERM)
    time.sleep(0.05)
    c.proc.send_signal(signal.SIGTERM)
    assert c.proc.wait(timeout=30) in (0, 1), "never hangs"


def test_a_token_is_made_offline_without_the_broker(tmp_path):
    r = _yiwang("token", "create", "--region", "320612001", "--role", "viewer", "--name", "值班",
                YIWANG_AMQP_URI="amqp://guest:guest@127.0.0.1:1/", YIWANG_DATABASE_URL=f"sqlite:///{tmp_path}/t-{{region}}.db")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().startswith("yw_") and len(r.stdout.strip()) > 30


def test_a_bad_token_spec_names_the_field_and_what_it_allows(tmp_path):
    r = _yiwang("token", "create", "--region", "320612001", "--role", "boss", "--name", "x",
                YIWANG_DATABASE_URL=f"sqlite:///{tmp_path}/t-{{region}}.db")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "--role" in r.stderr and "'dispatcher'" in r.stderr and "validation error for" not in r.stderr
