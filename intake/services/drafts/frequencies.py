"""The district's document frequencies: in how many grouped messages each word occurs.

A batch does not add its counts to `word_frequencies` itself: its words are the district's, spread over the
whole table, and upserting them dirtied some 130 pages a batch. It appends them as one row of
`word_frequency_batches` (word -> count, as JSON), in its own transaction, and a reader adds the rows not yet
folded to the folded table's counts. Every FOLD_EVERY batches one batch moves the unfolded rows into
`word_frequencies`, in its own transaction too: a batch killed mid-fold leaves both tables as they were, and a row
is folded once (deleted by the fold that adds it; on PostgreSQL folds take turns).

Both kinds of row are read in one statement (one snapshot on PostgreSQL, so a fold committed meanwhile is seen
either wholly or not at all). A row never changes once written: a process keeps each row's counts, known by its
random stamp, and reads only the rows it does not hold.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections import Counter

MESSAGES_ROW = ""  # the word_frequencies row counting the messages themselves
FOLD_EVERY = 128
WORDS_PER_STATEMENT = 2000
DIALECTS = ("sqlite", "postgresql")
FOLD_LOCK = 0x6d617368  # PostgreSQL's advisory lock taken by a fold: one fold at a time


def _sql(dialect: str) -> tuple[str, str, str]:
    """The reads as the driver takes them (on SQLite the words and the stamps held each as one JSON array, on
    PostgreSQL as arrays): the folded counts of some words with how many of the rows held are still unfolded and
    the unfolded rows not held; the same listing every unfolded row (after another process folded some held);
    the folded counts alone."""
    if dialect == "postgresql":
        words, known = "= ANY(%(words)s)", "= ANY(%(known)s)"
    else:
        words, known = "IN (SELECT value FROM json_each(:words))", "IN (SELECT value FROM json_each(:known))"
    folded = f"SELECT word, messages, NULL, NULL FROM word_frequencies WHERE word {words}"
    return (f"{folded} UNION ALL SELECT NULL, count(*), NULL, NULL FROM word_frequency_batches WHERE stamp {known} "
            f"UNION ALL SELECT NULL, NULL, stamp, counts FROM word_frequency_batches WHERE NOT (stamp {known})",
            f"{folded} UNION ALL SELECT NULL, NULL, stamp, CASE WHEN stamp {known} THEN NULL ELSE counts END "
            "FROM word_frequency_batches", folded)


_READ = {dialect: _sql(dialect) for dialect in DIALECTS}


def _list(dialect: str, values: list):
    return list(values) if dialect == "postgresql" else json.dumps(values, ensure_ascii=False)


_APPEND = {"sqlite": "INSERT INTO word_frequency_batches (stamp, counts) VALUES (?, ?)",
           "postgresql": "INSERT INTO word_frequency_batches (stamp, counts) VALUES (%s, %s)"}
_TAKE = {"sqlite": "DELETE FROM word_frequency_batches WHERE stamp IN (SELECT value FROM json_each(?)) RETURNING stamp",
         "postgresql": "DELETE FROM word_frequency_batches WHERE stamp = ANY(%s) RETURNING stamp"}
_ADD = {"sqlite": "INSERT INTO word_frequencies (word, messages) VALUES (?, ?) ON CONFLICT (word) DO UPDATE SET "
                  "messages = word_frequencies.messages + excluded.messages",
        "postgresql": "INSERT INTO word_frequencies (word, messages) SELECT * FROM unnest(%s::text[], %s::integer[]) "
                      "ON CONFLICT (word) DO UPDATE SET messages = word_frequencies.messages + excluded.messages"}


class _Held:
    """The unfolded rows' counts this process holds, by stamp, and their sum."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, int]] = {}
        self.total: Counter[str] = Counter()
        self.lock = threading.Lock()

    def keep(self, stamp: str, counts: dict[str, int]) -> None:
        self.rows[stamp] = counts
        self.total.update(counts)

    def drop(self, stamp: str) -> None:
        self.total.subtract(self.rows.pop(stamp))


_HELD = _Held()


class Unfolded:
    """The unfolded rows a read counted, by stamp: the batch folds these."""

    def __init__(self, rows: dict[str, dict[str, int]]) -> None:
        self.rows = rows


def read(connection, words: list[str]) -> tuple[dict[str, int], Unfolded]:
    """How many grouped messages use each of these words (a word none uses is left out), with the row of
    MESSAGES_ROW counting the messages; and the unfolded rows counted."""
    dialect = connection.dialect.name
    sought = list(words) + [MESSAGES_ROW]
    first = sought[:WORDS_PER_STATEMENT]
    with _HELD.lock:
        parameters = {"words": _list(dialect, first), "known": _list(dialect, list(_HELD.rows))}
        rows = connection.exec_driver_sql(_READ[dialect][0], parameters).all()
        if any(word is None and stamp is None and held != len(_HELD.rows) for word, held, stamp, _ in rows):
            # Another process folded some of the rows held: which ones are left, read with the same counts.
            rows = connection.exec_driver_sql(_READ[dialect][1], parameters).all()
            listed = {stamp for word, _, stamp, _ in rows if word is None}
            for stamp in [stamp for stamp in _HELD.rows if stamp not in listed]:
                _HELD.drop(stamp)
        found: dict[str, int] = {}
        for word, messages, stamp, counts in rows:
            if word is not None:
                found[word] = messages
            elif counts is not None:
                _HELD.keep(stamp, json.loads(counts))
        for start in range(WORDS_PER_STATEMENT, len(sought), WORDS_PER_STATEMENT):
            chunk = sought[start:start + WORDS_PER_STATEMENT]
            found.update(connection.exec_driver_sql(_READ[dialect][2], {"words": _list(dialect, chunk)}).all())
        total = _HELD.total
        for word in sought:
            more = total.get(word, 0)
            if more:
                found[word] = found.get(word, 0) + more
        unfolded = Unfolded(dict(_HELD.rows))
    return found, unfolded


def add(connection, counts: Counter[str], unfolded: Unfolded) -> None:
    """Count a batch's messages (`counts` of each word, MESSAGES_ROW of the messages); in the batch's transaction.
    Every FOLD_EVERY batches, with the unfolded rows its read counted."""
    dialect = connection.dialect.name
    if len(unfolded.rows) + 1 < FOLD_EVERY:
        stamp = uuid.uuid4().hex
        connection.exec_driver_sql(_APPEND[dialect], (stamp, json.dumps(counts, ensure_ascii=False)))
        with _HELD.lock:
            # Held at once: a batch rolled back leaves a stamp held that no read finds, and the next read lists
            # the rows.
            _HELD.keep(stamp, dict(counts))
        return
    _fold(connection, counts, unfolded)


def _fold(connection, counts: Counter[str], unfolded: Unfolded) -> None:
    dialect = connection.dialect.name
    if dialect == "postgresql":
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(%s)", (FOLD_LOCK,))
    # Only the rows this fold deletes are added: another fold may have taken some since the read.
    taken = connection.exec_driver_sql(_TAKE[dialect], (_list(dialect, list(unfolded.rows)),))
    folded = Counter(counts)
    for (stamp,) in taken:
        folded.update(unfolded.rows[stamp])
    with _HELD.lock:
        # Known to be folded (were the batch rolled back, the next read would find them unfolded, and not held).
        for stamp in unfolded.rows:
            if stamp in _HELD.rows:
                _HELD.drop(stamp)
    rows = sorted(folded.items())  # one order of words: concurrent folds cannot deadlock
    if dialect == "postgresql":
        connection.exec_driver_sql(_ADD[dialect], tuple(list(column) for column in zip(*rows)))
    else:
        connection.exec_driver_sql(_ADD[dialect], rows)
