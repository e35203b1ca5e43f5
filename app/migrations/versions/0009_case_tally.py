"""case tally: the count of cases per region, status, category and source, kept by the database; the board's indexes

`case_tally` holds the counts; triggers on `case` append +1/−1 rows to `case_tally_delta` for every case inserted,
deleted, or moved to another region, status, category or source (appends only: concurrent transactions never wait
on one counter row); shared/store/tally.py folds the deltas into the counts and reads both. The board's counts and
the case list's total read it instead of counting the whole history (issue 13, P5). The counts start from the
cases already stored. A case without a category is counted under "".

Two indexes let the board's other parts read only what is current: `ix_case_status_created` (the open cases on the
map, newest first: found among the open ones, not by walking the whole history back) and `ix_case_closed` (the cases
closed on each of the last 30 days).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

KEY = ("region", "status", "category", "source")
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # deltas come and go for ever; SQLite's rowid is 64-bit

POSTGRESQL = [
    """CREATE FUNCTION case_tally_delta() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            INSERT INTO case_tally_delta (region, status, category, source, n)
            VALUES (OLD.region, OLD.status, coalesce(OLD.category, ''), OLD.source, -1);
        END IF;
        IF TG_OP <> 'DELETE' THEN
            INSERT INTO case_tally_delta (region, status, category, source, n)
            VALUES (NEW.region, NEW.status, coalesce(NEW.category, ''), NEW.source, 1);
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER case_tally_row AFTER INSERT OR DELETE ON "case"
    FOR EACH ROW EXECUTE FUNCTION case_tally_delta()""",
    """CREATE TRIGGER case_tally_move AFTER UPDATE ON "case" FOR EACH ROW
    WHEN ((OLD.region, OLD.status, OLD.category, OLD.source) IS DISTINCT FROM
          (NEW.region, NEW.status, NEW.category, NEW.source))
    EXECUTE FUNCTION case_tally_delta()""",
]


def _sqlite_insert(row: str, n: int) -> str:
    return (f"INSERT INTO case_tally_delta (region, status, category, source, n) "
            f"VALUES ({row}.region, {row}.status, coalesce({row}.category, ''), {row}.source, {n});")


SQLITE = [
    f"""CREATE TRIGGER case_tally_insert AFTER INSERT ON "case" BEGIN {_sqlite_insert("NEW", 1)} END""",
    f"""CREATE TRIGGER case_tally_delete AFTER DELETE ON "case" BEGIN {_sqlite_insert("OLD", -1)} END""",
    f"""CREATE TRIGGER case_tally_move AFTER UPDATE OF region, status, category, source ON "case"
    WHEN OLD.region IS NOT NEW.region OR OLD.status IS NOT NEW.status OR OLD.category IS NOT NEW.category
         OR OLD.source IS NOT NEW.source
    BEGIN {_sqlite_insert("OLD", -1)} {_sqlite_insert("NEW", 1)} END""",
]


def upgrade() -> None:
    op.create_table(
        "case_tally",
        sa.Column("region", sa.String(12), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*KEY),
    )
    op.create_table(
        "case_tally_delta",
        sa.Column("id", ID, nullable=False),
        sa.Column("region", sa.String(12), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_case_status_created", "case", ["status", "created_at"])
    op.create_index("ix_case_closed", "case", ["closed_at"])
    for statement in POSTGRESQL if op.get_bind().dialect.name == "postgresql" else SQLITE:
        op.execute(statement)
    op.execute('INSERT INTO case_tally (region, status, category, source, n) '
               'SELECT region, status, coalesce(category, \'\'), source, count(*) FROM "case" '
               'GROUP BY region, status, coalesce(category, \'\'), source')


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute('DROP TRIGGER case_tally_move ON "case"')
        op.execute('DROP TRIGGER case_tally_row ON "case"')
        op.execute("DROP FUNCTION case_tally_delta()")
    else:
        for name in ("case_tally_insert", "case_tally_delete", "case_tally_move"):
            op.execute(f"DROP TRIGGER {name}")
    op.drop_table("case_tally_delta")
    op.drop_table("case_tally")
    op.drop_index("ix_case_closed", table_name="case")
    op.drop_index("ix_case_status_created", table_name="case")
