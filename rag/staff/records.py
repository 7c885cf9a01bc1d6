"""Conversations, their turns, feedback on a turn and the query log: written as each request is answered
(committed before the response leaves), read back per user — a conversation is its owner's alone (another
user's is "not found", as if it did not exist)."""
from __future__ import annotations

import csv
import io
import secrets
import statistics
from collections import Counter
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import numpy as np
from sqlalchemy import select

from ..errors import BadInputError, NotFoundError
from ..types import Answer, Turn
from .accounts import Account
from .db import Database
from .models import RATINGS, REASONS, Conversation, Feedback, QueryLog, TurnRow, User, now

TITLE_CHARS = 40


def _owner(account: Account | None) -> int | None:
    return account.id if account is not None else None


def _conversation(s: Any, account: Account | None, conversation_id: str) -> Conversation:
    c = s.get(Conversation, conversation_id)
    if c is None or c.user_id != _owner(account):
        raise NotFoundError(f"no conversation {conversation_id!r}")
    return c


CHINA = timezone(timedelta(hours=8), "北京时间")  # (no daylight saving: a fixed offset is exact)
STATS_DAYS = 90


def local(t: datetime) -> datetime:
    return t.astimezone(CHINA)


def _iso(t: datetime) -> str:
    return t.astimezone(timezone.utc).isoformat(timespec="seconds")


def new_conversation(db: Database, account: Account | None, title: str = "") -> dict[str, Any]:
    with db.session() as s:
        c = Conversation(id=secrets.token_hex(8), user_id=_owner(account), title=title.strip()[:200])
        s.add(c)
        s.flush()
        return {"id": c.id, "title": c.title, "created_at": _iso(c.created_at), "turns": 0}


def conversations(db: Database, account: Account | None) -> list[dict[str, Any]]:
    """The user's conversations, the most recently used first."""
    with db.session() as s:
        rows = s.scalars(select(Conversation).where(Conversation.user_id.is_(None) if account is None
                                                    else Conversation.user_id == account.id)
                         .order_by(Conversation.updated_at.desc(), Conversation.id)).all()
        counts = Counter(s.scalars(select(TurnRow.conversation_id)
                                   .where(TurnRow.conversation_id.in_([c.id for c in rows]))).all())
        return [{"id": c.id, "title": c.title, "created_at": _iso(c.created_at), "updated_at": _iso(c.updated_at),
                 "turns": counts.get(c.id, 0)} for c in rows]


def conversation(db: Database, account: Account | None, conversation_id: str,
                 last: int | None = None) -> dict[str, Any]:
    """One of the user's conversations with its turns (only the `last` few when given: the context of a
    follow-up question needs no more)."""
    with db.session() as s:
        c = _conversation(s, account, conversation_id)
        query = select(TurnRow).where(TurnRow.conversation_id == c.id).order_by(TurnRow.id.desc())
        turns = list(reversed(s.scalars(query.limit(last) if last else query).all()))
        return {"id": c.id, "title": c.title, "created_at": _iso(c.created_at), "updated_at": _iso(c.updated_at),
                "turns": [{"id": t.id, "question": t.question, "result": t.result, "latency_ms": t.latency_ms,
                           "created_at": _iso(t.created_at)} for t in turns]}


def add_turn(db: Database, account: Account | None, conversation_id: str, question: str, result: dict[str, Any],
             latency_ms: float) -> int:
    """Save an answered question in its conversation (titled by its first question) and in the query log."""
    with db.session() as s:
        c = _conversation(s, account, conversation_id)
        turn = TurnRow(conversation_id=c.id, question=question, result=result, latency_ms=latency_ms)
        s.add(turn)
        if not c.title:
            c.title = question[:TITLE_CHARS]
        c.updated_at = now()
        s.add(QueryLog(user_id=_owner(account), route="conversation", question=question,
                       no_answer=bool(result.get("no_answer")), latency_ms=latency_ms))
        s.flush()
        return turn.id


def as_turns(saved: dict[str, Any]) -> list[Turn]:
    """A saved conversation's turns as the answerer takes them (the context of a follow-up question)."""
    return [Turn(t["question"], Answer.from_dict(t["result"])) for t in saved["turns"]]


def log_query(db: Database, account: Account | None, route: str, question: str, no_answer: bool,
              latency_ms: float) -> None:
    with db.session() as s:
        s.add(QueryLog(user_id=_owner(account), route=route, question=question, no_answer=no_answer,
                       latency_ms=latency_ms))


def add_feedback(db: Database, account: Account | None, turn_id: int, rating: str, reason: str | None = None,
                 clause: Any = None, comment: str = "") -> dict[str, Any]:
    """👍 or 👎 on one of the user's own turns; a 👎 may say what was wrong and which clause should have answered
    (`clause`: the library's Clause, looked up by the caller)."""
    if rating not in RATINGS:
        raise BadInputError(f"rating {rating!r}: one of {', '.join(RATINGS)}")
    with db.session() as s:
        turn = s.get(TurnRow, turn_id)
        if turn is None:
            raise NotFoundError(f"no turn {turn_id}")
        _conversation(s, account, turn.conversation_id)  # another user's turn: not found
        row = Feedback(turn_id=turn.id, user_id=_owner(account), rating=rating)
        _explain(row, reason, clause, comment)
        s.add(row)
        s.flush()
        return _feedback_dict(row, turn)


def complete_feedback(db: Database, account: Account | None, feedback_id: int, reason: str | None, clause: Any = None,
                      comment: str = "") -> dict[str, Any]:
    """Say what was wrong with a 👎 given earlier (the chat records the 👎 at once, the details when sent)."""
    with db.session() as s:
        row = s.get(Feedback, feedback_id)
        turn = s.get(TurnRow, row.turn_id) if row is not None else None
        if row is None or turn is None or row.user_id != _owner(account):
            raise NotFoundError(f"no feedback {feedback_id}")
        _explain(row, reason, clause, comment)
        return _feedback_dict(row, turn)


def _explain(row: Feedback, reason: str | None, clause: Any, comment: str) -> None:
    """What was wrong (one of REASONS), the clause that should have answered, and a comment, on a feedback row."""
    if reason is not None and reason not in REASONS:
        raise BadInputError(f"reason {reason!r}: one of {', '.join(REASONS)}")
    row.reason = reason
    if clause is not None:
        row.chunk_id, row.plan_id, row.item_path = clause.chunk_id, clause.plan_id, clause.item_path
    row.comment = comment.strip()


def _feedback_dict(f: Feedback, turn: TurnRow) -> dict[str, Any]:
    return {"id": f.id, "turn_id": f.turn_id, "rating": f.rating, "reason": f.reason, "chunk_id": f.chunk_id,
            "plan_id": f.plan_id, "item_path": f.item_path, "comment": f.comment, "question": turn.question,
            "no_answer": bool(turn.result.get("no_answer")), "created_at": _iso(f.created_at)}


def feedback(db: Database) -> list[dict[str, Any]]:
    with db.session() as s:
        rows = s.execute(select(Feedback, TurnRow).join(TurnRow, Feedback.turn_id == TurnRow.id)
                         .order_by(Feedback.id)).all()
        return [_feedback_dict(f, t) for f, t in rows]


def feedback_cases(db: Database) -> list[dict[str, Any]]:
    """The 👎 that say what the right outcome was, as evaluation questions (CONTRACT.md's format): gold = the clause
    staff chose; "should have refused" expects no answer. A 👎 with neither is not a case (nothing to score)."""
    cases = []
    for f in feedback(db):
        if f["rating"] != "down":
            continue
        if f["reason"] == "should_refuse":
            cases.append({"id": f"fb-{f['id']}", "type": "out_of_scope", "question": f["question"], "gold": [],
                          "keys": [], "no_answer": True, "min_plans": 0, "group": "feedback"})
        elif f["chunk_id"]:
            cases.append({"id": f"fb-{f['id']}", "type": "fact", "question": f["question"],
                          "gold": [{"plan_id": f["plan_id"], "item_path": f["item_path"]}], "keys": [],
                          "no_answer": False, "min_plans": 1, "group": "feedback"})
    return cases


LOG_FIELDS = ["at", "user", "route", "question", "no_answer", "latency_ms"]


def log_csv(rows: list[dict[str, Any]]) -> str:
    """The query log's rows (`stats()["log"]`) as CSV text."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=LOG_FIELDS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


SIMILAR = 0.93  # query-vector cosine at which two unanswered questions count as one (e5: paraphrases ~0.95)


def similar_groups(counts: Counter[str], encode: Callable[[str], Any] | None,
                   limit: int = 20) -> list[dict[str, Any]]:
    """Unanswered questions grouped by meaning (greedy: each joins the first, most asked, group whose question is
    within `SIMILAR`), the most asked groups first; without `encode`, identical questions only."""
    groups: list[dict[str, Any]] = []
    heads: list[Any] = []
    for question, n in counts.most_common(200):
        vector = None if encode is None else np.asarray(encode(question), np.float32).reshape(-1)
        at = next((i for i, h in enumerate(heads) if vector is not None and float(h @ vector) >= SIMILAR), None)
        if at is None:
            groups.append({"question": question, "count": n, "variants": []})
            heads.append(vector)
        else:
            groups[at]["count"] += n
            groups[at]["variants"].append(question)
    return sorted(groups, key=lambda g: -g["count"])[:limit]


def stats(db: Database, encode: Callable[[str], Any] | None = None, days: int = STATS_DAYS) -> dict[str, Any]:
    """Over the last `days` days: questions per day (China time), the no-answer share, latency p50/p95, the 👎
    list and the questions left unanswered (grouped by meaning when `encode` gives query vectors); and the latest
    200 questions with who asked them."""
    since = now() - timedelta(days=days)
    with db.session() as s:
        window = s.execute(select(QueryLog.created_at, QueryLog.no_answer, QueryLog.latency_ms, QueryLog.question)
                           .where(QueryLog.created_at >= since)).all()
        latest = s.execute(select(QueryLog, User.name).outerjoin(User, QueryLog.user_id == User.id)
                           .order_by(QueryLog.id.desc()).limit(200)).all()
    per_day = Counter(local(at).date().isoformat() for at, _, _, _ in window)
    latencies = [ms for _, _, ms, _ in window]
    unanswered = Counter(q for _, missed, _, q in window if missed)
    return {"days": days, "questions": len(window), "per_day": dict(sorted(per_day.items())),
            "no_answer_share": round(sum(bool(m) for _, m, _, _ in window) / len(window), 4) if window else 0.0,
            "latency_ms": {"p50": round(statistics.median(latencies), 1) if latencies else 0.0,
                           "p95": _percentile(latencies, 0.95)},
            "thumbs_down": [f for f in feedback(db) if f["rating"] == "down"],
            "top_unanswered": similar_groups(unanswered, encode),
            "log": [{"user": name, "route": q.route, "question": q.question, "no_answer": q.no_answer,
                     "latency_ms": q.latency_ms, "at": _iso(q.created_at)} for q, name in reversed(latest)]}
