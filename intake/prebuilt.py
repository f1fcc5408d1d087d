"""Core statements compiled once per dialect and run on the session's own DBAPI cursor.

For the chat turn, the hottest path: SQLAlchemy's work per execution (the statement's cache key, an
execution context, a result object) cost more CPU in the web worker than running the statement did. The
parameters and results still pass through the column types' own conversions, errors come out as
SQLAlchemy's (a lost connection invalidates the pool as usual), and pending ORM changes are flushed first.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable


@dataclass(frozen=True)
class _Compiled:
    compiled: object
    sql: str
    positions: tuple[str, ...] | None  # parameter names in order, for drivers taking a sequence (SQLite)
    binds: dict  # parameter name -> the type's conversion for this dialect
    defaults: dict  # parameter name -> a column's scalar default the statement fills in
    results: tuple  # per result column: the type's conversion or None


def _compile(statement: Executable, dialect: Dialect) -> _Compiled:
    compiled = statement.compile(dialect=dialect)
    if compiled.escaped_bind_names or compiled.literal_execute_params or compiled.post_compile_params:
        raise ValueError("a prebuilt statement takes plain named parameters")
    defaults = {}
    for column in (*compiled.insert_prefetch, *compiled.update_prefetch):
        default = column.default if column in compiled.insert_prefetch else column.onupdate
        if default is None or not default.is_scalar:
            raise ValueError(f"{column} needs a default computed per execution: give it as a parameter")
        defaults[column.key] = default.arg
    results = tuple(entry.type._cached_result_processor(dialect, None) for entry in compiled._result_columns)
    return _Compiled(compiled, compiled.string, tuple(compiled.positiontup) if compiled.positional else None,
                     dict(compiled._bind_processors), defaults, results)


class Prebuilt:
    """One statement: `rows(session, params)` gives its result rows as tuples, in the statement's column order."""

    def __init__(self, statement: Executable):
        self.statement = statement
        self._by_dialect: dict[str, _Compiled] = {}

    def _for(self, dialect: Dialect) -> _Compiled:
        found = self._by_dialect.get(dialect.name)
        if found is None:
            found = self._by_dialect[dialect.name] = _compile(self.statement, dialect)
        return found

    def rows(self, session: Session, params: dict) -> list[tuple]:
        if session.new or session.deleted or session.dirty:
            session.flush()  # as Session.execute's autoflush would
        connection = session.connection()
        prepared = self._for(connection.dialect)
        values = prepared.compiled.construct_params({**prepared.defaults, **params})
        for name, convert in prepared.binds.items():
            values[name] = convert(values[name])
        parameters = values if prepared.positions is None else tuple(values[name] for name in prepared.positions)
        cursor = None
        try:
            # Inside the try: a connection the server closed fails here already, and must be reported as SQLAlchemy
            # reports it (the pool drops it, the page answers 503).
            cursor = connection.connection.driver_connection.cursor()
            cursor.execute(prepared.sql, parameters)
            fetched = cursor.fetchall() if cursor.description else []
        except connection.dialect.loaded_dbapi.Error as exc:
            connection._handle_dbapi_exception(exc, prepared.sql, parameters, cursor, None)
        finally:
            if cursor is not None:
                cursor.close()
        if not any(prepared.results):
            return fetched
        return [tuple(value if convert is None else convert(value) for convert, value in zip(prepared.results, row))
                for row in fetched]

    def first(self, session: Session, params: dict) -> tuple | None:
        found = self.rows(session, params)
        return found[0] if found else None

    def one(self, session: Session, params: dict) -> tuple:
        found = self.rows(session, params)
        if len(found) != 1:
            raise LookupError(f"expected one row, got {len(found)}")
        return found[0]
