"""Stations, deputies, their citizen links, citizens and staff accounts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.models.base import Base, UTCDateTime, utcnow


DEPUTY_LEVELS = ("区", "市", "省", "全国")


class Station(Base):
    """A liaison station (联络站) where deputies meet citizens."""

    __tablename__ = "stations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    opening_hours: Mapped[str | None] = mapped_column(String(100))  # told to citizens who ask for a person
    address: Mapped[str | None] = mapped_column(String(200))  # where citizens whose deputy's code was stopped go

    deputies: Mapped[list[Deputy]] = relationship(back_populates="station")


class Deputy(Base):
    __tablename__ = "deputies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    level: Mapped[str] = mapped_column(String(10))
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"))
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # When the password was last set, by anyone: a deputy shown a date they chose none on tells staff, who clear it.
    password_set_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    messages_viewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # their messages page, last opened
    # Carried in the sign-in cookie; raising it (sign-out, new password, leaving) ends every copy of that cookie.
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    station: Mapped[Station] = relationship(back_populates="deputies")
    links: Mapped[list[CitizenLink]] = relationship(back_populates="deputy", order_by="CitizenLink.id")

    @property
    def station_name(self) -> str:
        return self.station.name

    @property
    def current_link(self) -> CitizenLink | None:
        live = [link for link in self.links if link.revoked_at is None]
        return live[-1] if live else None


class CitizenLink(Base):
    """The random slug behind a deputy's QR code; revoked links stay to explain themselves."""

    __tablename__ = "citizen_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    deputy_id: Mapped[int] = mapped_column(ForeignKey("deputies.id"), index=True)
    slug: Mapped[str] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # What WeChat's permanent code for this slug carries, fetched once and kept.
    wechat_url: Mapped[str | None] = mapped_column(String(200))

    deputy: Mapped[Deputy] = relationship(back_populates="links")


class ScanCount(Base):
    """How often a deputy's code was opened on a day; nothing about who opened it."""

    __tablename__ = "scan_counts"

    deputy_id: Mapped[int] = mapped_column(ForeignKey("deputies.id"), primary_key=True)
    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class Citizen(Base):
    """Someone who wrote in; known only by a keyed hash of their channel id."""

    __tablename__ = "citizens"
    __table_args__ = (UniqueConstraint("channel", "channel_user_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    channel_user_hash: Mapped[str] = mapped_column(String(64))
    # WeChat: the deputy this follower last scanned or picked; web chat knows it from the link.
    current_deputy_id: Mapped[int | None] = mapped_column(ForeignKey("deputies.id"))
    picker: Mapped[str | None] = mapped_column(String(40))
    # WeChat: the openid, encrypted with DATA_KEY, so a notice can be sent to the follower unasked.
    address_encrypted: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SignInLink(Base):
    """A one-time sign-in link staff send a deputy; only a hash of its token is kept."""

    __tablename__ = "sign_in_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    deputy_id: Mapped[int] = mapped_column(ForeignKey("deputies.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class EndedSignIn(Base):
    """A sign-in ended by 退出, by its name (the cookie's sid): every copy of its cookie is refused. Kept in the
    database, not Redis, so that it holds while Redis is away or loses its keys; removed once such a cookie has
    expired anyway."""

    __tablename__ = "ended_sign_ins"

    sid: Mapped[str] = mapped_column(String(32), primary_key=True)
    ended_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class StaffRole:
    ADMIN = "admin"
    OFFICE = "office"
    STATION = "station"
    UNIT = "unit"  # a handling unit's account: sees only the suggestions assigned to its unit


# What a staff account stores instead of a password hash while its holder is to choose their own: it matches no
# password, nobody was ever told one, and the accounts page can say so (待设置密码). Not a column: while an upgrade is
# stopped before 0081, `mashang accounts rename` reads staff_users as they were then.
AWAITED_PASSWORD = "!awaited:"


class StaffUser(Base):
    __tablename__ = "staff_users"
    # A login signs in whatever the case of its letters (Admin is admin): one account per login, kept by the
    # database too, since two creations at one moment both find the name free (migration 0081).
    __table_args__ = (Index("uq_staff_users_login", func.lower(text("username")), unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    # The person's name (姓名), which pages show for the account; the login (Latin letters) only where there is none.
    display_name: Mapped[str | None] = mapped_column(String(50))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("handling_units.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")  # as for deputies

    @property
    def awaiting_password(self) -> bool:
        """Its holder is to choose a first password from a one-time link (accounts.awaited_password)."""
        return self.password_hash.startswith(AWAITED_PASSWORD)
