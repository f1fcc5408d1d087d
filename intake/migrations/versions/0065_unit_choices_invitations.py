"""the unit staff chose for a problem, kept for similar drafts; invitations to co-sign a draft

Revision ID: 0065
Revises: 0063
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa


revision = '0065'
down_revision = '0063'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('unit_choices',
        sa.Column('suggestion_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('words', sa.JSON(), nullable=False),
        sa.Column('chosen_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['suggestion_id'], ['suggestions.id']),
        sa.ForeignKeyConstraint(['unit_id'], ['handling_units.id']),
        sa.PrimaryKeyConstraint('suggestion_id'),
    )
    op.create_table('draft_invitations',
        sa.Column('draft_id', sa.Integer(), nullable=False),
        sa.Column('deputy_id', sa.Integer(), nullable=False),
        sa.Column('invited_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('answer', sa.String(length=10), nullable=True),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['deputy_id'], ['deputies.id']),
        sa.ForeignKeyConstraint(['draft_id'], ['drafts.id']),
        sa.PrimaryKeyConstraint('draft_id', 'deputy_id'),
    )
    op.create_index('ix_draft_invitations_deputy_id', 'draft_invitations', ['deputy_id'])


def downgrade() -> None:
    op.drop_index('ix_draft_invitations_deputy_id', 'draft_invitations')
    op.drop_table('draft_invitations')
    op.drop_table('unit_choices')
