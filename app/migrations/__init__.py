"""The schema's history as Alembic revisions (`versions/`), run to head by `app.migrate.migrate` at start-up."""
