"""User management, in code and as `shencha users …`; the first user of `shencha serve`."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest

from service import cli

from service.auth import users
from service.auth.sessions import verify_password


def test_add_list_disable(session):
    u = users.add_user(session, "wuhan1", "city", "long enough", city=" 武汉市 ")
    assert (u.role, u.city, u.disabled) == ("city", "武汉市", False) and verify_password("long enough", u.password_hash)
    users.add_user(session, "prov", "province", "long enough", city="ignored")
    assert users.get_user(session, "prov").city is None
    assert [x.username for x in users.list_users(session)] == ["prov", "wuhan1"]
    assert users.disable_user(session, "wuhan1").disabled
    assert not users.enable_user(session, "wuhan1").disabled
    users.set_password(session, "wuhan1", "another password")
    assert verify_password("another password", users.get_user(session, "wuhan1").password_hash)


@pytest.mark.parametrize(
    "args,message",
    [
        (("x", "mayor", "long enough"), "未知角色"),
        (("x", "city", "long enough"), "必须指定所属城市"),
        (("x", "agency", "short"), "密码太短"),
        (("bad name!", "agency", "long enough"), "用户名"),
    ],
)
def test_add_refusals(session, args, message):
    with pytest.raises(users.UserError, match=message):
        users.add_user(session, *args)


def test_duplicate_and_unknown(session):
    users.add_user(session, "a", "agency", "long enough")
    with pytest.raises(users.UserError, match="已存在"):
        users.add_user(session, "a", "province", "long enough")
    with pytest.raises(users.UserError, match="不存在"):
        users.disable_user(session, "ghost")


def test_first_user(session, service_settings):
    note = users.ensure_first_user(session, service_settings)
    assert "shencha users add" in note and not users.list_users(session)
    with_password = replace(service_settings, admin_password="first-admin-pw", admin_username="root")
    assert "root" in users.ensure_first_user(session, with_password)
    assert users.get_user(session, "root").role == "province"
    assert users.ensure_first_user(session, with_password) is None


def run_cli(monkeypatch, capsys, argv, stdin=""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = cli.main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_users_commands(database, monkeypatch, capsys):
    code, out, _ = run_cli(monkeypatch, capsys, ["users", "add", "wh", "--role", "city", "--city", "武汉市",
                                                 "--password-stdin"], "secret-password\n")
    assert code == 0 and "已添加用户「wh」" in out and "武汉市" in out
    code, _, err = run_cli(monkeypatch, capsys, ["users", "add", "wh", "--role", "city", "--city", "武汉市",
                                                 "--password-stdin"], "secret-password\n")
    assert code == 2 and "已存在" in err
    code, _, err = run_cli(monkeypatch, capsys, ["users", "add", "c2", "--role", "city", "--password-stdin"], "secret-password\n")
    assert code == 2 and "必须指定所属城市" in err
    code, _, err = run_cli(monkeypatch, capsys, ["users", "add", "c3", "--role", "boss", "--password-stdin"], "secret-password\n")
    assert code == 2 and "未知角色" in err
    code, _, err = run_cli(monkeypatch, capsys, ["users", "add", "c4", "--role", "agency"])
    assert code == 2 and "--password-stdin" in err
    code, out, _ = run_cli(monkeypatch, capsys, ["users", "disable", "wh"])
    assert code == 0 and "已停用" in out
    code, out, _ = run_cli(monkeypatch, capsys, ["users", "list"])
    assert code == 0 and out.split("\t")[:4] == ["wh", "city", "武汉市", "已停用"]
    code, _, err = run_cli(monkeypatch, capsys, ["users", "disable", "ghost"])
    assert code == 2 and "不存在" in err
    with database.session() as s:
        assert verify_password("secret-password", users.get_user(s, "wh").password_hash)
