"""the stamps that tell a worker whether what it keeps between batches is still the database's

Revision ID: 0066
Revises: 0065
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa


revision = '0066'
down_revision = '0065'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('cache_stamps',
        sa.Column('name', sa.String(length=30), nullable=False),
        sa.Column('stamp', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('name'),
    )


def downgrade() -> None:
    op.drop_table('cache_stamps')
