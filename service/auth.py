"""Who is calling: argon2 password hashes, signed bearer tokens for the API, signed session
cookies (and their CSRF tokens) for the pages.

Tokens and cookies are signed with the settings' secret key; they carry the user id, and the
user is looked up on every use, so disabling a user locks them out at once.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from service import audit
from service.config import Settings, get_settings
from service.db import User, utcnow

SESSION_COOKIE = "shencha_session"
TOKEN_ALGORITHM = "HS256"

_hasher = PasswordHasher()
# verified against when the username is unknown, so both cases take the same time
_DUMMY_HASH = _hasher.hash("shencha-no-such-user")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The user, when the password is right and the account enabled; a login is audited."""
    user = session.scalars(select(User).where(User.username == username.strip())).first()
    if user is None:
        verify_password(password, _DUMMY_HASH)
        return None
    if not verify_password(password, user.password_hash) or user.disabled:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    audit.record(session, user, "login")
    session.commit()
    return user


def _active_user(session: Session, user_id: object) -> User | None:
    try:
        uid = int(user_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    user = session.get(User, uid)
    return user if user is not None and not user.disabled else None


def create_access_token(user: User, settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    now = utcnow()
    claims = {
        "sub": str(user.id),
        "name": user.username,
        "role": user.role,
        "iat": now,
        "exp": now + timedelta(minutes=settings.token_minutes),
        "typ": "access",
    }
    return jwt.encode(claims, settings.secret_key, algorithm=TOKEN_ALGORITHM)


def user_from_token(session: Session, token: str, settings: Settings | None = None) -> User | None:
    """None for a forged, expired or malformed token, or a disabled user."""
    settings = settings or get_settings()
    try:
        claims = jwt.decode(
            token, settings.secret_key, algorithms=[TOKEN_ALGORITHM], options={"require": ["exp", "sub"]}
        )
    except jwt.PyJWTError:
        return None
    if claims.get("typ") != "access":
        return None
    return _active_user(session, claims.get("sub"))


def _session_serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.secret_key, salt="shencha-session")


def create_session_cookie(user: User, settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    return _session_serializer(settings).dumps({"uid": user.id})


def user_from_session_cookie(session: Session, value: str | None, settings: Settings | None = None) -> User | None:
    """None for a missing, forged or expired cookie, or a disabled user."""
    if not value:
        return None
    settings = settings or get_settings()
    try:
        data = _session_serializer(settings).loads(value, max_age=settings.session_hours * 3600)
    except BadSignature:  # SignatureExpired is a BadSignature
        return None
    if not isinstance(data, dict):
        return None
    return _active_user(session, data.get("uid"))


def csrf_token(session_cookie: str, settings: Settings | None = None) -> str:
    """A token for forms, bound to the session cookie: another site cannot know it."""
    settings = settings or get_settings()
    return hmac.new(settings.secret_key.encode(), b"csrf:" + session_cookie.encode(), hashlib.sha256).hexdigest()


def check_csrf(session_cookie: str | None, token: str | None, settings: Settings | None = None) -> bool:
    if not session_cookie or not token:
        return False
    return hmac.compare_digest(csrf_token(session_cookie, settings), token)
