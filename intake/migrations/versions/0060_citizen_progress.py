"""citizens follow their message's progress: private progress links, the notice outbox, the encrypted openid

Revision ID: 0060
Revises: 0050
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa

revision = '0060'
down_revision = '0050'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'progress_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['message_id'], ['messages.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    with op.batch_alter_table('progress_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_progress_links_message_id'), ['message_id'], unique=False)
    with op.batch_alter_table('citizen_notices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dedupe_key', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_error', sa.String(length=200), nullable=True))
        batch_op.create_unique_constraint('uq_citizen_notices_dedupe_key', ['dedupe_key'])
        batch_op.create_index(batch_op.f('ix_citizen_notices_next_attempt_at'), ['next_attempt_at'], unique=False)
    with op.batch_alter_table('citizens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address_encrypted', sa.Text(), nullable=True))
    with op.batch_alter_table('replies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_summary', sa.Text(), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('replies', schema=None) as batch_op:
        batch_op.drop_column('public_summary')
    with op.batch_alter_table('citizens', schema=None) as batch_op:
        batch_op.drop_column('address_encrypted')
    with op.batch_alter_table('citizen_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_citizen_notices_next_attempt_at'))
        batch_op.drop_constraint('uq_citizen_notices_dedupe_key', type_='unique')
        batch_op.drop_column('last_error')
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('attempts')
        batch_op.drop_column('dedupe_key')
    with op.batch_alter_table('progress_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_progress_links_message_id'))
    op.drop_table('progress_links')
