"""Why a package could not be processed, as one Chinese line a reviewer can act on.

The reason never carries a traceback or the raw text of an unexpected exception: that text is
for developers (it may name server paths or internals) and is English besides.  A package error
and a limit carry their own Chinese reason; memory, recursion and file-system failures get a
fixed one; anything else is an internal error named by its type only, and whoever prints the
reason logs the traceback (the service) or shows it on request (`shencha --debug`).
"""

from __future__ import annotations

import errno

INTERNAL = "审查程序意外出错，未能完成审查"

MEMORY = "内存不足：申报包过大或结构过于复杂，本机内存无法完成审查（可拆分后分别审查）"
RECURSION = "文件结构嵌套过深，无法完成审查"

# errno -> what it means for the person who gave the path
_OS_REASONS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有读写权限",
    errno.EPERM: "没有读写权限",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "磁盘配额已用完",
    errno.EROFS: "文件系统只读，无法写入",
    errno.ENOTDIR: "路径中的某一级不是文件夹",
    errno.EEXIST: "已有同名的文件，无法建立文件夹",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENAMETOOLONG: "文件名或路径过长",
    errno.EMFILE: "同时打开的文件过多",
    errno.ENFILE: "同时打开的文件过多",
    errno.EIO: "磁盘读写错误",
    errno.ELOOP: "路径中的符号链接循环",
}


def _package_error_types() -> tuple[type[BaseException], ...]:
    """The extractor's own errors, whose message is already the reviewer's reason."""
    types: list[type[BaseException]] = []
    try:
        from extractor.package import PackageError

        types.append(PackageError)
    except ImportError:  # the loader is not there: no failure carries its own reason
        pass
    return tuple(types)


def _limit_error_type() -> type[BaseException] | None:
    try:
        from extractor.limits import LimitExceeded
    except ImportError:
        return None
    return LimitExceeded


def one_line(text: str) -> str:
    return " ".join(str(text).split())


TIME_LIMIT = "审查超过任务时限，已停止（文件或扫描页过多），请拆分后重新上传，或请管理员放宽 SHENCHA_JOB_TIME_LIMIT"


def os_error_reason(exc: OSError, with_path: bool = False) -> str:
    """'磁盘空间不足', or with the path the caller gave: 'r/x.json：路径中的某一级不是文件夹'."""
    what = _OS_REASONS.get(exc.errno or 0)
    if what is None:
        what = f"读写文件时出错（{errno.errorcode.get(exc.errno or 0, '未知错误')}）"
    if with_path and exc.filename is not None:
        return f"{exc.filename}：{what}"
    return what


def _known_reason(exc: BaseException, with_path: bool) -> str | None:
    """The reason for a failure we understand, or None for an internal error."""
    package_errors = _package_error_types()
    if package_errors and isinstance(exc, package_errors):
        return one_line(str(exc)) or INTERNAL
    limit = _limit_error_type()
    if limit is not None and isinstance(exc, limit):
        return one_line(getattr(exc, "reason", "") or "") or INTERNAL
    if isinstance(exc, MemoryError):
        return MEMORY
    if type(exc).__name__ == "SoftTimeLimitExceeded":  # Celery's job time limit (SHENCHA_JOB_TIME_LIMIT)
        return TIME_LIMIT
    if isinstance(exc, RecursionError):
        return RECURSION
    if isinstance(exc, OSError) and exc.errno is not None:
        return os_error_reason(exc, with_path)
    return None


def is_internal(exc: BaseException) -> bool:
    """True when the reason says nothing more than 'internal error': the traceback is wanted."""
    return _known_reason(exc, False) is None


def failure_reason(exc: BaseException, with_path: bool = False) -> str:
    """The reviewer's one-line Chinese reason for `exc`.

    `with_path`: an OSError names its file (the command line, where the user gave the path;
    the service's paths are its own business)."""
    reason = _known_reason(exc, with_path)
    return reason if reason is not None else f"内部错误（{type(exc).__name__}）：{INTERNAL}"
