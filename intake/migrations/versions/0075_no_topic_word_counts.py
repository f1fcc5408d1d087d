"""the groups using a word are read from group_words alone: no separate count of them is kept

Revision ID: 0075
Revises: 0074
Create Date: 2026-12-05
"""
from alembic import op
import sqlalchemy as sa


revision = '0075'
down_revision = '0074'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A word's latest few groups, one more than a word finds, tell whether more use it: the count was written
    # by every batch for each of its words and read only for that.
    op.drop_table('topic_words')


def downgrade() -> None:
    op.create_table('topic_words',
        sa.Column('deputy_id', sa.Integer(), nullable=False),
        sa.Column('topic', sa.String(length=50), nullable=False),
        sa.Column('word', sa.String(length=100), nullable=False),
        sa.Column('groups', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['deputy_id'], ['deputies.id'], ),
        sa.PrimaryKeyConstraint('deputy_id', 'topic', 'word'),
    )
    op.execute("INSERT INTO topic_words (deputy_id, topic, word, \"groups\") "
               "SELECT deputy_id, topic, word, count(*) FROM group_words GROUP BY deputy_id, topic, word")
