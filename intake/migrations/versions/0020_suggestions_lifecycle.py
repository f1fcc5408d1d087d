"""suggestions after approval: handling units, suggestions, assignments, contacts, replies, ratings, history

Revision ID: 0020
Revises: 0016
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('handling_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('short_name', sa.String(length=50), nullable=True),
    sa.Column('contact_person', sa.String(length=50), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('suggestion_counters',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year')
    )
    op.create_table('suggestions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('topic', sa.String(length=50), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('situation', sa.Text(), nullable=False),
    sa.Column('problems', sa.Text(), nullable=False),
    sa.Column('proposals', sa.Text(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=True),
    sa.Column('lead_deputy_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('key_supervision', sa.Boolean(), nullable=False),
    sa.Column('supervisor', sa.String(length=50), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('suggested_unit', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['draft_id'], ['drafts.id'], ),
    sa.ForeignKeyConstraint(['lead_deputy_id'], ['deputies.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('draft_id'),
    sa.UniqueConstraint('number'),
    sa.UniqueConstraint('year', 'seq')
    )
    with op.batch_alter_table('suggestions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suggestions_lead_deputy_id'), ['lead_deputy_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_suggestions_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_suggestions_year'), ['year'], unique=False)

    op.create_table('assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('suggestion_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['suggestion_id'], ['suggestions.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['handling_units.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignments_suggestion_id'), ['suggestion_id'], unique=False)
        batch_op.create_index('ix_assignments_unit_active', ['unit_id', 'active'], unique=False)

    op.create_table('co_opinions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('suggestion_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['suggestion_id'], ['suggestions.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['handling_units.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('co_opinions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_co_opinions_suggestion_id'), ['suggestion_id'], unique=False)

    op.create_table('ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('suggestion_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('deputy_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['deputy_id'], ['deputies.id'], ),
    sa.ForeignKeyConstraint(['suggestion_id'], ['suggestions.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.create_index('ix_ratings_suggestion', ['suggestion_id', 'id'], unique=False)

    op.create_table('replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('suggestion_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=1), nullable=False),
    sa.Column('promised_date', sa.Date(), nullable=True),
    sa.Column('attachment_name', sa.String(length=200), nullable=True),
    sa.Column('attachment_path', sa.String(length=300), nullable=True),
    sa.Column('attachment_type', sa.String(length=10), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('done_reported_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['suggestion_id'], ['suggestions.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['handling_units.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('replies', schema=None) as batch_op:
        batch_op.create_index('ix_replies_suggestion_state', ['suggestion_id', 'state', 'id'], unique=False)

    op.create_table('suggestion_cosigners',
    sa.Column('suggestion_id', sa.Integer(), nullable=False),
    sa.Column('deputy_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['deputy_id'], ['deputies.id'], ),
    sa.ForeignKeyConstraint(['suggestion_id'], ['suggestions.id'], ),
    sa.PrimaryKeyConstraint('suggestion_id', 'deputy_id')
    )
    with op.batch_alter_table('suggestion_cosigners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suggestion_cosigners_deputy_id'), ['deputy_id'], unique=False)

    op.create_table('suggestion_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('suggestion_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['suggestion_id'], ['suggestions.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('suggestion_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suggestion_events_suggestion_id'), ['suggestion_id'], unique=False)

    op.create_table('suggestion_messages',
    sa.Column('suggestion_id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], ),
    sa.ForeignKeyConstraint(['suggestion_id'], ['suggestions.id'], ),
    sa.PrimaryKeyConstraint('suggestion_id', 'message_id')
    )
    op.create_table('unit_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('suggestion_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=10), nullable=False),
    sa.Column('way', sa.String(length=10), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('who', sa.String(length=100), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['suggestion_id'], ['suggestions.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['handling_units.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('unit_contacts', schema=None) as batch_op:
        batch_op.create_index('ix_unit_contacts_suggestion_way', ['suggestion_id', 'way'], unique=False)

    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_staff_users_unit_id', 'handling_units', ['unit_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.drop_constraint('fk_staff_users_unit_id', type_='foreignkey')
        batch_op.drop_column('unit_id')

    with op.batch_alter_table('unit_contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_unit_contacts_suggestion_way')

    op.drop_table('unit_contacts')
    op.drop_table('suggestion_messages')
    with op.batch_alter_table('suggestion_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suggestion_events_suggestion_id'))

    op.drop_table('suggestion_events')
    with op.batch_alter_table('suggestion_cosigners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suggestion_cosigners_deputy_id'))

    op.drop_table('suggestion_cosigners')
    with op.batch_alter_table('replies', schema=None) as batch_op:
        batch_op.drop_index('ix_replies_suggestion_state')

    op.drop_table('replies')
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.drop_index('ix_ratings_suggestion')

    op.drop_table('ratings')
    with op.batch_alter_table('co_opinions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_co_opinions_suggestion_id'))

    op.drop_table('co_opinions')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index('ix_assignments_unit_active')
        batch_op.drop_index(batch_op.f('ix_assignments_suggestion_id'))

    op.drop_table('assignments')
    with op.batch_alter_table('suggestions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suggestions_year'))
        batch_op.drop_index(batch_op.f('ix_suggestions_status'))
        batch_op.drop_index(batch_op.f('ix_suggestions_lead_deputy_id'))

    op.drop_table('suggestions')
    op.drop_table('suggestion_counters')
    op.drop_table('handling_units')
