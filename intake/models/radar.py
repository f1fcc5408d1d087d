"""The district's problems: each deputy's groups linked across deputies and stations, with their own word index."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from intake.models.base import Base, UTCDateTime, utcnow


class RadarProblem(Base):
    """One problem of the district, whichever deputies and stations heard it; its title and topic are its
    first group's, and its words are counted as a deputy's group's are (see grouping)."""

    __tablename__ = "radar_problems"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(50))
    square_sum: Mapped[int] = mapped_column(Integer, default=0)
    places: Mapped[dict] = mapped_column(JSON, default=dict)  # how many of its messages name each place
    located: Mapped[int] = mapped_column(Integer, default=0)  # how many of its messages name a place
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RadarWord(Base):
    """How often a district problem's messages use a word (or a character pair of a longer word)."""

    __tablename__ = "radar_words"

    problem_id: Mapped[int] = mapped_column(ForeignKey("radar_problems.id", ondelete="CASCADE"), primary_key=True)
    word: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)
    count: Mapped[int] = mapped_column(Integer)


class RadarTerm(Base):
    """How many district problems use a word: past a few, the word finds no candidates."""

    __tablename__ = "radar_terms"

    word: Mapped[str] = mapped_column(String(100), primary_key=True)
    problems: Mapped[int] = mapped_column(Integer)


class RadarDraft(Base):
    """A deputy's group (a draft, or one still collecting) and the district problem it is part of."""

    __tablename__ = "radar_drafts"

    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("radar_problems.id", ondelete="CASCADE"), index=True)


class RadarMessage(Base):
    """A drafted message on the radar, with what heat counts copied once: who said it, to whom, where, when."""

    __tablename__ = "radar_messages"
    __table_args__ = (Index("ix_radar_messages_problem_at", "problem_id", "at"),)

    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("radar_problems.id", ondelete="CASCADE"))
    draft_id: Mapped[int] = mapped_column(Integer)
    deputy_id: Mapped[int] = mapped_column(Integer, index=True)
    station_id: Mapped[int] = mapped_column(Integer)
    # The citizen's id, or 'm' and the message's for one unknown; indexed: a citizen's earlier letters are looked up.
    citizen: Mapped[str] = mapped_column(String(20), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    # The letter's text without spaces and punctuation, hashed: a copy sent to another deputy finds its original.
    fingerprint: Mapped[str | None] = mapped_column(String(16), index=True, nullable=True)
