"""each message on the radar keeps a fingerprint of its text: a copy sent to another deputy joins its original's problem

Revision ID: 0071
Revises: 0070
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa


revision = '0071'
down_revision = '0070'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Messages placed before have none: a copy of one of them is placed by its words, as before.
    with op.batch_alter_table('radar_messages') as batch:
        batch.add_column(sa.Column('fingerprint', sa.String(length=16), nullable=True))
    op.create_index('ix_radar_messages_fingerprint', 'radar_messages', ['fingerprint'])


def downgrade() -> None:
    op.drop_index('ix_radar_messages_fingerprint', table_name='radar_messages')
    with op.batch_alter_table('radar_messages') as batch:
        batch.drop_column('fingerprint')
