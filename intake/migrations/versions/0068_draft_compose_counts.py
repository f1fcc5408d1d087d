"""how many messages a draft was last written from and how many joined since, so large drafts are rewritten later

Revision ID: 0068
Revises: 0067
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa


revision = '0068'
down_revision = '0067'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # 0 written: every existing draft is written again in full the next time a message joins it.
    with op.batch_alter_table('drafts') as batch:
        batch.add_column(sa.Column('composed_messages', sa.Integer(), server_default='0', nullable=False))
        batch.add_column(sa.Column('pending_messages', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('drafts') as batch:
        batch.drop_column('pending_messages')
        batch.drop_column('composed_messages')
