"""a stamp per deputy's grouping index, so a worker keeps the index in memory between batches while it holds;
messages by deputy and status, so the grouping job finds a deputy's waiting messages without reading the rest

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
    op.create_index('ix_messages_deputy_status', 'messages', ['deputy_id', 'status'])


def downgrade() -> None:
    op.drop_index('ix_messages_deputy_status', table_name='messages')
    with op.batch_alter_table('grouping_deputies') as batch:
        batch.drop_column('stamp')
