"""staff display name (姓名), shown on pages instead of the login

Revision ID: 0080
Revises: 0079
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0080'
down_revision = '0079'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain column: a batch would rebuild staff_users on SQLite for nothing.
    op.add_column('staff_users', sa.Column('display_name', sa.String(length=50), nullable=True))


def downgrade() -> None:
    op.drop_column('staff_users', 'display_name')
