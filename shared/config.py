"""12-factor configuration: every setting comes from a YIWANG_* variable, validated once at start-up."""
from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

LOCAL_SECRET_HINTS = ("changeme", "secret", "admin", "password", "yiwang")


class ConfigError(ValueError):
    """A configuration value is missing or wrong; the message says which and how to fix it."""


@dataclass(frozen=True)
class Settings:
    amqp_uri: str = "amqp://guest:guest@localhost:5672/"
    database_url: str = "sqlite:///var/yiwang-{region}.db"
    admin_token: str | None = None
    env: str = "local"                       # local | production
    hotline_url: str | None = None
    hotline_secret: str | None = None
    max_workers: int = 10
    retry_delays: tuple[float, ...] = (1, 5, 30)  # seconds before the 2nd, 3rd, 4th try; then dead-letter
    sweep_seconds: float = 30.0             # supervision's deadline sweep and intake's heartbeat sweep
    relay_seconds: float = 2.0              # the maintenance interval: outbox re-send, case tally fold
    hotline_poll_seconds: float = 1.0       # how often the 12345 sender looks for updates to deliver
    audit_head_seconds: float = 60.0        # how often a center publishes its audit chain head to its parent
    clock_file: str | None = None           # tests only: a file holding a clock offset in seconds
    max_body_bytes: int = 1_048_576
    data_key: str | None = None             # encrypts citizens' phone numbers at rest (shared.protect)
    boundaries_file: str | None = None      # GeoJSON of the regions' boundaries (default: the packaged one)
    screens_dir: str | None = None          # the screens' static files (default: the packaged app/screens)
    media_dir: str = "var/media/{region}"   # where a center keeps its photos; `{region}` gives one per center
    max_media_bytes: int = 10 * 1024 * 1024
    rate_limit_token: str = "50/s,100"      # writes per token: sustained rate and burst (`off` for none)
    rate_limit_address: str = "200/s,400"   # writes per client address
    federated: bool = False                 # this center's parent and children are on other brokers (federation)
    max_returns: int = 3                    # returns (退单) after which the command desk is the final owner (兜底)
    rosters_file: str | None = None         # duty rosters (default: services/notification/data/rosters.toml)
    webhook_url: str | None = None          # base URL of the people's webhooks (a roster's "/hooks/…" paths)
    webhook_secret: str | None = None       # signs every webhook POST (HMAC-SHA256, as the 12345 signature)
    sms_url: str | None = None              # the HTTP SMS gateway (POST JSON {id, to, text})
    sms_secret: str | None = None           # signs the SMS gateway's requests the same way (optional)
    notify_poll_seconds: float = 1.0        # how often the sender looks for webhook and SMS deliveries
    extra: dict = field(default_factory=dict)

    def database_for(self, region: str) -> str:
        return self.database_url.replace("{region}", region)

    def media_for(self, region: str) -> str:
        return self.media_dir.replace("{region}", region)


def _int(name: str, raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number") from None


def _seconds(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} must be a number of seconds") from None
    if value <= 0:
        raise ConfigError(f"{name} must be positive")
    return value


def _weak(secret: str) -> bool:
    """A secret anyone could guess: a default-looking word, or few distinct characters (16 × `a`)."""
    return any(h in secret.lower() for h in LOCAL_SECRET_HINTS) or len(set(secret)) < 8


def refuse_development_secrets(values: dict, env) -> None:
    """With YIWANG_ENV=production a center refuses every default or development secret, one line each (S5)."""
    broker = urlsplit(values["amqp_uri"])
    if "YIWANG_AMQP_URI" not in env or (broker.username or "guest") == "guest":
        raise ConfigError("production refuses RabbitMQ's guest user: set YIWANG_AMQP_URI with this center's own "
                          "broker user (infra/rabbitmq/README.md)")
    database = urlsplit(values["database_url"])
    if not database.scheme.startswith("postgresql"):
        raise ConfigError("production needs PostgreSQL: set YIWANG_DATABASE_URL=postgresql://USER:PASSWORD@HOST/DB")
    if not database.password:
        raise ConfigError("production refuses a database user without a password: put it in YIWANG_DATABASE_URL")
    from shared.protect import DEVELOPMENT_KEY

    if values.get("data_key") == DEVELOPMENT_KEY:
        raise ConfigError("YIWANG_DATA_KEY is the development key (anyone can derive it); make a new one: python -c "
                          "'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'")
    if values.get("admin_token") and _weak(values["admin_token"]):
        raise ConfigError("YIWANG_ADMIN_TOKEN looks like a default secret; use a random one (openssl rand -hex 24)")
    hotline = env.get("YIWANG_HOTLINE_SECRET")
    if hotline and _weak(hotline):
        raise ConfigError("YIWANG_HOTLINE_SECRET looks like a default secret; use a random one (openssl rand -hex 24)")


def load_settings(environ: dict | None = None) -> Settings:
    env = os.environ if environ is None else environ
    s = Settings()
    values: dict = {}
    if v := env.get("YIWANG_AMQP_URI"):
        if not v.startswith(("amqp://", "amqps://")):
            raise ConfigError(f"YIWANG_AMQP_URI={v!r} must start with amqp:// or amqps://")
        values["amqp_uri"] = v
    if v := env.get("YIWANG_DATABASE_URL"):
        if not re.match(r"^(sqlite|postgresql)(\+\w+)?://", v):
            raise ConfigError(f"YIWANG_DATABASE_URL={v!r} must be a sqlite:// or postgresql:// URL")
        values["database_url"] = v
    values["env"] = env.get("YIWANG_ENV", s.env)
    if values["env"] not in ("local", "production"):
        raise ConfigError("YIWANG_ENV must be local or production")
    if v := env.get("YIWANG_ADMIN_TOKEN"):
        if len(v) < 16:
            raise ConfigError("YIWANG_ADMIN_TOKEN must be at least 16 characters (try: openssl rand -hex 24)")
        if values["env"] != "local" and any(h in v.lower() for h in LOCAL_SECRET_HINTS):
            raise ConfigError("YIWANG_ADMIN_TOKEN looks like a default secret; outside local use a random one")
        values["admin_token"] = v
    if v := env.get("YIWANG_HOTLINE_SECRET"):
        if len(v) < 16:
            raise ConfigError("YIWANG_HOTLINE_SECRET must be at least 16 characters (try: openssl rand -hex 24)")
        if values["env"] != "local" and any(h in v.lower() for h in LOCAL_SECRET_HINTS):
            raise ConfigError("YIWANG_HOTLINE_SECRET looks like a default secret; outside local use a random one")
    if v := env.get("YIWANG_HOTLINE_URL"):
        if not re.match(r"^https?://", v):
            raise ConfigError(f"YIWANG_HOTLINE_URL={v!r} must be an http:// or https:// URL")
    if v := env.get("YIWANG_DATA_KEY"):
        from shared.protect import check_key

        values["data_key"] = check_key(v)
    elif values["env"] != "local":
        raise ConfigError("YIWANG_DATA_KEY is required outside local development (it encrypts citizens' phone "
                          "numbers); make one with: python -c 'from cryptography.fernet import Fernet; "
                          "print(Fernet.generate_key().decode())'")
    if v := env.get("YIWANG_BOUNDARIES"):
        values["boundaries_file"] = v
    for key in ("rate_limit_token", "rate_limit_address"):
        if (v := env.get("YIWANG_" + key.upper())) is not None:
            if not re.fullmatch(r"\s*(off|0|\d+(\.\d+)?(/s)?(\s*,\s*\d+(\.\d+)?)?)\s*", v.lower()):
                raise ConfigError(f"YIWANG_{key.upper()}={v!r} must be `RATE/s,BURST` (e.g. 50/s,100) or off")
            values[key] = v
    if v := env.get("YIWANG_SCREENS_DIR"):
        values["screens_dir"] = v
    if v := env.get("YIWANG_MEDIA_DIR"):
        values["media_dir"] = v
    for key in ("hotline_url", "hotline_secret", "clock_file"):
        if v := env.get("YIWANG_" + key.upper()):
            values[key] = v
    if v := env.get("YIWANG_MAX_WORKERS"):
        values["max_workers"] = max(1, _int("YIWANG_MAX_WORKERS", v))
    if v := env.get("YIWANG_RETRY_DELAYS"):
        try:
            values["retry_delays"] = tuple(float(x) for x in v.split(",") if x.strip())
        except ValueError:
            raise ConfigError("YIWANG_RETRY_DELAYS must be seconds separated by commas, e.g. 1,5,30") from None
        if not values["retry_delays"] or any(d <= 0 for d in values["retry_delays"]):
            raise ConfigError("YIWANG_RETRY_DELAYS needs at least one positive delay")
    for key in ("webhook_url", "sms_url"):
        if v := env.get("YIWANG_" + key.upper()):
            if not re.match(r"^https?://", v):
                raise ConfigError(f"YIWANG_{key.upper()}={v!r} must be an http:// or https:// URL")
            values[key] = v
    for key in ("webhook_secret", "sms_secret"):
        if v := env.get("YIWANG_" + key.upper()):
            if len(v) < 16 or (values["env"] != "local" and _weak(v)):
                raise ConfigError(f"YIWANG_{key.upper()} must be a random secret of at least 16 characters "
                                  f"(try: openssl rand -hex 24)")
            values[key] = v
    if v := env.get("YIWANG_ROSTERS_FILE"):
        values["rosters_file"] = v
    if values["env"] == "production":
        refuse_development_secrets({**asdict(s), **values}, env)
    for key in ("sweep_seconds", "relay_seconds", "hotline_poll_seconds", "audit_head_seconds", "notify_poll_seconds"):
        if v := env.get("YIWANG_" + key.upper()):
            values[key] = _seconds("YIWANG_" + key.upper(), v)
    if v := env.get("YIWANG_FEDERATED"):
        if v.lower() not in ("true", "false", "1", "0", "yes", "no"):
            raise ConfigError(f"YIWANG_FEDERATED={v!r} must be true or false")
        values["federated"] = v.lower() in ("true", "1", "yes")
    if v := env.get("YIWANG_MAX_RETURNS"):
        values["max_returns"] = max(1, _int("YIWANG_MAX_RETURNS", v))
    if v := env.get("YIWANG_MAX_BODY_BYTES"):
        values["max_body_bytes"] = _int("YIWANG_MAX_BODY_BYTES", v)
    return Settings(**values)

