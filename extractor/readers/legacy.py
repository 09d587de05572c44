"""Files the native readers cannot take, converted by LibreOffice in a sandbox and then read
like any other file.

- Legacy office formats: .doc, .wps, .rtf, .odt → .docx; .xls, .et, .ods → .xlsx.
- Presentations: .ppt, .pptx, .odp, .dps → .pdf (needs LibreOffice Impress; without it the
  conversion fails and the file is kept as an attachment).
- Round trips: a .docx or .xlsx the native reader rejects (Strict Open XML, odd producers) is
  saved again by LibreOffice as an ordinary .docx / .xlsx.

A submitted document is hostile input, and LibreOffice resolves what a document links to: an
.odt or .docx image linked at `http://…` makes the server send a request (blind SSRF), a linked
section or an INCLUDETEXT field can pull a local file in.  So each conversion:

- runs without network access, in a new network namespace (`unshare --net`, unprivileged
  through a user namespace) when the machine allows it, and always with a profile that blocks
  links (`BlockUntrustedRefererLinks` with no trusted location, link updates set to never,
  macros off);
- gets its own profile, `HOME`, `TMPDIR` and `XDG_*` directories inside one temporary directory
  that is removed afterwards, so nothing is written anywhere else (two soffice processes sharing
  a profile also fail silently: shared/notes/extraction-facts.md);
- is bounded in time; soffice forks oosplash → soffice.bin, so the whole process group (and,
  with the namespace, the whole PID namespace) is killed on timeout or when the caller dies.

A process killed mid-conversion (a reader worker past its time limit, a job killed by the
operator) cannot remove its directory.  The directory's name carries the converting process's
id (`shencha-lo-<pid>-…`), and every conversion, and every worker start, first removes the
directories whose process is gone (`sweep_stale_conversions`).
"""

from __future__ import annotations

import io
import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

TARGET = {"doc": "docx", "wps": "docx", "rtf": "docx", "odt": "docx",
          "xls": "xlsx", "et": "xlsx", "ods": "xlsx",
          "ppt": "pdf", "pptx": "pdf", "odp": "pdf", "dps": "pdf",
          "docx": "docx", "xlsx": "xlsx"}
PRESENTATIONS = {"ppt", "pptx", "odp", "dps"}
TIMEOUT_SECONDS = 120
_MIN_TIMEOUT_SECONDS = 5  # below this a conversion cannot finish: do not start one
_BOX_PREFIX = "shencha-lo-"
_BOX_NAME = re.compile(rf"{_BOX_PREFIX}(\d+)-")

# The profile every conversion starts from (registrymodifications.xcu).  Paths and values from
# LibreOffice's schema (share/registry/main.xcd):
_SETTINGS = (
    # documents outside the (empty) list of trusted locations may not resolve any external
    # reference: linked images, sections, media, auto-reload
    ("org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "xs:boolean", "true"),
    ("org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "xs:boolean", "true"),
    ("org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "xs:int", "3"),  # very high
    # links are never updated on load: Writer 0 = never (sw/inc/linkenum.hxx), Calc 1 = never
    ("org.openoffice.Office.Writer/Content/Update", "Link", "xs:int", "0"),
    ("org.openoffice.Office.Writer/Content/Update", "Field", "xs:boolean", "false"),
    ("org.openoffice.Office.Calc/Content/Update", "Link", "xs:int", "1"),
    # cached formula results are kept as the submitter saw them (1 = never recalculate)
    ("org.openoffice.Office.Calc/Formula/Load", "OOXMLRecalcMode", "xs:int", "1"),
    ("org.openoffice.Office.Calc/Formula/Load", "ODFRecalcMode", "xs:int", "1"),
    ("org.openoffice.Office.Java/VirtualMachine", "Enable", "xs:boolean", "false"),
    ("org.openoffice.Office.Recovery/RecoveryInfo", "Enabled", "xs:boolean", "false"),
    ("org.openoffice.Office.Recovery/AutoSave", "Enabled", "xs:boolean", "false"),
    ("org.openoffice.Office.Common/Save/Document", "CreateBackup", "xs:boolean", "false"),
    # without a network namespace, every HTTP/HTTPS/FTP request goes to a proxy that cannot
    # exist (.invalid never resolves, RFC 2606): not every import filter honours the link block
    ("org.openoffice.Inet/Settings", "ooInetProxyType", "xs:int", "2"),  # manual
    ("org.openoffice.Inet/Settings", "ooInetNoProxy", "xs:string", ""),
    ("org.openoffice.Inet/Settings", "ooInetHTTPProxyName", "xs:string", "proxy.invalid"),
    ("org.openoffice.Inet/Settings", "ooInetHTTPProxyPort", "xs:int", "9"),
    ("org.openoffice.Inet/Settings", "ooInetHTTPSProxyName", "xs:string", "proxy.invalid"),
    ("org.openoffice.Inet/Settings", "ooInetHTTPSProxyPort", "xs:int", "9"),
    ("org.openoffice.Inet/Settings", "ooInetFTPProxyName", "xs:string", "proxy.invalid"),
    ("org.openoffice.Inet/Settings", "ooInetFTPProxyPort", "xs:int", "9"),
)
# environment variables a conversion must not inherit: they lead outside its directory
_DROPPED_ENV = ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY", "SESSION_MANAGER",
                "http_proxy", "https_proxy", "ftp_proxy", "all_proxy", "no_proxy",
                "HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY", "ALL_PROXY", "NO_PROXY")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# the stream a real document keeps in its OLE container (names are UTF-16 in the directory)
_OLE_STREAMS = {"doc": ("WordDocument",), "wps": ("WordDocument",), "xls": ("Workbook", "Book"),
                "et": ("Workbook", "Book"), "ppt": ("PowerPoint Document",), "dps": ("PowerPoint Document",)}
# the part a zip-based document cannot be without
_ZIP_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
_ODF_MIMETYPES = {"odt": b"application/vnd.oasis.opendocument.text",
                  "ods": b"application/vnd.oasis.opendocument.spreadsheet",
                  "odp": b"application/vnd.oasis.opendocument.presentation"}


def looks_like(ext: str, data: bytes) -> bool:
    """LibreOffice imports anything, garbage included (as text): only convert what has the
    structure of the format it claims to be."""
    if ext in _OLE_STREAMS:
        return data.startswith(_OLE_MAGIC) and any(n.encode("utf-16-le") in data for n in _OLE_STREAMS[ext])
    if ext == "rtf":
        return data.lstrip()[:5] == b"{\\rtf"
    if ext in _ODF_MIMETYPES:
        return data.startswith(b"PK\x03\x04") and _ODF_MIMETYPES[ext][:30] in data[:200]
    if ext in _ZIP_PARTS:
        return data.startswith(b"PK") and _ZIP_PARTS[ext] in _zip_names(data)
    return False


def _zip_names(data: bytes) -> set[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return set(zf.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return set()


def convert(data: bytes, ext: str, timeout: float | None = None) -> tuple[bytes, str] | None:
    """(converted bytes, new extension), or None when LibreOffice is absent, the data is not
    of the format it claims, the conversion fails or does not finish within `timeout` seconds
    (default TIMEOUT_SECONDS)."""
    sweep_stale_conversions()
    target = TARGET.get(ext)
    exe = soffice()
    if target is None or exe is None or not looks_like(ext, data):
        return None
    timeout = TIMEOUT_SECONDS if timeout is None else min(timeout, TIMEOUT_SECONDS)
    if timeout < _MIN_TIMEOUT_SECONDS:
        return None
    with tempfile.TemporaryDirectory(prefix=f"{_BOX_PREFIX}{os.getpid()}-") as tmp:
        box = Path(tmp)
        src = box / f"input.{ext}"
        src.write_bytes(data)
        out = box / "out"
        if not _run(exe, src, target, out, box, timeout):
            return None
        result = out / f"input.{target}"
        return (result.read_bytes(), target) if result.exists() and result.stat().st_size else None


def sweep_stale_conversions(root: Path | None = None) -> int:
    """Remove the conversion directories under `root` (the temporary directory) whose process
    has died; returns how many.  A directory of a live process, or of another user, stays."""
    root = Path(root or tempfile.gettempdir())
    removed = 0
    try:
        entries = [e for e in os.scandir(root) if e.name.startswith(_BOX_PREFIX)]
    except OSError:
        return 0
    for entry in entries:
        match = _BOX_NAME.match(entry.name)
        if not match or _alive(int(match.group(1))):
            continue
        try:
            if entry.is_dir(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_uid == os.getuid():
                shutil.rmtree(entry.path, ignore_errors=True)
                removed += 1
        except OSError:
            continue
    if removed:
        log.info("removed %d conversion folder(s) of stopped processes under %s", removed, root)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's process (or an id no process can have: left alone)
    return True


def _run(exe: str, src: Path, target: str, out: Path, box: Path, timeout: float) -> bool:
    profile = box / "profile"
    write_profile(profile)
    cmd = [exe, "--headless", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
           f"-env:UserInstallation={profile.as_uri()}", "--convert-to", target, "--outdir", str(out), str(src)]
    # a new session: soffice forks oosplash → soffice.bin, and a timeout must kill them all
    proc = subprocess.Popen(sandbox_prefix() + cmd, cwd=box, env=sandbox_env(box), stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        log.info("LibreOffice conversion of a .%s stopped after %.0f s", src.suffix[1:], timeout)
        return False
    except BaseException:  # interrupted: leave nothing running
        _kill_group(proc)
        raise
    return proc.returncode == 0


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if proc.returncode is None:
        proc.wait()


def write_profile(profile: Path) -> None:
    """A fresh LibreOffice profile whose settings block links, link updates and macros."""
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    items = "\n".join(
        f'<item oor:path="/{path}"><prop oor:name="{name}" oor:op="fuse"><value>{value}</value></prop></item>'
        for path, name, _type, value in _SETTINGS
    )
    (user / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        f"{items}\n</oor:items>\n",
        encoding="utf-8",
    )


def sandbox_env(box: Path) -> dict[str, str]:
    """The environment of one conversion: home, temp and XDG directories inside `box`."""
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED_ENV}
    dirs = {"HOME": "home", "TMPDIR": "tmp", "XDG_CONFIG_HOME": "home/.config", "XDG_CACHE_HOME": "home/.cache",
            "XDG_DATA_HOME": "home/.local/share", "XDG_STATE_HOME": "home/.local/state", "XDG_RUNTIME_DIR": "run"}
    for var, rel in dirs.items():
        d = box / rel
        d.mkdir(parents=True, exist_ok=True, mode=0o700)
        env[var] = str(d)
    env["TMP"] = env["TEMP"] = env["TMPDIR"]
    env["SAL_USE_VCLPLUGIN"] = "svp"  # headless rendering, no display server looked for
    return env


# Wrappers tried in order, best first.  setpriv --pdeathsig: the converter dies with the process
# that started it (a reader worker killed at its time limit).  unshare --net: no network at all,
# loopback down; --map-root-user makes it work unprivileged; --pid --fork --kill-child: when
# unshare dies, everything in its PID namespace dies (oosplash's soffice.bin included).
_NETNS = (
    ["unshare", "--net", "--map-root-user", "--pid", "--fork", "--kill-child"],
    ["unshare", "--net", "--pid", "--fork", "--kill-child"],
    ["unshare", "--net", "--map-root-user"],
    ["unshare", "--net"],
)


@lru_cache(maxsize=1)
def sandbox_prefix() -> list[str]:
    """The command prefix that runs a converter without network (probed once per process)."""
    prefix: list[str] = []
    if shutil.which("setpriv") and _works(["setpriv", "--pdeathsig", "KILL", "true"]):
        prefix = ["setpriv", "--pdeathsig", "KILL"]
    if shutil.which("unshare"):
        for wrapper in _NETNS:
            if _works(prefix + wrapper + ["true"]):
                return prefix + wrapper
    log.warning("unshare --net is not available here: LibreOffice conversions run with network access "
                "(links are still blocked by the LibreOffice profile)")
    return prefix


def network_isolated() -> bool:
    return any(part == "--net" for part in sandbox_prefix())


def _works(cmd: list[str]) -> bool:
    try:
        return subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False
