"""The database: opened from a URL, its schema brought to the newest migration before first use.

`sqlite:///PATH` (the default: `<data directory>/policyqa.db`) runs in write-ahead-log mode with a full sync on
every commit, so what a request committed survives the server being killed; `postgresql://…` is PostgreSQL
through psycopg 3. A URL that cannot be opened is one line naming it (the password left out).
"""
from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, func, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from ..errors import PolicyQAError
from ..settings import Settings
from .models import User

MIGRATIONS = Path(__file__).with_name("migrations")


class DatabaseError(PolicyQAError):
    """The database cannot be opened or migrated."""


def url_of(settings: Settings) -> str:
    return settings.db_url or f"sqlite:///{settings.home / 'policyqa.db'}"


def _driver(url: str) -> str:
    """postgresql:// and postgres:// go through psycopg 3 (SQLAlchemy's default would be psycopg2)."""
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain):]
    return url


def _sqlite_pragmas(connection: Any, _: Any) -> None:
    cursor = connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=10000"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


class Database:
    def __init__(self, url: str):
        try:
            parsed = make_url(_driver(url))
        except ArgumentError:
            raise DatabaseError(f"POLICYQA_DB={url!r} is not a database URL (sqlite:///PATH or "
                                "postgresql://user@host/db)") from None
        self.shown = parsed.render_as_string(hide_password=True)
        if parsed.get_backend_name() not in ("sqlite", "postgresql"):
            raise DatabaseError(f"database {self.shown}: only SQLite and PostgreSQL are supported")
        if parsed.get_backend_name() == "sqlite" and parsed.database:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(parsed, pool_pre_ping=True)
        if parsed.get_backend_name() == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._users_seen = 0.0
        self.migrate()

    @classmethod
    def open(cls, settings: Settings) -> Database:
        return cls(url_of(settings))

    def migrate(self) -> None:
        """Bring the schema to the newest migration (a new database gets every table)."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        try:
            with self.engine.begin() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
            raise DatabaseError(f"database {self.shown} cannot be used: {reason}") from None

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back if it raises. A failure of the database
        itself (locked, gone, disk full) is a `DatabaseError` naming it."""
        try:
            with self._sessions.begin() as session:
                yield session
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
            raise DatabaseError(f"database {self.shown}: {reason}") from exc

    def has_users(self) -> bool:
        """Whether any account exists (asked on every API request: remembered for a second once true)."""
        if self._users_seen and time.monotonic() - self._users_seen < 1.0:
            return True
        with self.session() as s:
            found = bool(s.scalar(select(func.count()).select_from(User)))
        self._users_seen = time.monotonic() if found else 0.0
        return found

    def has_admin(self) -> bool:
        with self.session() as s:
            return bool(s.scalar(select(func.count()).select_from(User).where(User.role == "admin")))

    def close(self) -> None:
        self.engine.dispose()
