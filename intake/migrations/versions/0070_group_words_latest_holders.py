"""the groups using a word, newest first: a word rare in the district finds its latest few groups however many use it

Revision ID: 0070
Revises: 0069
Create Date: 2026-12-04
"""
from alembic import op


revision = '0070'
down_revision = '0069'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The same look-ups as before, and the latest groups of one word read from the index's end.
    op.create_index('ix_group_words_deputy_topic_word_draft', 'group_words', ['deputy_id', 'topic', 'word', 'draft_id'])
    op.drop_index('ix_group_words_deputy_topic_word', 'group_words')


def downgrade() -> None:
    op.create_index('ix_group_words_deputy_topic_word', 'group_words', ['deputy_id', 'topic', 'word'])
    op.drop_index('ix_group_words_deputy_topic_word_draft', 'group_words')
