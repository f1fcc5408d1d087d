"""keys of integrating systems and the messages they submitted

Revision ID: 0063
Revises: 0062
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa


revision = '0063'
down_revision = '0062'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'api_keys',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('name', sa.String(100), nullable=False),
        sa.Column('prefix', sa.String(8), nullable=False),
        sa.Column('key_hash', sa.String(64), nullable=False, unique=True),
        sa.Column('scopes', sa.String(20), nullable=False),
        sa.Column('station_id', sa.Integer(), sa.ForeignKey('stations.id'), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        'api_submissions',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('api_key_id', sa.Integer(), sa.ForeignKey('api_keys.id'), nullable=False),
        sa.Column('external_id', sa.String(100), nullable=True),
        sa.Column('message_id', sa.Integer(), sa.ForeignKey('messages.id'), nullable=False),
        sa.Column('answer', sa.JSON(), nullable=False),
        sa.Column('address', sa.String(200), nullable=True),
        sa.Column('lat', sa.Float(), nullable=True),
        sa.Column('long', sa.Float(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('api_key_id', 'external_id'),
    )
    op.create_index('ix_api_submissions_message_id', 'api_submissions', ['message_id'])


def downgrade() -> None:
    op.drop_index('ix_api_submissions_message_id', table_name='api_submissions')
    op.drop_table('api_submissions')
    op.drop_table('api_keys')
