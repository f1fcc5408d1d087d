"""grouping index: each group's word counts and its messages' keys, kept between batches

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Deputies grouped before this revision are not listed in grouping_deputies: their next batch builds their index.
    op.create_table('grouping_deputies',
        sa.Column('deputy_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['deputy_id'], ['deputies.id'], ),
        sa.PrimaryKeyConstraint('deputy_id'),
    )
    op.create_table('group_terms',
        sa.Column('draft_id', sa.Integer(), nullable=False),
        sa.Column('square_sum', sa.Integer(), nullable=False),
        sa.Column('places', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['draft_id'], ['drafts.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('draft_id'),
    )
    op.create_table('group_words',
        sa.Column('draft_id', sa.Integer(), nullable=False),
        sa.Column('word', sa.String(length=100), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('deputy_id', sa.Integer(), nullable=False),
        sa.Column('topic', sa.String(length=50), nullable=False),
        sa.ForeignKeyConstraint(['draft_id'], ['drafts.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('draft_id', 'word'),
    )
    op.create_index('ix_group_words_deputy_topic_word', 'group_words', ['deputy_id', 'topic', 'word'])
    op.create_table('topic_words',
        sa.Column('deputy_id', sa.Integer(), nullable=False),
        sa.Column('topic', sa.String(length=50), nullable=False),
        sa.Column('word', sa.String(length=100), nullable=False),
        sa.Column('groups', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['deputy_id'], ['deputies.id'], ),
        sa.PrimaryKeyConstraint('deputy_id', 'topic', 'word'),
    )
    op.create_table('grouping_keys',
        sa.Column('deputy_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=100), nullable=False),
        sa.Column('message_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['deputy_id'], ['deputies.id'], ),
        sa.ForeignKeyConstraint(['message_id'], ['messages.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('deputy_id', 'key', 'message_id'),
    )
    op.create_index('ix_grouping_keys_message_id', 'grouping_keys', ['message_id'])


def downgrade() -> None:
    op.drop_index('ix_grouping_keys_message_id', 'grouping_keys')
    op.drop_table('grouping_keys')
    op.drop_table('topic_words')
    op.drop_index('ix_group_words_deputy_topic_word', 'group_words')
    op.drop_table('group_words')
    op.drop_table('group_terms')
    op.drop_table('grouping_deputies')
