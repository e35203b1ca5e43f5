"""Several processes of one center starting at once on a fresh database: all of them come up."""
import threading

import sqlalchemy as sa

from app.runner import prepare
from tests import support


def test_concurrent_start_ups_create_and_migrate_the_database_once(amqp_uri, database_url):
    s = support.settings(amqp_uri, database_url)
    errors, urls = [], []

    def start():
        try:
            urls.append(prepare("320612110", s))
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == [] and len(urls) == 4
    engine = sa.create_engine(urls[0].replace("postgresql://", "postgresql+psycopg2://", 1))
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM information_schema.tables WHERE table_name='case'")).scalar() == 1
    engine.dispose()
