"""Alembic's environment: run on the connection `rag.staff.db` hands over (no alembic.ini, no URL here)."""
from __future__ import annotations

from alembic import context

from rag.staff.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
