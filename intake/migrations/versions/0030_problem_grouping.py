"""grouping by problem: word frequencies, learned and gazetteer names; the index is rebuilt across topics

Revision ID: 0030
Revises: 0016
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa


revision = '0030'
down_revision = '0020'
branch_labels = None
depends_on = None

INDEX_TABLES = ('grouping_keys', 'topic_words', 'group_words', 'group_terms', 'grouping_deputies')


def upgrade() -> None:
    op.create_table('word_frequencies',
        sa.Column('word', sa.String(length=100), nullable=False),
        sa.Column('messages', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('word'),
    )
    op.create_table('place_names',
        sa.Column('name', sa.String(length=50), nullable=False),
        sa.Column('source', sa.String(length=10), nullable=False),
        sa.Column('messages', sa.Integer(), nullable=False),
        sa.Column('known', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('name'),
    )
    op.create_index('ix_place_names_known', 'place_names', ['known'])
    # The index was kept per topic; emptied, every deputy's next batch builds it again across topics.
    for table in INDEX_TABLES:
        op.execute(f'DELETE FROM {table}')


def downgrade() -> None:
    op.drop_index('ix_place_names_known', 'place_names')
    op.drop_table('place_names')
    op.drop_table('word_frequencies')
    for table in INDEX_TABLES:
        op.execute(f'DELETE FROM {table}')
