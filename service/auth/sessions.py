"""Who is calling: argon2 password hashes, signed bearer tokens for the API, signed session
cookies (and their CSRF tokens) for the pages, and the guard in front of every login.

Tokens and cookies are signed with the settings' secret key; they carry the user id and the
user's session stamp (`session_stamp`), and the user is looked up on every use, so disabling a
user locks them out at once, and so do logging out and changing the password: both change the
stamp, and every cookie and token carrying the old one is refused.

Logins (`LoginGuard.login`, used by the API token endpoint and the login page alike):

- failed attempts are counted per account and per client address with the `limits` library
  (moving window; in memory, or in Redis when several processes serve).  Past the limit every
  attempt is refused with `LoginRefused(429)` before the password is looked at, the right one
  too, until the window has moved on;
- argon2 takes about 64 MiB and tens of milliseconds per hash, so at most
  `settings.hash_concurrency` hashes run at once and `settings.hash_queue` more wait (each at
  most `settings.hash_wait_seconds`); beyond that an attempt is refused with
  `LoginRefused(503)` at once.  A burst of parallel logins cannot grow memory past that bound;
- every attempt is audited: `login`, or `login_failed` with the account name as typed, the
  client address and the reason.

The login form is protected against cross-site posting by a pre-session token: the page sets
a random nonce in a cookie and puts its HMAC in a hidden field (`login_csrf_token`); a post
whose field does not match its cookie is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import threading
import time
from contextlib import contextmanager
from datetime import timedelta
from typing import Iterator

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.auth import audit_log as audit
from service.config import Settings, get_settings
from service.store.db import User, utcnow

SESSION_COOKIE = "shencha_session"
LOGIN_CSRF_COOKIE = "shencha_login_csrf"
TOKEN_ALGORITHM = "HS256"
MAX_TYPED_NAME = 64  # an account name as typed, as far as it is kept in the audit log and the throttle

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


# ---------------------------------------------------------------- bounded hashing


class LoginRefused(Exception):
    """A login not even tried: throttled (429) or too many hashes in flight (503)."""

    def __init__(self, status_code: int, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message
        self.retry_after = retry_after


BUSY_MESSAGE = "登录请求过多，服务繁忙，请稍后再试"
BUSY_RETRY_SECONDS = 5
REFUSAL_AUDIT_RATE = parse_many("1 per minute")[0]


class HashGate:
    """At most `concurrency` password hashes at once and `queue` more waiting; the rest refused.

    A semaphore alone would only serialise the hashes: the waiting requests would still pile up
    (each holding a worker thread).  The admission count bounds those too.
    """

    def __init__(self, concurrency: int, queue: int, wait_seconds: float) -> None:
        self.concurrency = max(1, concurrency)
        self.capacity = self.concurrency + max(0, queue)
        self.wait_seconds = wait_seconds
        self._slots = threading.BoundedSemaphore(self.concurrency)
        self._lock = threading.Lock()
        self._admitted = 0

    @property
    def admitted(self) -> int:
        """Hashes running or waiting now."""
        with self._lock:
            return self._admitted

    @contextmanager
    def slot(self) -> Iterator[None]:
        with self._lock:
            if self._admitted >= self.capacity:
                raise LoginRefused(503, BUSY_MESSAGE, BUSY_RETRY_SECONDS)
            self._admitted += 1
        try:
            if not self._slots.acquire(timeout=self.wait_seconds):
                raise LoginRefused(503, BUSY_MESSAGE, BUSY_RETRY_SECONDS)
            try:
                yield
            finally:
                self._slots.release()
        finally:
            with self._lock:
                self._admitted -= 1


# ---------------------------------------------------------------- authentication


def _typed_name(username: str) -> str:
    return (username or "").strip()[:MAX_TYPED_NAME]


def _record_failure(session: Session, user: User | None, typed: str, address: str | None, reason: str) -> None:
    where = f"，来自 {address}" if address else ""
    audit.record(session, user, "login_failed", detail=f"账号「{typed}」{where}：{reason}")
    session.commit()


def authenticate(
    session: Session,
    username: str,
    password: str,
    *,
    address: str | None = None,
    gate: HashGate | None = None,
) -> User | None:
    """The user, when the password is right and the account enabled.  Every attempt is audited
    (`login`, or `login_failed` with the name as typed, the address and the reason)."""
    typed = _typed_name(username)
    user = session.scalars(select(User).where(User.username == typed)).first() if typed else None
    with gate.slot() if gate is not None else _no_gate():
        failure = _check_password(user, password)
    if failure is not None:
        _record_failure(session, user, typed, address, failure)
        return None
    assert user is not None
    audit.record(session, user, "login", detail=f"来自 {address}" if address else None)
    session.commit()
    return user


def _check_password(user: User | None, password: str) -> str | None:
    """Why the login fails (Chinese, for the audit log), None when it succeeds; the hashing part."""
    if user is None:
        verify_password(password, _DUMMY_HASH)
        return "账号不存在"
    if not verify_password(password, user.password_hash):
        return "密码错误"
    if user.disabled:
        return "账号已停用"
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return None


@contextmanager
def _no_gate() -> Iterator[None]:
    yield


def _wait_text(seconds: int) -> str:
    return f"{math.ceil(seconds / 60)} 分钟" if seconds >= 60 else f"{seconds} 秒"


class LoginGuard:
    """The throttle and the hash gate in front of `authenticate`; one per app (`app.state.login_guard`)."""

    def __init__(self, settings: Settings) -> None:
        self.storage = storage_from_string(settings.login_limit_storage)
        self.limiter = MovingWindowRateLimiter(self.storage)
        self.per_account: list[RateLimitItem] = parse_many(settings.login_account_limit)
        self.per_address: list[RateLimitItem] = parse_many(settings.login_address_limit)
        self.gate = HashGate(settings.hash_concurrency, settings.hash_queue, settings.hash_wait_seconds)

    def _keys(self, username: str, address: str) -> list[tuple[RateLimitItem, str, str]]:
        account = _typed_name(username)
        return [(item, "account", account) for item in self.per_account] + [
            (item, "address", address) for item in self.per_address
        ]

    def retry_after(self, username: str, address: str) -> int | None:
        """Seconds until another attempt is allowed, None when one is allowed now."""
        waits = []
        for item, kind, key in self._keys(username, address):
            if not self.limiter.test(item, "shencha-login", kind, key):
                reset = self.limiter.get_window_stats(item, "shencha-login", kind, key).reset_time
                waits.append(max(1, math.ceil(reset - time.time())))
        return max(waits) if waits else None

    def _count_failure(self, username: str, address: str) -> None:
        for item, kind, key in self._keys(username, address):
            self.limiter.hit(item, "shencha-login", kind, key)

    def _forget_account(self, username: str) -> None:
        for item in self.per_account:
            self.limiter.clear(item, "shencha-login", "account", _typed_name(username))

    def login(self, session: Session, username: str, password: str, address: str) -> User | None:
        """`authenticate` behind the throttle and the hash gate; raises `LoginRefused` (429/503)."""
        wait = self.retry_after(username, address)
        if wait is not None:
            self._audit_refusal(session, username, address, "尝试过于频繁，未验证密码")
            raise LoginRefused(429, f"登录失败次数过多，请 {_wait_text(wait)}后再试", wait)
        try:
            user = authenticate(session, username, password, address=address, gate=self.gate)
        except LoginRefused:
            self._audit_refusal(session, username, address, "服务繁忙，未验证密码")
            raise
        if user is None:
            self._count_failure(username, address)
        else:
            self._forget_account(username)
        return user

    def _audit_refusal(self, session: Session, username: str, address: str, reason: str) -> None:
        # refused attempts cost no hashing and may come fast: one audit entry per account and
        # address a minute says it is happening without letting a flood write the database
        typed = _typed_name(username)
        if self.limiter.hit(REFUSAL_AUDIT_RATE, "shencha-login-refused", typed, address):
            _record_failure(session, None, typed, address, reason)


# ---------------------------------------------------------------- sessions and tokens


def session_stamp(user: User, settings: Settings) -> str:
    """Changes when the user logs out (the session generation) or changes the password (the hash):
    cookies and tokens carry it and are refused once it has changed."""
    material = f"{user.id}:{user.session_generation or 0}:{user.password_hash}".encode()
    return hmac.new(settings.secret_key.encode(), b"stamp:" + material, hashlib.sha256).hexdigest()[:32]


def end_sessions(session: Session, user: User, address: str | None = None) -> None:
    """Logout: every session cookie and access token of the user stops working (audited)."""
    user.session_generation = (user.session_generation or 0) + 1
    audit.record(session, user, "logout", detail=f"来自 {address}" if address else None)
    session.commit()


def _active_user(session: Session, user_id: object, stamp: object, settings: Settings) -> User | None:
    try:
        uid = int(user_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    user = session.get(User, uid)
    if user is None or user.disabled or not isinstance(stamp, str):
        return None
    if not hmac.compare_digest(stamp, session_stamp(user, settings)):
        return None
    return user


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
        "st": session_stamp(user, settings),
    }
    return jwt.encode(claims, settings.secret_key, algorithm=TOKEN_ALGORITHM)


def user_from_token(session: Session, token: str, settings: Settings | None = None) -> User | None:
    """None for a forged, expired, logged-out or malformed token, or a disabled user."""
    settings = settings or get_settings()
    try:
        claims = jwt.decode(
            token, settings.secret_key, algorithms=[TOKEN_ALGORITHM], options={"require": ["exp", "sub"]}
        )
    except jwt.PyJWTError:
        return None
    if claims.get("typ") != "access":
        return None
    return _active_user(session, claims.get("sub"), claims.get("st"), settings)


def _session_serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.secret_key, salt="shencha-session")


def create_session_cookie(user: User, settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    return _session_serializer(settings).dumps({"uid": user.id, "st": session_stamp(user, settings)})


def user_from_session_cookie(session: Session, value: str | None, settings: Settings | None = None) -> User | None:
    """None for a missing, forged, expired or logged-out cookie, or a disabled user."""
    if not value:
        return None
    settings = settings or get_settings()
    try:
        data = _session_serializer(settings).loads(value, max_age=settings.session_hours * 3600)
    except BadSignature:  # SignatureExpired is a BadSignature
        return None
    if not isinstance(data, dict):
        return None
    return _active_user(session, data.get("uid"), data.get("st"), settings)


# ---------------------------------------------------------------- CSRF


def csrf_token(session_cookie: str, settings: Settings | None = None) -> str:
    """A token for forms, bound to the session cookie: another site cannot know it."""
    settings = settings or get_settings()
    return hmac.new(settings.secret_key.encode(), b"csrf:" + session_cookie.encode(), hashlib.sha256).hexdigest()


def check_csrf(session_cookie: str | None, token: str | None, settings: Settings | None = None) -> bool:
    if not session_cookie or not token:
        return False
    return hmac.compare_digest(csrf_token(session_cookie, settings), token)


def new_login_nonce() -> str:
    """The value of the login page's pre-session cookie (`LOGIN_CSRF_COOKIE`)."""
    return secrets.token_urlsafe(32)


def login_csrf_token(nonce: str, settings: Settings | None = None) -> str:
    """The login form's hidden field for the nonce in its cookie: another site can set neither."""
    settings = settings or get_settings()
    return hmac.new(settings.secret_key.encode(), b"login-csrf:" + nonce.encode(), hashlib.sha256).hexdigest()


def check_login_csrf(nonce: str | None, token: str | None, settings: Settings | None = None) -> bool:
    if not nonce or not token:
        return False
    return hmac.compare_digest(login_csrf_token(nonce, settings), token)
