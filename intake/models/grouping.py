"""The grouping index, kept with the groups: a batch reads only the words and messages it compares with.

On SQLite its tables are stored by their primary key (WITHOUT ROWID): a batch writes about a hundred small rows a
message, and each row then goes into one tree fewer (the table's rowid tree)."""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from intake.models.base import Base


class IndexedDeputy(Base):
    """A deputy whose groups are in the index; one from before the index gets it built at its next batch."""

    __tablename__ = "grouping_deputies"

    deputy_id: Mapped[int] = mapped_column(ForeignKey("deputies.id"), primary_key=True)
    # Written anew (random) in the same transaction as any change to the deputy's groups: a worker keeps the
    # index it read between batches only while this is the stamp it kept it under.
    stamp: Mapped[str | None] = mapped_column(String(32))


class GroupTerms(Base):
    """What a group's closeness is divided by (the sum of its word counts squared) and the places it names."""

    __tablename__ = "group_terms"
    __table_args__ = {"sqlite_with_rowid": False}

    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), primary_key=True)
    square_sum: Mapped[int] = mapped_column(Integer, default=0)
    places: Mapped[list] = mapped_column(JSON, default=list)


class GroupWord(Base):
    """How often a group's messages use a word (or a character pair of a longer word)."""

    __tablename__ = "group_words"
    # With the draft last: a word's latest groups are read from the index's end.
    __table_args__ = (Index("ix_group_words_deputy_topic_word_draft", "deputy_id", "topic", "word", "draft_id"),
                      {"sqlite_with_rowid": False})

    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), primary_key=True)
    word: Mapped[str] = mapped_column(String(100), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    # The group's deputy and topic (a draft never changes either), so the groups using a word are one look-up.
    deputy_id: Mapped[int] = mapped_column(Integer)
    topic: Mapped[str] = mapped_column(String(50))


class GroupingKey(Base):
    """A grouped message's prefix words, and its whole word set as one digest ('=' and hex), by which a
    message repeating it is found. Which group the message is in is read from draft_messages."""

    __tablename__ = "grouping_keys"
    __table_args__ = {"sqlite_with_rowid": False}

    deputy_id: Mapped[int] = mapped_column(ForeignKey("deputies.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)


class WordFrequency(Base):
    """In how many of the district's grouped messages a word occurs; the row for '' counts the messages.
    Kept per batch, so rare words weigh more without ever reading the history again."""

    __tablename__ = "word_frequencies"
    __table_args__ = {"sqlite_with_rowid": False}

    word: Mapped[str] = mapped_column(String(100), primary_key=True)
    messages: Mapped[int] = mapped_column(Integer)


class PlaceName(Base):
    """A proper name (estate, road, school, company …): learned once it recurs in the district's messages, or
    from the gazetteer the district edits. Candidates seen fewer times wait here with their count."""

    __tablename__ = "place_names"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    source: Mapped[str] = mapped_column(String(10))  # "learned" or "gazetteer"
    messages: Mapped[int] = mapped_column(Integer, default=0)
    known: Mapped[bool] = mapped_column(default=False, index=True)


class CacheStamp(Base):
    """The version of something a worker keeps in memory between batches (the district's known names, the
    units staff chose): every change writes a new random stamp in its own transaction, so a worker whose
    stamp differs reads it again, however many workers there are and whichever database they use."""

    __tablename__ = "cache_stamps"

    name: Mapped[str] = mapped_column(String(30), primary_key=True)
    stamp: Mapped[str] = mapped_column(String(32))
