"""One-row reads run straight on the driver's cursor, for the busiest request: a survey page view.

SQLAlchemy still does the parts that need care. It compiles the statement, once per dialect,
and its pool lends the connection with the pool's checks. What the read skips is
``Connection.execute`` and ``CursorResult``. For the survey link lookup those cost more CPU than
the driver and the database together: 270 against 77 µs per lookup on PostgreSQL, and 130
against 14 µs on SQLite (``bench/page_cost.py`` has the whole-request figures).

The row comes back as a plain tuple, converted as ``Connection.execute`` would convert it (on
SQLite, text to ``datetime`` and integers to ``bool``). Errors come out as SQLAlchemy's
exceptions, with the driver's error as ``orig``. A connection the server has closed is
invalidated, so the pool replaces it.

Only for a SELECT that stands on its own, outside any transaction, as with
``database.autocommit_connection``. When the session holds SQLite's single connection, the read
goes through that connection in the usual way instead.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from sqlalchemy import exc
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import Select

from feedback_app.services.database import autocommit_connection, autocommit_engine, session_holds_sqlite_connection

Processor = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class _CompiledSelect:
    """A statement compiled for one dialect: its SQL, how to pass parameters, how to convert a row."""

    sql: str
    #: Values the statement carries itself (``column == "completed"``), by parameter name.
    fixed_values: Mapping[str, Any]
    #: Parameters the caller must give (``bindparam("token_hash")``).
    required: frozenset[str]
    #: Parameter names in order for a positional paramstyle (SQLite's ``?``); None for named ones.
    positional_names: tuple[str, ...] | None
    bind_processors: tuple[tuple[str, Processor], ...]
    result_processors: tuple[Processor | None, ...]

    def parameters(self, values: Mapping[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        missing = self.required.difference(values)
        if missing:
            raise ValueError(f"no value given for the parameter(s) {', '.join(sorted(missing))} of: {self.sql}")
        converted = {**self.fixed_values, **values}
        for name, process in self.bind_processors:
            converted[name] = process(converted[name])
        if self.positional_names is None:
            return converted
        return tuple(converted[name] for name in self.positional_names)

    def row(self, raw: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(value if process is None or value is None else process(value)
                     for process, value in zip(self.result_processors, raw, strict=True))


def _compile(statement: Select, dialect: Dialect) -> _CompiledSelect:
    compiled = statement.compile(dialect=dialect)
    names = compiled.bind_names  # parameter -> the name it has in the SQL
    if any(bind.expanding or bind.literal_execute or bind.callable is not None for bind in names):
        raise ValueError("DirectSelect takes plain bound parameters only (no expanding IN, literal_execute "
                         "or callable values)")
    if getattr(compiled, "escaped_bind_names", None):
        raise ValueError("DirectSelect takes parameter names the SQL can hold as they are (no escaping)")
    processors: dict[str, Processor] = {}  # by name: two parameters of one name are one value
    for bind, name in names.items():
        process = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            processors[name] = process
    required = frozenset(name for bind, name in names.items() if bind.required)
    fixed = {name: bind.value for bind, name in names.items() if not bind.required}
    results = tuple(column.type.dialect_impl(dialect).result_processor(dialect, None)
                    for column in statement.selected_columns)
    positional = tuple(compiled.positiontup or ()) if compiled.positional else None
    return _CompiledSelect(str(compiled), fixed, required, positional, tuple(processors.items()), results)


class DirectSelect:
    """A Core SELECT whose first row is read on a pooled driver connection (see the module docstring)."""

    def __init__(self, statement: Select) -> None:
        self.statement = statement
        #: Per dialect object: compiled after the engine's first connection, so with what it learnt
        #: of the server (its version), and never shared between two engines.
        self._compiled: weakref.WeakKeyDictionary[Dialect, _CompiledSelect] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def compiled(self, dialect: Dialect) -> _CompiledSelect:
        found = self._compiled.get(dialect)
        if found is None:
            with self._lock:
                found = self._compiled.get(dialect)
                if found is None:
                    found = self._compiled[dialect] = _compile(self.statement, dialect)
        return found

    def first(self, values: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """The first row for these parameter values, or None."""
        engine = autocommit_engine()
        if session_holds_sqlite_connection(engine):
            with autocommit_connection() as connection:  # it lends the session's connection
                row = connection.execute(self.statement, values).first()
            return None if row is None else tuple(row)
        dialect = engine.dialect
        driver_error = dialect.loaded_dbapi.Error
        try:
            pooled = engine.raw_connection()
        except driver_error as error:  # as SQLAlchemy reports a failed connect: no statement attached
            raise exc.DBAPIError.instance(None, None, error, driver_error, hide_parameters=engine.hide_parameters,
                                          dialect=dialect) from error
        cursor = None
        try:
            compiled = self.compiled(dialect)
            parameters = compiled.parameters(values)
            cursor = pooled.cursor()
            cursor.execute(compiled.sql, parameters)
            raw = cursor.fetchone()
        except driver_error as error:
            closed = dialect.is_disconnect(error, pooled.dbapi_connection, cursor)
            if closed:
                pooled.invalidate(error)
            raise exc.DBAPIError.instance(compiled.sql, parameters, error, driver_error,
                                          hide_parameters=engine.hide_parameters, connection_invalidated=closed,
                                          dialect=dialect) from error
        except BaseException as error:
            # Anything else mid-query (an interrupt, a worker's timeout) may leave a query in flight
            # on the connection: never hand it to the next request, as SQLAlchemy would not.
            if cursor is not None:
                pooled.invalidate(error)
            raise
        finally:
            if cursor is not None and pooled.is_valid:
                cursor.close()
            pooled.close()  # back to the pool (on SQLite the pool's reset ends the driver's transaction)
        return None if raw is None else compiled.row(raw)
