"""sign-ins ended by 退出 are kept in the database, so the end holds while Redis is away

Revision ID: 0077
Revises: 0076
Create Date: 2026-12-05
"""
from alembic import op
import sqlalchemy as sa


revision = '0077'
down_revision = '0076'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ended_sign_ins',
        sa.Column('sid', sa.String(length=32), nullable=False),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('sid'),
    )
    op.create_index('ix_ended_sign_ins_ended_at', 'ended_sign_ins', ['ended_at'])


def downgrade() -> None:
    op.drop_index('ix_ended_sign_ins_ended_at', table_name='ended_sign_ins')
    op.drop_table('ended_sign_ins')
