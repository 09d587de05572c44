"""The deploy/ units (issue 10) start commands that exist, with options the CLI accepts, and the
settings file names only settings the service reads."""

from __future__ import annotations

import configparser
import re
import shlex
from pathlib import Path

import pytest

from service import cli

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
CONFIG = Path(__file__).resolve().parent.parent / "service" / "config.py"


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # keys are case-sensitive in systemd
    parser.read(DEPLOY / name, encoding="utf-8")
    return parser


def _shencha_args(exec_start: str, instance: str) -> list[list[str]]:
    """The argument lists the unit gives `shencha`, with the instance name filled in."""
    command = exec_start.replace("%i", instance)
    words = shlex.split(command)
    if words[:2] == ["/bin/sh", "-c"]:
        words = shlex.split(words[2].replace(";", " ; "))
    found, current = [], None
    for word in words:
        if word.endswith("/bin/shencha"):
            current = []
            found.append(current)
        elif current is not None:
            if word in (";", "fi", "else", "then"):
                current = None
            else:
                current.append(word.strip('"'))
    return found


@pytest.mark.parametrize("unit, instances", [("shencha-api.service", [""]),
                                             ("shencha-worker@.service", ["all", "shencha.text", "shencha.ocr"])])
def test_units_start_commands_the_cli_accepts(unit, instances):
    parser = _unit(unit)
    assert parser["Service"]["EnvironmentFile"] == "/etc/shencha/shencha.env"
    for instance in instances:
        commands = _shencha_args(parser["Service"]["ExecStart"], instance)
        assert commands, unit
        for args in commands:
            parsed = cli.build_parser().parse_args(args)  # exits (SystemExit) on an unknown option
            assert parsed.func.__name__ in ("cmd_serve", "cmd_worker")
            if "--queues" in args:
                assert args[args.index("--queues") + 1] == instance


def test_settings_file_names_only_settings_the_service_reads():
    read = set(re.findall(r'"(SHENCHA_[A-Z_]+)"', CONFIG.read_text(encoding="utf-8")))
    given = {line.split("=", 1)[0] for line in (DEPLOY / "shencha.env").read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")}
    assert given and given <= read, given - read
