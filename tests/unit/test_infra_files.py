"""The container files describe the same system as `yiwang run`, and validate offline."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from app.composition import SERVICES
from shared.messaging.topology import CHAIN, UNROUTABLE

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
CENTER = "320612001"


def _check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))  # resolves the `<<: *center` merges


@pytest.mark.parametrize(("schema", "name"), [("vendor.compose-spec", "docker-compose.yml"),
                                              ("vendor.taskfile", "Taskfile.yml")])
def test_file_validates_against_its_vendored_schema(schema, name):
    result = _check_jsonschema(schema, ROOT / name)
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_runs_one_container_per_service_of_the_center(compose):
    services = compose["services"]
    for name in SERVICES:
        assert name in services, f"no compose service for {name}"
        command = services[name]["command"]
        assert command[0] == "run"
        assert command[command.index("--region") + 1] == CENTER
        assert command[command.index("--services") + 1] == name
        assert command[command.index("--port") + 1] == "8080"


def test_center_containers_share_broker_database_token_and_tracing(compose):
    for name in SERVICES:
        svc = compose["services"][name]
        env = svc["environment"]
        assert env["YIWANG_AMQP_URI"] == "amqp://guest:guest@rabbitmq:5672/"
        assert env["YIWANG_DATABASE_URL"].endswith("/yiwang_{region}")
        assert env["YIWANG_ADMIN_TOKEN"].startswith("${YIWANG_ADMIN_TOKEN:?")
        assert env["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://jaeger:4318"
        for infra in ("rabbitmq", "postgres"):
            assert svc["depends_on"][infra]["condition"] == "service_healthy"
            assert "healthcheck" in compose["services"][infra]


def test_services_can_be_scaled(compose):
    for name in SERVICES:
        svc = compose["services"][name]
        assert "container_name" not in svc
        if name != "gateway":
            assert "ports" not in svc, f"{name} publishes a host port and could not be scaled"
    assert any(p.endswith(":8080") for p in compose["services"]["gateway"]["ports"])


def test_rabbitmq_definitions_declare_the_chain_exchange_as_the_centers_do():
    definitions = json.loads((ROOT / "infra" / "rabbitmq" / "definitions.json").read_text(encoding="utf-8"))
    declared = {x["name"]: x for x in definitions["exchanges"] if x["vhost"] == "/"}
    for exchange in (CHAIN, UNROUTABLE):  # a difference would stop every center at start-up (PRECONDITION_FAILED)
        x = declared[exchange.name]
        assert (x["type"], x["durable"], x["auto_delete"]) == (exchange.type, True, False)
        assert x["arguments"] == (exchange.arguments or {})


def test_every_data_file_is_shipped_in_the_package():
    """A data file missing from pyproject's package-data is absent from a non-editable install (the image): the
    service then fails on its first read there, not here."""
    import tomllib
    from pathlib import PurePosixPath

    shipped = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]

    def is_shipped(relative: PurePosixPath) -> bool:
        for package, patterns in shipped.items():
            base = PurePosixPath(*package.split("."))
            if base in relative.parents:
                inside = relative.relative_to(base)
                if any(len(inside.parts) == len(PurePosixPath(p).parts) and inside.match(p) for p in patterns):
                    return True
        return False

    files = [PurePosixPath(f.relative_to(ROOT).as_posix()) for top in ("app", "services", "shared")
             for f in (ROOT / top).glob("**/data/**/*") if f.is_file() and f.suffix != ".py"]
    assert files, "no data files found: the search is wrong"
    missing = [str(f) for f in sorted(files) if not is_shipped(f)]
    assert not missing, f"not in [tool.setuptools.package-data]: {missing}"
