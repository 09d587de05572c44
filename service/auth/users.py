"""User accounts: add, list, disable (also as `shencha users …`), and what a first start says.

Roles: `agency` (uploads; sees only what it uploaded), `city` (uploads; its city's packages;
needs a city), `province` (everything, read-only: it cannot upload).  A service with only a
province account can therefore check nothing, so the first-run message asks for an uploading
account too.
"""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.auth.sessions import hash_password
from service.config import Settings
from service.store.db import ROLES, User

ROLE_LABELS = {"agency": "评价机构", "city": "市级审查", "province": "省级审计"}
UPLOADING_ROLES = ("agency", "city")
MIN_PASSWORD_LENGTH = 8
_USERNAME = re.compile(r"^[\w.@-]{1,64}$")
USERNAME_RULES = "用户名只能使用字母、数字、汉字和 . _ - @，最长 64 个字符"


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


def password_rules() -> str:
    """The rules `_check_password` applies, as the first-run message and the prompt state them."""
    return f"密码规则：至少 {MIN_PASSWORD_LENGTH} 个字符，字母、数字、汉字和符号都可以，没有其他要求。{USERNAME_RULES}。"


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


def active_roles(session: Session) -> set[str]:
    """The roles at least one enabled account has."""
    return set(session.scalars(select(User.role).where(User.disabled.is_(False)).distinct()))


def add_command(command: str, username: str, role: str, city: str | None = None) -> str:
    """The `users add` command line; run at a terminal it asks for the password (not shown)."""
    city_option = f" --city {city}" if city else ""
    return f"{command} users add {username} --role {role}{city_option} --password-stdin"


def create_admin_from_settings(session: Session, settings: Settings) -> str | None:
    """With SHENCHA_ADMIN_PASSWORD set and no province account: creates it; returns the line to print."""
    if not settings.admin_password or has_province_user(session):
        return None
    add_user(session, settings.admin_username, "province", settings.admin_password)
    return f"已创建省级账号「{settings.admin_username}」（密码取自 SHENCHA_ADMIN_PASSWORD）。"


def first_run_message(session: Session, settings: Settings, command: str = "shencha") -> str | None:
    """What `shencha serve` prints while an account the service needs is missing, else None.

    It names the accounts to create with commands that work as printed (`command` is how to
    run this program from any directory), says that a province account alone cannot upload, and
    states the password rules."""
    roles = active_roles(session)
    need_province = "province" not in roles
    need_uploader = not roles.intersection(UPLOADING_ROLES)
    if not (need_province or need_uploader):
        return None
    lines = ["首次运行：还需要创建账号，才能登录和上传申报包。"]
    if need_province:
        lines.append("尚无省级账号（省级审计：查看全部申报包，只读）。")
    if need_uploader:
        lines.append("尚无评价机构或市级账号。省级账号只读，不能上传申报包；上传申报包要用评价机构（agency）"
                     "或市级审查（city）账号。")
    lines.append("创建账号（在任何目录下都可以运行；在终端中运行时按提示输入两次密码，输入时不显示）：")
    if need_province:
        lines += ["  # 省级审计：查看全部申报包，只读，不能上传",
                  f"  {add_command(command, settings.admin_username, 'province')}"]
    if need_uploader:
        lines += ["  # 评价机构：上传申报包，只能看到本账号上传的",
                  f"  {add_command(command, 'jigou1', 'agency')}",
                  "  # 市级审查：上传申报包，查看本市（--city）的全部申报包",
                  f"  {add_command(command, 'wuhan1', 'city', '武汉市')}"]
    lines.append("用户名和城市可以改成自己的。在脚本中可以用管道传入密码："
                 f"printf '%s\\n' \"$PASSWORD\" | {command} users add … --password-stdin")
    lines.append(password_rules())
    if need_province:
        lines.append(f"也可以在启动前设置环境变量 SHENCHA_ADMIN_PASSWORD，自动创建省级账号 {settings.admin_username}。")
    lines.append(f"查看已有账号：{command} users list")
    return "\n".join(lines)


def ensure_first_user(session: Session, settings: Settings, command: str = "shencha") -> str | None:
    """For `shencha serve`: a note about the first province user, or None when one exists.

    With SHENCHA_ADMIN_PASSWORD set the user is created; otherwise the note is the first-run
    message, which says how to create it (and the uploading accounts)."""
    if has_province_user(session):
        return None
    return create_admin_from_settings(session, settings) or first_run_message(session, settings, command)
