"""the deputy a citizen agreed may see the phone is kept, so moving a message back to that deputy shows it again

Revision ID: 0078
Revises: 0077
Create Date: 2026-12-05
"""
from alembic import op
import sqlalchemy as sa


revision = '0078'
down_revision = '0077'
branch_labels = None
depends_on = None

_messages = sa.table('messages', sa.column('id', sa.Integer()), sa.column('deputy_id', sa.Integer()),
                     sa.column('share_phone', sa.Boolean()), sa.column('phone_shared_with_id', sa.Integer()),
                     sa.column('personal_data_removed_at', sa.DateTime(timezone=True)))
_audit = sa.table('audit_log', sa.column('id', sa.Integer()), sa.column('action', sa.String()),
                  sa.column('target', sa.String()), sa.column('before', sa.JSON()))


def upgrade() -> None:
    # A plain column: a batch would rebuild messages on SQLite, which the rows referring to them forbid.
    op.add_column('messages', sa.Column('phone_shared_with_id', sa.Integer(), nullable=True))
    bind = op.get_bind()
    # Consent still shown is consent to the deputy the message is with.
    bind.execute(_messages.update().where(_messages.c.share_phone.is_(True))
                 .values(phone_shared_with_id=_messages.c.deputy_id))
    # A reassignment cleared it: the audit log kept the deputy it was given to, in the first move's "before".
    agreed: dict[int, int] = {}
    moves = bind.execute(sa.select(_audit.c.target, _audit.c.before).where(_audit.c.action == 'reassign')
                         .order_by(_audit.c.id))
    for target, before in moves:
        if target.startswith('message:') and (before or {}).get('share_phone') and before.get('deputy_id'):
            agreed.setdefault(int(target.removeprefix('message:')), int(before['deputy_id']))
    for message_id, deputy_id in agreed.items():
        bind.execute(_messages.update()
                     .where(_messages.c.id == message_id, _messages.c.phone_shared_with_id.is_(None),
                            _messages.c.personal_data_removed_at.is_(None))
                     .values(phone_shared_with_id=deputy_id, share_phone=_messages.c.deputy_id == deputy_id))


def downgrade() -> None:
    op.drop_column('messages', 'phone_shared_with_id')
