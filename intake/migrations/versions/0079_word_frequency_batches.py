"""a batch appends its word frequencies as one row, folded into word_frequencies every few batches

Revision ID: 0079
Revises: 0078
Create Date: 2026-12-05
"""
import json
from collections import Counter

from alembic import op
import sqlalchemy as sa


revision = '0079'
down_revision = '0078'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('word_frequency_batches',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('stamp', sa.String(length=32), nullable=False),
                    sa.Column('counts', sa.Text(), nullable=False),
                    sa.PrimaryKeyConstraint('id'),
                    sqlite_autoincrement=True)
    op.create_index('ix_word_frequency_batches_stamp', 'word_frequency_batches', ['stamp'])


def downgrade() -> None:
    # The unfolded counts go into word_frequencies first, so none are lost.
    bind = op.get_bind()
    rows = bind.execute(sa.text('SELECT counts FROM word_frequency_batches')).scalars().all()
    if rows:
        total = Counter()
        for counts in rows:
            total.update(json.loads(counts))
        bind.execute(sa.text('INSERT INTO word_frequencies (word, messages) VALUES (:word, :messages) ON CONFLICT (word) '
                             'DO UPDATE SET messages = word_frequencies.messages + excluded.messages'),
                     [{'word': word, 'messages': n} for word, n in sorted(total.items())])
    op.drop_table('word_frequency_batches')
