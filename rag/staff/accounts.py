"""Accounts and API keys. Passwords are hashed with scrypt (a memory-hard standard KDF, RFC 7914; Python's
hashlib), each with its own salt; an API key is 32 random bytes shown once, kept only as its SHA-256."""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import select

from ..errors import BadInputError, NotFoundError
from .db import Database
from .models import ROLES, ApiKey, User, now

SCRYPT = {"n": 2**14, "r": 8, "p": 1}  # 16 MB and ~50 ms per hash on these cores
KEY_PREFIX = "pqa_"
MIN_PASSWORD = 8


@dataclass(frozen=True)
class Account:
    """Who a request is from (None in the routes: the open local server, no accounts configured)."""

    id: int
    name: str
    role: str

    @property
    def admin(self) -> bool:
        return self.role == "admin"


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **SCRYPT)
    b64 = base64.b64encode
    return f"scrypt${SCRYPT['n']}${SCRYPT['r']}${SCRYPT['p']}${b64(salt).decode()}${b64(digest).decode()}"


def check_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                             dklen=32)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, base64.b64decode(digest))


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _valid_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 64 or any(c.isspace() for c in name):
        raise BadInputError(f"user name {name!r}: 1-64 characters, no spaces")
    return name


def add_user(db: Database, name: str, role: str, password: str) -> Account:
    name = _valid_name(name)
    if role not in ROLES:
        raise BadInputError(f"role {role!r}: one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise BadInputError(f"the password must have at least {MIN_PASSWORD} characters")
    with db.session() as s:
        if s.scalar(select(User).where(User.name == name)) is not None:
            raise BadInputError(f"user {name!r} exists already")
        user = User(name=name, role=role, password_hash=hash_password(password))
        s.add(user)
        s.flush()
        return Account(user.id, user.name, user.role)


def users(db: Database) -> list[Account]:
    with db.session() as s:
        return [Account(u.id, u.name, u.role) for u in s.scalars(select(User).order_by(User.name))]


def account_named(db: Database, name: str) -> Account | None:
    with db.session() as s:
        user = s.scalar(select(User).where(User.name == name))
        return None if user is None else Account(user.id, user.name, user.role)


@lru_cache(maxsize=1)
def _nobody() -> str:
    """A hash checked for an unknown name, so that it takes as long as a known one's."""
    return hash_password(secrets.token_hex(16))


def login(db: Database, name: str, password: str) -> Account | None:
    with db.session() as s:
        user = s.scalar(select(User).where(User.name == name))
        stored = user.password_hash if user is not None else _nobody()
        if not check_password(password, stored) or user is None:
            return None
        return Account(user.id, user.name, user.role)


def create_key(db: Database, name: str) -> str:
    """A new API key for this user (returned once; only its hash is stored)."""
    with db.session() as s:
        user = s.scalar(select(User).where(User.name == name))
        if user is None:
            raise NotFoundError(f"no user {name!r}; add one with `policyqa users add {name} --role staff`")
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        s.add(ApiKey(user_id=user.id, prefix=key[:10], key_hash=_key_hash(key)))
        return key


def account_for_key(db: Database, key: str) -> Account | None:
    with db.session() as s:
        row = s.execute(select(User, ApiKey).join(ApiKey, ApiKey.user_id == User.id)
                        .where(ApiKey.key_hash == _key_hash(key), ApiKey.revoked_at.is_(None))).first()
        return None if row is None else Account(row[0].id, row[0].name, row[0].role)


def revoke_keys(db: Database, name: str) -> int:
    with db.session() as s:
        keys = s.scalars(select(ApiKey).join(User, ApiKey.user_id == User.id)
                         .where(User.name == name, ApiKey.revoked_at.is_(None))).all()
        for k in keys:
            k.revoked_at = now()
        return len(keys)
