"""review: deputies' edits, versions, revisions, co-signers, merging, one-time sign-in links

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('deputies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('messages_viewed_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('drafts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edits', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('discard_reason', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key('fk_drafts_merged_into', 'drafts', ['merged_into_id'], ['id'])
    op.create_table(
        'draft_cosigners',
        sa.Column('draft_id', sa.Integer(), sa.ForeignKey('drafts.id'), primary_key=True),
        sa.Column('deputy_id', sa.Integer(), sa.ForeignKey('deputies.id'), primary_key=True),
    )
    op.create_table(
        'draft_revisions',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('draft_id', sa.Integer(), sa.ForeignKey('drafts.id'), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('actor', sa.String(length=80), nullable=False),
        sa.Column('action', sa.String(length=20), nullable=False),
        sa.Column('section', sa.String(length=20), nullable=True),
        sa.Column('before', sa.JSON(), nullable=False),
        sa.Column('after', sa.JSON(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index('ix_draft_revisions_draft_id', 'draft_revisions', ['draft_id'])
    op.create_table(
        'sign_in_links',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('deputy_id', sa.Integer(), sa.ForeignKey('deputies.id'), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False, unique=True),
        sa.Column('created_by', sa.String(length=80), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index('ix_sign_in_links_deputy_id', 'sign_in_links', ['deputy_id'])


def downgrade() -> None:
    op.drop_index('ix_sign_in_links_deputy_id', 'sign_in_links')
    op.drop_table('sign_in_links')
    op.drop_index('ix_draft_revisions_draft_id', 'draft_revisions')
    op.drop_table('draft_revisions')
    op.drop_table('draft_cosigners')
    with op.batch_alter_table('drafts', schema=None) as batch_op:
        batch_op.drop_constraint('fk_drafts_merged_into', type_='foreignkey')
        for column in ('submitted_at', 'merged_into_id', 'discard_reason', 'version', 'edits'):
            batch_op.drop_column(column)
    with op.batch_alter_table('deputies', schema=None) as batch_op:
        batch_op.drop_column('messages_viewed_at')
