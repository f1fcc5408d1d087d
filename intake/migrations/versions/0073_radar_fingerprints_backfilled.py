"""letters placed on the radar before 0071 get their fingerprint: a copy of one finds its first copy's problem

Revision ID: 0073
Revises: 0072
Create Date: 2026-12-04
"""
from __future__ import annotations

import hashlib
import re

from alembic import op
import sqlalchemy as sa


revision = '0073'
down_revision = '0072'
branch_labels = None
depends_on = None

# Frozen copy of intake.services.radar.district.fingerprint as of 0071: a migration must compute what the rows
# were written with then, whatever the domain code says later.
_NOT_WORD = re.compile(r"[\W_]+")
MIN_COPY_CHARS = 40
PAGE = 2000

radar_messages = sa.table('radar_messages', sa.column('message_id', sa.Integer),
                          sa.column('fingerprint', sa.String(16)))
messages = sa.table('messages', sa.column('id', sa.Integer), sa.column('text', sa.Text))


def _fingerprint(text: str | None) -> str | None:
    letters = _NOT_WORD.sub("", text or "").lower()
    if len(letters) < MIN_COPY_CHARS:
        return None
    return hashlib.sha256(letters.encode()).hexdigest()[:16]


def upgrade() -> None:
    connection = op.get_bind()
    unprinted = (sa.select(radar_messages.c.message_id, messages.c.text)
                 .join(messages, messages.c.id == radar_messages.c.message_id)
                 .where(radar_messages.c.fingerprint.is_(None), radar_messages.c.message_id > sa.bindparam('after'))
                 .order_by(radar_messages.c.message_id).limit(PAGE))
    update = (radar_messages.update().where(radar_messages.c.message_id == sa.bindparam('id'))
              .values(fingerprint=sa.bindparam('print')))
    after = 0
    # Page by id: a short text keeps no fingerprint and must not be read again.
    while rows := connection.execute(unprinted, {'after': after}).all():
        printed = [{'id': message_id, 'print': _fingerprint(text)} for message_id, text in rows]
        printed = [row for row in printed if row['print']]
        if printed:
            connection.execute(update, printed)
        after = rows[-1].message_id


def downgrade() -> None:
    # The fingerprints stay: they are what placing the letters since 0071 writes too.
    pass
