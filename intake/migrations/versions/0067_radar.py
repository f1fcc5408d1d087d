"""the district's hot-issue radar: problems across deputies, their word index, and the messages on them

Revision ID: 0067
Revises: 0066
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa


revision = '0067'
down_revision = '0066'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('radar_problems',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('topic', sa.String(length=50), nullable=False),
        sa.Column('square_sum', sa.Integer(), nullable=False),
        sa.Column('places', sa.JSON(), nullable=False),
        sa.Column('located', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table('radar_words',
        sa.Column('problem_id', sa.Integer(), nullable=False),
        sa.Column('word', sa.String(length=100), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['problem_id'], ['radar_problems.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('problem_id', 'word'),
    )
    op.create_index('ix_radar_words_word', 'radar_words', ['word'])
    op.create_table('radar_terms',
        sa.Column('word', sa.String(length=100), nullable=False),
        sa.Column('problems', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('word'),
    )
    op.create_table('radar_drafts',
        sa.Column('draft_id', sa.Integer(), nullable=False),
        sa.Column('problem_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['draft_id'], ['drafts.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['problem_id'], ['radar_problems.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('draft_id'),
    )
    op.create_index('ix_radar_drafts_problem_id', 'radar_drafts', ['problem_id'])
    op.create_table('radar_messages',
        sa.Column('message_id', sa.Integer(), nullable=False),
        sa.Column('problem_id', sa.Integer(), nullable=False),
        sa.Column('draft_id', sa.Integer(), nullable=False),
        sa.Column('deputy_id', sa.Integer(), nullable=False),
        sa.Column('station_id', sa.Integer(), nullable=False),
        sa.Column('citizen', sa.String(length=20), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['message_id'], ['messages.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['problem_id'], ['radar_problems.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('message_id'),
    )
    op.create_index('ix_radar_messages_problem_at', 'radar_messages', ['problem_id', 'at'])
    op.create_index('ix_radar_messages_deputy_id', 'radar_messages', ['deputy_id'])
    op.create_index('ix_radar_messages_at', 'radar_messages', ['at'])


def downgrade() -> None:
    op.drop_table('radar_messages')
    op.drop_table('radar_drafts')
    op.drop_table('radar_terms')
    op.drop_table('radar_words')
    op.drop_table('radar_problems')
