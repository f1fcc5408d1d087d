"""the deputy a citizen agreed may see the phone is kept, so moving a message back to that deputy shows it again

Revision ID: 0078
Revises: 0077
Create Date: 2026-12-05
"""
from alembic import op
import sqlalchemy as sa


revision = '0078'
down_revision = '0077'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('messages') as batch:
        batch.add_column(sa.Column('phone_shared_with_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_messages_phone_shared_with_id_deputies', 'deputies',
                                 ['phone_shared_with_id'], ['id'])
    # Consent still shown is consent to the deputy the message is with: a reassignment cleared it.
    op.execute("UPDATE messages SET phone_shared_with_id = deputy_id WHERE share_phone")


def downgrade() -> None:
    with op.batch_alter_table('messages') as batch:
        batch.drop_constraint('fk_messages_phone_shared_with_id_deputies', type_='foreignkey')
        batch.drop_column('phone_shared_with_id')
