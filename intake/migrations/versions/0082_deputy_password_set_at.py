"""when a deputy's password was set

Revision ID: 0082
Revises: 0081
Create Date: 2026-12-07

Shown to the deputy signing in by a link though their account has a password, and to staff on the deputy's page: a
password set by whoever used a link meant for the deputy first is told apart from one the deputy chose.
"""
from alembic import op
import sqlalchemy as sa


revision = '0082'
down_revision = '0081'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain column: a batch would rebuild deputies on SQLite for nothing.
    op.add_column('deputies', sa.Column('password_set_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column('deputies', 'password_set_at')
