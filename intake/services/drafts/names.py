"""The district's proper names: learned from its messages, imported from its gazetteer, fed to the tokenizer."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot import places
from bot.tokenizer import use_names
from intake.models import PlaceName
from intake.services.drafts import stamps

# A candidate (see bot.places.name_candidates) said in this many messages is a name.
LEARN_AFTER = 3
MAX_NAME_CHARS = 50
NAMES = PlaceName.__table__.c


def _upsert(session: Session, rows: list[dict], source: str) -> None:
    """Add to the counts of these names; other deputies' batches may add to the same rows meanwhile."""
    dialect = {"postgresql": postgresql, "sqlite": sqlite}[session.get_bind().dialect.name]
    for start in range(0, len(rows), 2000):
        statement = dialect.insert(PlaceName.__table__).values(
            [{"source": source, "known": False, **row} for row in rows[start:start + 2000]])
        session.execute(statement.on_conflict_do_update(
            index_elements=[NAMES.name], set_={"messages": NAMES.messages + statement.excluded.messages}))


def learn(session: Session, candidates: Iterable[list[str]]) -> list[str]:
    """Count each message's candidate names; those now said in LEARN_AFTER messages become known, unless a
    longer name ending with them is said as often (桂园滨江苑 is only part of 金桂园滨江苑). Returns them."""
    counts: Counter = Counter()
    for names in candidates:
        counts.update(set(names))
    if not counts:
        return []
    ordered = sorted(counts)  # one order of rows for every batch: no deadlock between two
    _upsert(session, [{"name": name, "messages": counts[name]} for name in ordered], "learned")
    stored = {name: (n, known) for name, n, known in session.execute(
        select(NAMES.name, NAMES.messages, NAMES.known).where(NAMES.name.in_(ordered)))}
    fresh = [name for name, (n, known) in stored.items() if not known and n >= LEARN_AFTER]
    learned = sorted(name for name in fresh if not any(
        len(other) > len(name) and other.endswith(name) and n >= stored[name][0] for other, (n, _) in stored.items()))
    if learned:
        session.execute(update(PlaceName.__table__).where(NAMES.name.in_(learned)).values(known=True))
        stamps.bump(session, stamps.NAMES)
    return learned


# The names the tokenizer was last given (as read, and with their short forms): another database in this process
# may have given it others since.
_GIVEN: list = [None, ()]


def known(session: Session, stamped: dict[str, str]) -> tuple[str, ...]:
    """Give the tokenizer exactly the known names and their short forms (白石渡 of 白石渡镇), and return them. Read
    from the database only when they changed since this process last read them (`stamped`: the stamps as read
    after this batch's `learn`)."""
    names = stamps.kept(session, stamped, stamps.NAMES, _read)
    if _GIVEN[0] is not names:
        _GIVEN[1] = names + tuple(places.short_forms(names))
        use_names(_GIVEN[1])
        _GIVEN[0] = names
    return _GIVEN[1]


def _read(session: Session) -> tuple[str, ...]:
    return tuple(session.scalars(select(NAMES.name).where(NAMES.known.is_(True)).order_by(NAMES.name)))


# A spreadsheet's column title, not a name of the district.
_HEADERS = frozenset({"名称", "地名", "名字", "地点", "单位名称", "地名名称"})


def gazetteer_column(rows: list[list[str]]) -> list[str]:
    """The names in a table's cells: the column whose title in the first line is 名称, 地名 …, else the first
    column (its first line too: a plain list may start with a name). Comment lines (#) give nothing."""
    def comment(row: list[str]) -> bool:
        return bool(row) and row[0].lstrip().startswith("#")

    header = next((row for row in rows if any(cell.strip() for cell in row) and not comment(row)), [])
    titled = [i for i, cell in enumerate(header) if cell.strip() in _HEADERS]
    column = titled[0] if titled else 0
    return ["" if comment(row) or column >= len(row) else row[column] for row in rows]


def import_gazetteer(session: Session, lines: Iterable[str]) -> int:
    """The district's own list of names, one a line (first column of a CSV; '#' starts a comment).
    Returns how many names it holds; importing again changes nothing."""
    names = []
    for line in lines:
        name = line.split("#", 1)[0].split(",", 1)[0].strip()
        if 2 <= len(name) <= MAX_NAME_CHARS and not places.is_district_name(name) and name not in _HEADERS:
            names.append(name)
    names = sorted(set(names))
    _upsert(session, [{"name": name, "messages": 0} for name in names], "gazetteer")
    for start in range(0, len(names), 2000):
        session.execute(update(PlaceName.__table__).where(NAMES.name.in_(names[start:start + 2000]))
                        .values(known=True, source="gazetteer"))
    if names:
        stamps.bump(session, stamps.NAMES)
    session.flush()
    return len(names)
