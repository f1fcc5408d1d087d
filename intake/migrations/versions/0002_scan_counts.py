"""scan counts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('scan_counts',
    sa.Column('deputy_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.String(length=8), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['deputy_id'], ['deputies.id'], ),
    sa.PrimaryKeyConstraint('deputy_id', 'day')
    )


def downgrade() -> None:
    op.drop_table('scan_counts')
