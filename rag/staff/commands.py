"""`policyqa users`, `policyqa keys` and `policyqa feedback`: accounts, API keys and staff feedback from the shell
(rag/cli.py adds them)."""
from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..console import print_json
from ..errors import BadInputError
from ..settings import Settings

if TYPE_CHECKING:
    from .db import Database


def _db(settings: Settings) -> Database:
    from .db import Database  # (imported when used: SQLAlchemy is not loaded by other commands)

    return Database.open(settings)


def _password() -> str:
    """From standard input when it is not a terminal (first line), else asked twice without echo."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise BadInputError("the two passwords differ")
    return first


def cmd_users(args: argparse.Namespace, settings: Settings) -> int:
    from .accounts import add_user, users

    db = _db(settings)
    if args.action == "add":
        if not args.name:
            raise BadInputError("policyqa users add NAME --role admin|staff")
        account = add_user(db, args.name, args.role, _password())
        print(f"added {account.role} {account.name}; give them a key with `policyqa keys create --user {account.name}`")
    else:
        listed = users(db)
        if args.json:
            print_json([{"name": u.name, "role": u.role} for u in listed])
        else:
            print("\n".join(f"{u.name}\t{u.role}" for u in listed) or "no accounts: the server is open on its own machine")
    return 0


def cmd_keys(args: argparse.Namespace, settings: Settings) -> int:
    from .accounts import create_key, revoke_keys

    db = _db(settings)
    if args.action == "create":
        key = create_key(db, args.user)
        print(f"a new API key for {args.user} (shown once; send it as `Authorization: Bearer <key>`):")
        print(key)
    else:
        print(f"revoked {revoke_keys(db, args.user)} key(s) of {args.user}")
    return 0


def cmd_feedback(args: argparse.Namespace, settings: Settings) -> int:
    from .records import feedback, feedback_cases

    db = _db(settings)
    rows = feedback_cases(db) if args.jsonl else feedback(db)
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {len(rows)} {'evaluation cases' if args.jsonl else 'feedback rows'} to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def add_staff_commands(sub: Any) -> None:
    p = sub.add_parser("users", help="accounts (admin, staff): add one, or list them")
    p.add_argument("action", choices=("add", "list"))
    p.add_argument("name", nargs="?", metavar="NAME")
    p.add_argument("--role", choices=("admin", "staff"), default="staff")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_users)

    p = sub.add_parser("keys", help="API keys: create one for a user (printed as the last line), or revoke theirs")
    p.add_argument("action", choices=("create", "revoke"))
    p.add_argument("--user", required=True, metavar="NAME")
    p.set_defaults(func=cmd_keys)

    p = sub.add_parser("feedback", help="staff feedback: every 👍/👎, or (--jsonl) the 👎 as evaluation cases")
    p.add_argument("action", choices=("export",))
    p.add_argument("--jsonl", action="store_true", help="as evaluation questions (gold = the clause staff chose)")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(func=cmd_feedback)
