"""one staff account per login whatever the case of its letters (Wang and wang signed in as one login)

Revision ID: 0081
Revises: 0080
Create Date: 2026-12-06

Accounts made before creation compared names in any case may differ only in case. Such a pair stops the upgrade,
named, rather than one of them being renamed or dropped unasked: which one to rename is the district's choice
(mashang accounts rename), after which the upgrade runs again.
"""
from alembic import op
import sqlalchemy as sa

from intake.migrate import Refused


revision = '0081'
down_revision = '0080'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # lower() as the database itself computes it: the index below is refused by exactly these.
    doubled = op.get_bind().execute(sa.text(
        "SELECT lower(username), username FROM staff_users WHERE lower(username) IN "
        "(SELECT lower(username) FROM staff_users GROUP BY lower(username) HAVING count(*) > 1) "
        "ORDER BY lower(username), id")).all()
    if doubled:
        logins: dict[str, list[str]] = {}
        for login, username in doubled:
            logins.setdefault(login, []).append(username)
        named = "；".join("、".join(names) for names in logins.values())
        raise Refused(f"没有升级数据库：这些账号的用户名只差大小写，登录时分不清是谁：{named}。"
                      "请先把每组中的一个改名（mashang accounts rename 旧用户名 新用户名），"
                      "再运行 mashang db upgrade。")
    op.create_index('uq_staff_users_login', 'staff_users', [sa.text('lower(username)')], unique=True)


def downgrade() -> None:
    op.drop_index('uq_staff_users_login', table_name='staff_users')
