"""The chat's memory: who is chatting (Gradio's login name, or nobody on an open server), their saved
conversations, and 👍/👎 on an answer — over rag/staff, without Gradio layout (the tabs call these)."""
from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from rag.errors import PolicyQAError
from rag.staff import records
from rag.staff.accounts import Account, account_named
from rag.staff.db import Database
from rag.staff.export import conversation_docx, conversation_markdown
from rag.types import Answer, Turn

log = logging.getLogger("policyqa.chat")
REASON_LABELS = {"wrong_clause": "引用的条款不对", "missing_fact": "缺少关键事实", "should_refuse": "本应拒答",
                 "should_answer": "本应作答"}


class ChatStore:
    """Saved conversations for the chat. `db` None: nothing is saved (the chat works as before)."""

    def __init__(self, db: Database | None):
        self.db = db

    def account(self, username: str | None) -> Account | None:
        if self.db is None or not username:
            return None
        return account_named(self.db, username)

    def is_admin(self, username: str | None) -> bool:
        """Admin tabs: for an admin, or anyone on an open server (no accounts: the machine's own user)."""
        if self.db is None:
            return False
        account = self.account(username)
        return account.admin if account is not None else not self.db.has_users()

    def save(self, username: str | None, conversation_id: str | None, result: Answer) -> tuple[str | None, int | None]:
        """Save an answered turn (a new conversation for the first); returns (conversation id, turn id). A failure
        to save is logged and the answer still shown."""
        if self.db is None:
            return conversation_id, None
        try:
            account = self.account(username)
            if not conversation_id:
                conversation_id = records.new_conversation(self.db, account)["id"]
            turn = records.add_turn(self.db, account, conversation_id, result.question, result.to_dict(),
                                    float(result.latency_ms or 0.0))
        except PolicyQAError:  # (a database failure is a DatabaseError, one of these)
            log.exception("could not save a chat turn")
            return conversation_id, None
        return conversation_id, turn

    def choices(self, username: str | None) -> list[tuple[str, str]]:
        """(label, id) of the user's conversations, the most recent first."""
        if self.db is None:
            return []
        rows = records.conversations(self.db, self.account(username))
        return [(f"{r['title'] or '(无标题)'} · {_when(r['updated_at'])} · {r['turns']}问", r["id"]) for r in rows]

    def load(self, username: str | None, conversation_id: str) -> tuple[list[Turn], list[int]]:
        """A saved conversation's turns (the follow-up context) and their ids."""
        if self.db is None:
            return [], []
        saved = records.conversation(self.db, self.account(username), conversation_id)
        return records.as_turns(saved), [int(t["id"]) for t in saved["turns"]]

    def export(self, username: str | None, conversation_id: str | None, folder: Path) -> tuple[Path, Path] | None:
        """The conversation as Markdown and DOCX files in `folder` (file names of ours)."""
        if self.db is None or not conversation_id:
            return None
        saved = records.conversation(self.db, self.account(username), conversation_id)
        md, docx = folder / f"对话-{conversation_id}.md", folder / f"对话-{conversation_id}.docx"
        md.write_text(conversation_markdown(saved), encoding="utf-8")
        docx.write_bytes(conversation_docx(saved))
        return md, docx

    def feedback(self, username: str | None, turn_id: int, rating: str) -> int:
        """Record 👍 or 👎 on a turn; returns the feedback's id (a 👎's details come with `complete`)."""
        assert self.db is not None
        return int(records.add_feedback(self.db, self.account(username), turn_id, rating)["id"])

    def complete(self, username: str | None, feedback_id: int, reason: str | None, clause: Any,
                 comment: str) -> dict[str, Any]:
        assert self.db is not None
        return records.complete_feedback(self.db, self.account(username), feedback_id, reason, clause, comment)


def _when(iso: str) -> str:
    """A saved time as staff read it (China time)."""
    try:
        return records.local(datetime.fromisoformat(iso)).strftime("%m-%d %H:%M")
    except ValueError:
        return iso
