"""station address, told to citizens whose deputy's code was stopped

Revision ID: 0079
Revises: 0078
Create Date: 2026-12-05
"""
from alembic import op
import sqlalchemy as sa


revision = '0079'
down_revision = '0078'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain column: a batch would rebuild stations on SQLite, which the deputies referring to them forbid.
    op.add_column('stations', sa.Column('address', sa.String(length=200), nullable=True))


def downgrade() -> None:
    op.drop_column('stations', 'address')
