"""classifier models and corrections

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('classifier_models',
    sa.Column('version', sa.String(length=50), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('examples', sa.Integer(), nullable=False),
    sa.Column('metrics', sa.JSON(), nullable=False),
    sa.Column('artifact', sa.LargeBinary(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('version')
    )
    op.create_table('topic_corrections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('old_topic', sa.String(length=50), nullable=True),
    sa.Column('new_topic', sa.String(length=50), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], ),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('topic_corrections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_topic_corrections_message_id'), ['message_id'], unique=False)

    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column("needs_attention", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("topic_confirmed", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index(batch_op.f('ix_messages_needs_attention'), ['needs_attention'], unique=False)

def downgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_messages_needs_attention'))
        batch_op.drop_column('topic_confirmed')
        batch_op.drop_column('needs_attention')

    with op.batch_alter_table('topic_corrections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_topic_corrections_message_id'))

    op.drop_table('topic_corrections')
    op.drop_table('classifier_models')
