"""a stamp per deputy's grouping index, so a worker keeps the index in memory between batches while it holds

Revision ID: 0069
Revises: 0068
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa


revision = '0069'
down_revision = '0068'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # No stamp yet: every worker reads the deputy's index from the tables at its next batch.
    with op.batch_alter_table('grouping_deputies') as batch:
        batch.add_column(sa.Column('stamp', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('grouping_deputies') as batch:
        batch.drop_column('stamp')
