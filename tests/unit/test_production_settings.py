"""QUALITY S5: with YIWANG_ENV=production a center refuses every default or development secret, one clear line
each; a production configuration with real secrets starts."""
import pytest
from cryptography.fernet import Fernet

from app.runner import StartupError, check_broker_user
from shared.config import ConfigError, load_settings
from shared.protect import DEVELOPMENT_KEY

GOOD = {"YIWANG_ENV": "production", "YIWANG_DATA_KEY": Fernet.generate_key().decode(),
        "YIWANG_AMQP_URI": "amqps://yiwang-320612001:k3Jd9sLq2@broker.internal/",
        "YIWANG_DATABASE_URL": "postgresql://yiwang:7fGh2Lp9Qz@db.internal/yiwang_{region}",
        "YIWANG_ADMIN_TOKEN": "9f86d081884c7d659a2feaa0c55ad015b3bf4f1b"}


def test_a_production_configuration_with_real_secrets_starts():
    assert load_settings(GOOD).env == "production"


@pytest.mark.parametrize("change, says", [
    ({"YIWANG_AMQP_URI": None}, "guest user"),
    ({"YIWANG_AMQP_URI": "amqp://guest:guest@broker.internal/"}, "guest user"),
    ({"YIWANG_DATABASE_URL": None}, "needs PostgreSQL"),
    ({"YIWANG_DATABASE_URL": "postgresql://postgres@db.internal/yiwang"}, "without a password"),
    ({"YIWANG_ADMIN_TOKEN": "a" * 16}, "YIWANG_ADMIN_TOKEN looks like a default"),
    ({"YIWANG_ADMIN_TOKEN": "admin-token-for-production"}, "YIWANG_ADMIN_TOKEN looks like a default"),
    ({"YIWANG_DATA_KEY": None}, "YIWANG_DATA_KEY is required"),
    ({"YIWANG_DATA_KEY": DEVELOPMENT_KEY}, "development key"),
    ({"YIWANG_HOTLINE_SECRET": "changeme-changeme"}, "YIWANG_HOTLINE_SECRET looks like a default"),
])
def test_each_default_or_development_secret_is_refused_in_one_line(change, says):
    env = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    with pytest.raises(ConfigError) as err:
        load_settings(env)
    assert says in str(err.value) and "\n" not in str(err.value)


def test_local_development_keeps_its_defaults():
    assert load_settings({}).env == "local"


def test_production_refuses_a_broker_user_that_is_not_the_centers_own():
    settings = load_settings(GOOD)
    check_broker_user("320612001", settings)  # its own: accepted
    with pytest.raises(StartupError) as err:
        check_broker_user("320612002", settings)
    assert "'yiwang-320612002'" in str(err.value) and "\n" not in str(err.value)
    check_broker_user("320612002", load_settings({}))  # local development: any user
