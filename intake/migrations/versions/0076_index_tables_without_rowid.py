"""on SQLite the grouping index's tables are stored by their primary key (WITHOUT ROWID): one tree fewer a row

Revision ID: 0076
Revises: 0075
Create Date: 2026-12-05
"""
from alembic import op


revision = '0076'
down_revision = '0075'
branch_labels = None
depends_on = None

TABLES = ('group_words', 'group_terms', 'grouping_keys', 'word_frequencies')


def _recreate(with_rowid: bool) -> None:
    # PostgreSQL has no such choice; SQLite needs a table copied to change it (the rows and indexes come along).
    if op.get_bind().dialect.name != 'sqlite':
        return
    for table in TABLES:
        with op.batch_alter_table(table, recreate='always', table_kwargs={'sqlite_with_rowid': with_rowid}):
            pass


def upgrade() -> None:
    _recreate(False)


def downgrade() -> None:
    _recreate(True)
