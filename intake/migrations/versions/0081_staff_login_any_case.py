"""one staff account per login whatever the case of its letters (Wang and wang signed in as one login)

Revision ID: 0081
Revises: 0080
Create Date: 2026-12-06

Accounts made before creation compared names in any case may differ only in case. Such a pair stops the upgrade
just before this migration (intake.migrate.upgrade), named, rather than one of them being renamed or dropped
unasked: which one to rename is the district's choice (mashang accounts rename), after which the upgrade runs again.
"""
from alembic import op
import sqlalchemy as sa


revision = '0081'
down_revision = '0080'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Two accounts whose logins differ only in case stop `intake.migrate.upgrade` before this one, naming them.
    op.create_index('uq_staff_users_login', 'staff_users', [sa.text('lower(username)')], unique=True)


def downgrade() -> None:
    op.drop_index('uq_staff_users_login', table_name='staff_users')
