"""a citizen's letters on the radar are found by an index: one writing a letter again stays on its problem

Revision ID: 0074
Revises: 0073
Create Date: 2026-12-04
"""
from alembic import op


revision = '0074'
down_revision = '0073'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_radar_messages_citizen', 'radar_messages', ['citizen'])


def downgrade() -> None:
    op.drop_index('ix_radar_messages_citizen', table_name='radar_messages')
