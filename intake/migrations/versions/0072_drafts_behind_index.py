"""the drafts whose text is behind their messages, indexed: the sweep finds them without reading every draft

Revision ID: 0072
Revises: 0071
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa


revision = '0072'
down_revision = '0071'
branch_labels = None
depends_on = None

BEHIND = sa.text('pending_messages > 0')


def upgrade() -> None:
    # Partial: only the few drafts behind are in it; status too, so the sweep's look-up reads no table row.
    op.create_index('ix_drafts_behind', 'drafts', ['deputy_id', 'status'],
                    sqlite_where=BEHIND, postgresql_where=BEHIND)


def downgrade() -> None:
    op.drop_index('ix_drafts_behind', 'drafts')
