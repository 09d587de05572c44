"""User accounts: add, list, disable (also as `shencha users …`).

Roles: `agency` (sees only what it uploaded), `city` (its city's packages; needs a city),
`province` (everything, read-only).
"""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.auth import hash_password
from service.config import Settings
from service.db import ROLES, User

ROLE_LABELS = {"agency": "评价机构", "city": "市级审查", "province": "省级审计"}
MIN_PASSWORD_LENGTH = 8
_USERNAME = re.compile(r"^[\w.@-]{1,64}$")


class UserError(ValueError):
    """A user cannot be added or changed; the message says why (Chinese)."""


def add_user(session: Session, username: str, role: str, password: str, city: str | None = None) -> User:
    username = (username or "").strip()
    city = (city or "").strip() or None
    if not _USERNAME.match(username):
        raise UserError(f"用户名「{username}」无效：只能使用字母、数字、汉字和 . _ - @，最长 64 个字符")
    if role not in ROLES:
        raise UserError(f"未知角色「{role}」：应为 agency（评价机构）、city（市级审查）或 province（省级审计）")
    if role == "city" and not city:
        raise UserError("市级审查账号必须指定所属城市（--city，如 --city 武汉市）")
    if role == "province":
        city = None  # province staff see everything; a city would mean nothing
    _check_password(password)
    if get_user(session, username) is not None:
        raise UserError(f"用户「{username}」已存在")
    user = User(username=username, role=role, city=city, password_hash=hash_password(password), disabled=False)
    session.add(user)
    try:
        session.commit()
    except IntegrityError:  # added by someone else in between
        session.rollback()
        raise UserError(f"用户「{username}」已存在") from None
    return user


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise UserError(f"密码太短：至少 {MIN_PASSWORD_LENGTH} 个字符")


def get_user(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == (username or "").strip())).first()


def _existing(session: Session, username: str) -> User:
    user = get_user(session, username)
    if user is None:
        raise UserError(f"用户「{username}」不存在")
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def disable_user(session: Session, username: str) -> User:
    user = _existing(session, username)
    user.disabled = True
    session.commit()
    return user


def enable_user(session: Session, username: str) -> User:
    user = _existing(session, username)
    user.disabled = False
    session.commit()
    return user


def set_password(session: Session, username: str, password: str) -> User:
    user = _existing(session, username)
    _check_password(password)
    user.password_hash = hash_password(password)
    session.commit()
    return user


def has_province_user(session: Session) -> bool:
    query = select(func.count()).select_from(User).where(User.role == "province", User.disabled.is_(False))
    return bool(session.scalar(query))


def ensure_first_user(session: Session, settings: Settings) -> str | None:
    """For `shencha serve`: a line to print about the first province user, or None when one exists.

    With SHENCHA_ADMIN_PASSWORD set the user is created; otherwise the line says how to.
    """
    if has_province_user(session):
        return None
    if settings.admin_password:
        add_user(session, settings.admin_username, "province", settings.admin_password)
        return f"已创建省级账号「{settings.admin_username}」（密码取自 SHENCHA_ADMIN_PASSWORD）。"
    return (
        "尚无省级账号。创建第一个账号：\n"
        "  echo '密码' | shencha users add admin --role province --password-stdin\n"
        "或在启动前设置环境变量 SHENCHA_ADMIN_PASSWORD。"
    )
