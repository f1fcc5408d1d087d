"""grouping: message terms, follow-up groups, when the deputy last looked at a draft

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('terms', sa.JSON(), nullable=True))
    with op.batch_alter_table('drafts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('follows_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('viewed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key('fk_drafts_follows', 'drafts', ['follows_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('drafts', schema=None) as batch_op:
        batch_op.drop_constraint('fk_drafts_follows', type_='foreignkey')
        batch_op.drop_column('viewed_at')
        batch_op.drop_column('follows_id')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_column('terms')
