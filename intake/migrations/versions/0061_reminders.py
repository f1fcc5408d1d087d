"""reminders of deadlines and ratings, the outbox of deliveries to staff, units' e-mail addresses

Revision ID: 0061
Revises: 0060
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa



revision = '0061'
down_revision = '0060'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'reminders',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('suggestion_id', sa.Integer(), sa.ForeignKey('suggestions.id'), nullable=False),
        sa.Column('anchor', sa.String(40), nullable=False),
        sa.Column('milestone', sa.String(10), nullable=False),
        sa.Column('recipient', sa.String(40), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('suggestion_id', 'anchor', 'milestone', 'recipient'),
    )
    op.create_index('ix_reminders_recipient', 'reminders', ['recipient', 'id'])
    op.create_table(
        'deliveries',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('channel', sa.String(10), nullable=False),
        sa.Column('recipient', sa.String(500), nullable=False),
        sa.Column('subject', sa.String(200), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('dedupe_key', sa.String(200), nullable=False, unique=True),
        sa.Column('state', sa.String(10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index('ix_deliveries_state_next', 'deliveries', ['state', 'next_attempt_at'])
    with op.batch_alter_table('handling_units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('handling_units', schema=None) as batch_op:
        batch_op.drop_column('email')
    op.drop_index('ix_deliveries_state_next', 'deliveries')
    op.drop_table('deliveries')
    op.drop_index('ix_reminders_recipient', 'reminders')
    op.drop_table('reminders')
