"""What staff create while they use PolicyQA — accounts, API keys, conversations and their turns, feedback, the
query log — in a real database: a SQLite file in the data directory by default, PostgreSQL with
`POLICYQA_DB=postgresql://…` (SQLAlchemy; the schema made and upgraded by Alembic migrations).

`db` opens and migrates, `models` are the tables, `accounts` hashes passwords and keys, `records` reads and
writes conversations, feedback and the log, `routes` is the API over them, `commands` the CLI.
"""
