"""Passwords, bearer tokens, session cookies, CSRF tokens."""

from __future__ import annotations

from dataclasses import replace

import jwt
import pytest

from service.auth import audit_log as audit

from service.auth import sessions as auth

from service.auth import users
@pytest.fixture
def alice(make_user):
    return make_user("alice", "city", city="武汉市", password="correct horse")


def test_password_hashing():
    h = auth.hash_password("s3cret-pass")
    assert h.startswith("$argon2") and "s3cret-pass" not in h
    assert auth.verify_password("s3cret-pass", h)
    assert not auth.verify_password("wrong", h) and not auth.verify_password("x", "not a hash")


def test_authenticate(session, alice):
    assert auth.authenticate(session, "alice", "correct horse").id == alice.id
    assert [e.action for e in audit.entries(session, user_id=alice.id)] == ["login"]
    assert auth.authenticate(session, "alice", "wrong horse") is None
    assert auth.authenticate(session, "nobody", "correct horse") is None
    users.disable_user(session, "alice")
    assert auth.authenticate(session, "alice", "correct horse") is None


def test_bearer_tokens(session, alice, service_settings):
    token = auth.create_access_token(alice, service_settings)
    assert auth.user_from_token(session, token, service_settings).id == alice.id
    assert auth.user_from_token(session, token + "x", service_settings) is None
    assert auth.user_from_token(session, "garbage", service_settings) is None
    other_key = replace(service_settings, secret_key="another key entirely, 32 bytes long")
    assert auth.user_from_token(session, token, other_key) is None
    forged = jwt.encode({"sub": str(alice.id), "exp": 9999999999, "typ": "access"}, "a guessed key that is long enough!!", algorithm="HS256")
    assert auth.user_from_token(session, forged, service_settings) is None
    unsigned = jwt.encode({"sub": str(alice.id), "exp": 9999999999, "typ": "access"}, None, algorithm="none")
    assert auth.user_from_token(session, unsigned, service_settings) is None
    expired = auth.create_access_token(alice, replace(service_settings, token_minutes=-1))
    assert auth.user_from_token(session, expired, service_settings) is None
    users.disable_user(session, "alice")
    assert auth.user_from_token(session, token, service_settings) is None


def test_session_cookies_and_csrf(session, alice, service_settings):
    cookie = auth.create_session_cookie(alice, service_settings)
    assert auth.user_from_session_cookie(session, cookie, service_settings).id == alice.id
    assert auth.user_from_session_cookie(session, cookie[:-2] + "xx", service_settings) is None
    assert auth.user_from_session_cookie(session, None, service_settings) is None
    # a bearer token is not a session cookie and the other way round
    assert auth.user_from_session_cookie(session, auth.create_access_token(alice, service_settings), service_settings) is None
    assert auth.user_from_token(session, cookie, service_settings) is None
    expired = replace(service_settings, session_hours=-1)
    assert auth.user_from_session_cookie(session, cookie, expired) is None
    token = auth.csrf_token(cookie, service_settings)
    assert auth.check_csrf(cookie, token, service_settings)
    assert not auth.check_csrf(cookie, "0" * 64, service_settings)
    assert not auth.check_csrf(auth.create_session_cookie(alice, service_settings) + "y", token, service_settings)
    assert not auth.check_csrf(None, token, service_settings)
