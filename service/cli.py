"""`shencha` command line: check packages, run the bundled samples, list the rules.

Exit codes of `check`: 0 no error/veto finding, 1 at least one, 2 a package could not be
processed at all.  With several packages the exit code is the worst one and a failing package
does not stop the others.  Every other command exits 0 or 2.  Whatever goes wrong inside the
program (a MemoryError, a bug) is 2 with a one-line Chinese reason, never 1 and never a
traceback (`--debug` shows it); the reader of the output going away (`| head`) ends the run
quietly with 141, as a shell reports a command stopped by SIGPIPE; Ctrl+C with 130.

Names and messages from the packages are printed through `terminal_safe`: no control, escape
or bidi character from a file reaches the terminal raw.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence, TextIO

from checkers.finding import SEVERITIES, SEVERITY_LABELS
from service.review import pipeline
from service.review.failures import failure_reason, is_internal, os_error_reason
from service.review.progress import display_width, pad, terminal_lines, terminal_progress, terminal_safe
from service.reports import scoring
from service.reports.model import blocking_count, build_report, describe_location, package_version, write_json
from service.reports.scoring import PackageScore

EXIT_OK, EXIT_FINDINGS, EXIT_FAILED = 0, 1, 2
EXIT_INTERRUPTED = 130  # Ctrl+C, as shells report SIGINT
EXIT_OUTPUT_CLOSED = 141  # the reader went away (| head), as shells report SIGPIPE
EXIT_CODES_HELP = (
    "退出码：0 未发现否决项或错误；1 至少有一条否决项或错误；2 无法处理（原因写到标准错误，一行）；"
    "141 输出管道被关闭（如 | head）；130 被 Ctrl+C 中断。"
)
SUMMARY_FINDINGS_SHOWN = 5


@dataclass
class Outcome:
    """One package's result: its report, or why it could not be processed."""

    path: str
    report: dict[str, Any] | None = None
    failure: str | None = None
    written: list[Path] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if self.report is None:
            return EXIT_FAILED
        return EXIT_FINDINGS if blocking_count(self.report) else EXIT_OK


# ---------------------------------------------------------------- reviewing one package


class CommandError(Exception):
    """A command cannot go on; the message (Chinese) is printed as one line and the exit code is 2."""


def say(text: object, out: TextIO | None = None) -> None:
    """Print one line of text that may hold names from a package: never raw controls."""
    print(terminal_safe(text), file=out if out is not None else sys.stdout)


def complain(text: object) -> None:
    """One line on stderr, prefixed with the program name."""
    say(f"shencha: {text}", sys.stderr)


def show_traceback(exc: BaseException) -> None:
    """With --debug: the traceback on stderr, its lines made terminal-safe too."""
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    print(terminal_lines(text.rstrip("\n")), file=sys.stderr)


def internal_failure(exc: BaseException, debug: bool) -> str:
    """The one-line reason for a failure; the traceback goes to stderr only with --debug."""
    reason = failure_reason(exc, with_path=True)
    if debug:
        show_traceback(exc)
    elif is_internal(exc):
        reason += "（加 --debug 可显示详细信息）"
    return reason


def report_basename(name: str) -> str:
    """File-system-safe base name of a package's report files: 'hb_eval_03.zip' -> 'hb_eval_03'."""
    base = re.sub(r"\.zip$", "", name.strip(), flags=re.IGNORECASE)
    base = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]+', "_", base).strip(" .")
    return base or "package"


def _unique(base: str, taken: set[str]) -> str:
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name


def review_one(path: str, form_hint: str | None, quiet: bool, prefix: str = "") -> tuple[Any, dict[str, Any]]:
    progress = terminal_progress(quiet, sys.stderr, prefix)
    with pipeline.fewer_collections():  # the report is as many small objects again
        try:
            review = pipeline.review_package(path, progress=progress, form_hint=form_hint)
        finally:
            if progress is not None:
                progress.close()
        return review, build_report(review)


class OutputError(Exception):
    """A report could not be written; the message (Chinese) names the file and why."""


def write_outputs(report: dict[str, Any], review: Any, json_path: Path | None, html_path: Path | None,
                  package_path: str | Path | None = None) -> list[Path]:
    """The JSON and HTML reports; the HTML one shows crops of the original pages beside findings
    on scans, read again from `package_path` (none without it)."""
    from service.reports.crops import crop_files, package_source
    from service.reports.html_report import render_html

    written = []
    try:
        if json_path is not None:
            written.append(write_json(report, json_path))
        if html_path is not None:
            html_path.parent.mkdir(parents=True, exist_ok=True)
            wanted = crop_files(report) if package_path is not None else set()
            source = package_source(package_path, wanted) if wanted else None
            html_path.write_text(render_html(report, review, source), encoding="utf-8")
            written.append(html_path)
    except OSError as exc:
        if exc.errno is None:
            raise
        raise OutputError(f"无法写入报告 {os_error_reason(exc, with_path=True)}") from exc
    return written


# ---------------------------------------------------------------- summaries


def severity_counts(summary: dict[str, int]) -> str:
    return "，".join(f"{SEVERITY_LABELS[s]} {summary.get(s, 0)}" for s in SEVERITIES)


def form_line(report: dict[str, Any]) -> str:
    pkg = report["package"]
    if pkg["form"] == "unknown":
        return "未识别（unknown）"
    return f"{pkg['form_title'] or pkg['form']}（{pkg['form']}）"


def print_summary(report: dict[str, Any], out: TextIO) -> None:
    pkg = report["package"]
    files = pkg["files"]
    unreadable = sum(1 for f in files if f["error"])
    say(f"审查包：{pkg['name']}", out)
    say(f"申报类型：{form_line(report)}", out)
    print(f"文件：{len(files)} 个" + (f"（{unreadable} 个无法读取）" if unreadable else ""), file=out)
    print(f"结果：{severity_counts(report['summary'])}", file=out)
    blocking = [f for f in report["findings"] if f["severity"] in ("veto", "error")]
    for f in blocking[:SUMMARY_FINDINGS_SHOWN]:
        where = describe_location(f["locations"][0]) if f["locations"] else "整个申报包"
        more = f" 等{len(f['locations'])}处" if len(f["locations"]) > 1 else ""
        message = " ".join(f["message"].split())
        say(f"  [{SEVERITY_LABELS[f['severity']]}] {f['rule']} {message} —— {where}{more}", out)
    if len(blocking) > SUMMARY_FINDINGS_SHOWN:
        print(f"  …… 另有 {len(blocking) - SUMMARY_FINDINGS_SHOWN} 条否决/错误，详见报告", file=out)
    if not blocking:
        print("  未发现否决项或错误。", file=out)


# ---------------------------------------------------------------- commands


def cmd_check(args: argparse.Namespace) -> int:
    several = len(args.paths) > 1
    if several and (args.json or args.html):
        complain("--json/--html 只能用于单个包；多个包请用 --out DIR")
        return EXIT_FAILED
    out_dir = Path(args.out) if args.out else None
    taken: set[str] = set()
    worst = EXIT_OK
    for i, path in enumerate(args.paths):
        outcome = Outcome(path=path)
        try:
            review, report = review_one(path, args.form, args.quiet, prefix=Path(path).name if several else "")
            outcome.report = report
            base = _unique(report_basename(report["package"]["name"]), taken)
            json_path = Path(args.json) if args.json else (out_dir / f"{base}.json" if out_dir else None)
            html_path = Path(args.html) if args.html else (out_dir / f"{base}.html" if out_dir else None)
            outcome.written = write_outputs(report, review, json_path, html_path, path)
        except BrokenPipeError:  # our own output is gone (progress on a closed stderr): see main()
            raise
        except OutputError as exc:
            outcome.report, outcome.failure = None, str(exc)
        except Exception as exc:  # one broken package (or MemoryError) must not stop the others
            outcome.report, outcome.failure = None, internal_failure(exc, args.debug)
        if outcome.report is None:
            complain(f"无法处理 {path}：{outcome.failure}")
        else:
            if i:
                print(file=sys.stdout)
            print_summary(outcome.report, sys.stdout)
            for p in outcome.written:
                say(f"报告已写入：{p}")
        sys.stdout.flush()
        worst = max(worst, outcome.exit_code)
    return worst


def cmd_audit(args: argparse.Namespace) -> int:
    from service.reports.audit_html import render_audit_html
    from service.review.audit import audit_report, load_inputs

    def review(path: Path) -> dict[str, Any]:
        _review, report = review_one(str(path), None, True)
        return report

    inputs = load_inputs(args.paths, review, on_package=None if args.quiet else lambda n: say(f"读取：{terminal_safe(n)}", sys.stderr))
    report = audit_report(inputs)
    for path, text in ((args.json, json.dumps(report, ensure_ascii=False, indent=1)), (args.html, None)):
        if path:
            Path(path).write_text(text if text is not None else render_audit_html(report), encoding="utf-8")
            say(f"审计报告已写入：{path}")
    signals = report["signals"]
    print(f"审计了 {len(report['packages'])} 个申报包，发现 {len(signals)} 条疑点"
          + (f"，{len(report['skipped'])} 个未纳入" if report["skipped"] else ""))
    for s in signals:
        print(terminal_safe(f"  [{s['severity']}] {s['rule']} {'、'.join(s['packages'])}：{s['message']}"))
    for item in report["skipped"]:
        complain(f"未纳入 {item['path']}：{item['reason']}")
    return EXIT_FINDINGS if any(s["severity"] in ("error", "veto") for s in signals) else EXIT_OK


def cmd_summary(args: argparse.Namespace) -> int:
    from service.review.audit import read_reports
    from service.summaries.catalogue import Context, PackageReport, build_summary, table_specs
    from service.summaries.docx import summary_docx
    from service.summaries.xlsx import summary_xlsx

    specs = table_specs()
    if args.list or not args.table:
        for tid, spec in specs.items():
            print(f"{tid:16} {spec.title}（{'全省' if spec.scope == 'province' else '市州'}；{spec.clause}）")
        return EXIT_OK
    if args.table not in specs:
        complain(f"没有汇总表「{args.table}」；可用：{'、'.join(specs)}（shencha summary --list）")
        return EXIT_FAILED
    if not args.paths or not args.out:
        complain("请给出申报包或 --json 报告（PATH…）和输出文件 --out FILE.xlsx 或 .docx")
        return EXIT_FAILED
    out = Path(args.out)
    if out.suffix.lower() not in (".xlsx", ".docx"):
        complain(f"--out 须以 .xlsx 或 .docx 结尾：{args.out}")
        return EXIT_FAILED

    def review(path: Path) -> dict[str, Any]:
        _review, report = review_one(str(path), None, True)
        return report

    inputs = read_reports(args.paths, review, None if args.quiet else lambda n: say(f"读取：{terminal_safe(n)}", sys.stderr))
    accepted = set(args.accept or [])
    packages = [PackageReport(name=i.name, report=i.report, link=i.path, failure=i.reason or None, status="failed",
                              accepted=i.name in accepted, accepted_note="命令行 --accept 指定" if i.name in accepted else "")
                for i in inputs]
    unknown = accepted - {i.name for i in inputs}
    if unknown:
        complain(f"--accept 指定的申报包不在输入中：{'、'.join(sorted(unknown))}")
        return EXIT_FAILED
    ctx = Context(unit=args.unit or (f"{args.city}经济和信息化局" if args.city else ""), period=args.year, city=args.city, province=args.province, filler=args.filler or "",
                  reviewer=args.reviewer or "", phone=args.phone or "")
    summary = build_summary(args.table, packages, ctx)
    data = summary_xlsx(summary) if out.suffix.lower() == ".xlsx" else summary_docx(summary)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(f"{summary.title}（{summary.period or '—'}）已写入：{out}")
    print(f"纳入 {len(summary.included)} 个申报包，未纳入 {len(summary.excluded)} 个")
    for inc in summary.excluded:
        print(terminal_safe(f"  未纳入 {inc.package}：{inc.reason}"))
    for w in summary.warnings:
        complain(f"注意：{w}")
    return EXIT_OK


def samples_root() -> Path:
    """The bundled sample packages: corpus/samples/ beside corpus/manifest.json."""
    import corpus

    return Path(corpus.__file__).resolve().parent


def print_samples_table(scores: list[PackageScore], out: TextIO) -> None:
    headers = ["样例包", "申报类型（检出/应为）", "缺陷（检出/应有）"] + [SEVERITY_LABELS[s] for s in SEVERITIES] + ["说明"]
    rows = []
    for s in scores:
        if s.report is None:
            rows.append([terminal_safe(s.package), f"—/{s.expected_form or '?'}", f"0/{len(s.expected)}",
                         "", "", "", "", "处理失败"])
            continue
        form = s.report["package"]["form"]
        mark = "" if form == s.expected_form else " ✗"
        notes = ["无缺陷样例"] if s.clean else []
        if s.unexpected:
            notes.append(f"误报 {len(s.unexpected)} 条")
        if s.missed:
            notes.append(f"漏检 {len(s.missed)} 项")
        rows.append(
            [terminal_safe(s.package), terminal_safe(f"{form}/{s.expected_form or '?'}{mark}"),
             f"{len(s.caught)}/{len(s.expected)}"]
            + [str(s.report["summary"].get(sev, 0)) for sev in SEVERITIES]
            + ["；".join(notes)]
        )
    widths = [max(display_width(r[i]) for r in [headers] + rows) for i in range(len(headers))]
    align = ["<", "<", ">", ">", ">", ">", ">", "<"]
    for r in [headers] + rows:
        print("  ".join(pad(c, w, a) for c, w, a in zip(r, widths, align)).rstrip(), file=out)

    total = scoring.summary(scores)
    clean = [s for s in scores if s.clean]
    forms_ok = sum(1 for s in scores if s.report is not None and s.report["package"]["form"] == s.expected_form)
    recall = f"{total['caught'] / total['planted'] * 100:.1f}%" if total["planted"] else "—"
    print(file=out)
    print(f"缺陷召回率：{total['caught']}/{total['planted']} = {recall}（其中低于应有严重程度 {total['softened']} 项）", file=out)
    print(f"意外的否决/错误（无预埋缺陷可解释，所有样例包）：{total['unexpected']} 条；"
          f"无缺陷样例中有误报的包：{total['clean_with_unexpected']}/{len(clean)}", file=out)
    print(f"申报类型识别正确：{forms_ok}/{len(scores)}", file=out)
    if total["failed"]:
        print(f"处理失败：{total['failed']} 个包", file=out)
    for s in scores:
        for m in s.missed if s.report is not None else []:
            say(f"  漏检 {s.package}：{m['rule']}「{'、'.join(scoring.keys_of(m))}」", out)
        for m in s.softened:
            say(f"  降级 {s.package}：{m['rule']}「{'、'.join(scoring.keys_of(m))}」应为{SEVERITY_LABELS[m['severity']]}", out)
        for f in s.unexpected:
            say(f"  误报 {s.package}：[{SEVERITY_LABELS[f['severity']]}] {f['rule']} {' '.join(f['message'].split())}", out)
        if s.failure:
            say(f"  失败 {s.package}：{s.failure}", out)


def cmd_samples(args: argparse.Namespace) -> int:
    if args.manifest:
        manifest_path = Path(args.manifest)
        packages = Path(args.packages) if args.packages else manifest_path.parent
    else:
        manifest_path = samples_root() / "manifest.json"
        packages = samples_root() / "samples"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except OSError as exc:
        complain(f"无法读取样例清单 {manifest_path}：{os_error_reason(exc)}")
        return EXIT_FAILED
    except ValueError as exc:
        where = f"第 {exc.lineno} 行第 {exc.colno} 列" if isinstance(exc, json.JSONDecodeError) else "编码"
        complain(f"无法读取样例清单 {manifest_path}：不是有效的 JSON（{where}）")
        return EXIT_FAILED
    out_dir = Path(args.out)
    taken: set[str] = set()
    scores: list[PackageScore] = []
    for entry in manifest:
        path = packages / entry["package"]
        try:
            review, report = review_one(str(path), None, args.quiet, prefix=entry["package"])
            base = _unique(report_basename(report["package"]["name"]), taken)
            write_outputs(report, review, out_dir / f"{base}.json", out_dir / f"{base}.html", path)
            scores.append(scoring.score_package(entry, report))
        except BrokenPipeError:
            raise
        except Exception as exc:
            reason = internal_failure(exc, args.debug)
            complain(f"无法处理 {path}：{reason}")
            scores.append(scoring.score_package(entry, None, reason))
    print_samples_table(scores, sys.stdout)
    write_json(scoring.summary(scores), out_dir / "samples-summary.json")
    say(f"报告已写入：{out_dir}/")
    return EXIT_FAILED if any(s.report is None for s in scores) else EXIT_OK


def rule_catalogue() -> str:
    """Markdown catalogue of the registered rules (importing checkers.run registers them)."""
    import checkers.run  # noqa: F401  (registers every rule)

    try:
        from checkers.catalogue import render_catalogue
    except ImportError:
        render_catalogue = None
    if render_catalogue is not None:
        return render_catalogue()
    from checkers.registry import RULES

    lines = ["| 规则 | 严重程度 | 标题 | 含义 | 依据条款 | 适用表单 |", "|---|---|---|---|---|---|"]
    for code in sorted(RULES):
        r = RULES[code]
        lines.append(
            f"| `{r.code}` | {SEVERITY_LABELS[r.severity]} | {r.title} | {r.meaning} | {r.clause} | {', '.join(r.forms) or '全部'} |"
        )
    return "\n".join(lines)


def cmd_rules(args: argparse.Namespace) -> int:
    try:
        text = rule_catalogue()
    except ImportError as exc:
        complain(f"无法加载规则（缺少模块 {exc.name or '未知'}）")
        return EXIT_FAILED
    print(text.rstrip("\n"))
    return EXIT_OK


# ---------------------------------------------------------------- service commands
# Imports are local: `check`/`samples`/`rules` must work without the service's dependencies.


def _open_service():
    """Settings, data dir and the database at schema head (every service command starts so)."""
    from service.config import ConfigError, ensure_data_dir, get_settings
    from service.store.db import get_database

    try:
        settings = get_settings()
    except ConfigError as exc:
        raise CommandError(f"配置错误：{exc}") from None
    ensure_data_dir(settings)
    # the service's OCR results are kept beside its blobs, on the storage every worker mounts, so
    # a recheck on any machine does not recognise the same pages again
    os.environ.setdefault("SHENCHA_OCR_CACHE_DIR", str(settings.ocr_cache_dir))
    return settings, get_database(settings.database_url)


def shencha_command() -> str:
    """This program as a command that works from any directory: `shencha` when that name on the
    PATH is this very program, else the absolute path of the console script of this Python's
    environment (`/…/.venv/bin/shencha`)."""
    import shlex
    import shutil

    script = Path(os.path.abspath(sys.executable)).parent / "shencha"  # the venv's bin, links not followed
    if not script.is_file():
        return shlex.join([os.path.abspath(sys.executable), "-m", "service.cli"])
    on_path = shutil.which("shencha")
    if on_path and Path(on_path).resolve() == script.resolve():
        return "shencha"
    return shlex.quote(str(script))


def command_for(settings: Any) -> str:
    """`shencha_command()` as it must be typed in another shell to reach this server's data: a data
    dir given by SHENCHA_DATA_DIR is given again (the default one every command finds by itself)."""
    import shlex

    command = shencha_command()
    if os.environ.get("SHENCHA_DATA_DIR", "").strip():
        command = f"SHENCHA_DATA_DIR={shlex.quote(str(settings.data_dir))} {command}"
    return command


def data_dir_line(settings: Any) -> str:
    line = f"数据目录：{settings.data_dir}（服务和命令行共用；另设目录用环境变量 SHENCHA_DATA_DIR）"
    if os.environ.get("SHENCHA_DATABASE_URL", "").strip():
        line += "；数据库由 SHENCHA_DATABASE_URL 指定，在其他终端运行命令时请设置同样的环境变量"
    return line


def cmd_serve(args: argparse.Namespace) -> int:
    settings, db = _open_service()
    from service.auth import users
    command = command_for(settings)
    if args.first_run_message:  # what a first start prints, without starting anything
        with db.session() as session:
            message = users.first_run_message(session, settings, command)
        say(data_dir_line(settings))
        print(terminal_lines(message) if message else f"账号已齐全。查看账号：{command} users list")
        return EXIT_OK
    with db.session() as session:
        created = users.create_admin_from_settings(session, settings)
        message = users.first_run_message(session, settings, command)
    if created:
        say(created, sys.stderr)
    say(data_dir_line(settings), sys.stderr)
    if message:
        print(terminal_lines(message), file=sys.stderr)
    try:
        import uvicorn

        from service.app import create_app
    except ImportError as exc:
        raise CommandError(f"无法启动网页服务（缺少模块 {exc.name or '未知'}，请先运行 ./scripts/setup.sh）") from None
    from service.jobs import engine

    engine.ensure_worker(database=db, settings=settings)
    if settings.worker_mode == "celery":
        say(f"审查任务发送到 {terminal_safe(_broker_shown(settings.broker_url or ''))}，由 shencha worker 进程执行"
            "（本进程不审查）", sys.stderr)
    elif settings.worker_mode == "none":
        say("审查任务留在数据库中，由 shencha worker 进程执行（本进程不审查）", sys.stderr)
    say(f"审查服务：http://{args.host}:{args.port}/", sys.stderr)
    try:
        uvicorn.run(create_app(), host=args.host, port=args.port)
    finally:
        engine.shutdown_worker()
    return EXIT_OK


def cmd_worker(args: argparse.Namespace) -> int:
    settings, db = _open_service()
    from service.jobs import queue as jobs
    say(data_dir_line(settings), sys.stderr)
    if settings.broker_url is not None:
        return _celery_worker(args, settings)
    if args.queues:
        raise CommandError("--queues 只用于分布式任务（需设置 SHENCHA_BROKER_URL）")
    jobs.share_the_cores(args.concurrency or 1)
    queue = jobs.InProcessQueue(database=db, settings=settings, threads=args.concurrency or 1)
    if args.once:
        with db.session() as session:
            jobs.recover_orphans(session, settings)
            jobs.sweep_work_dirs(session, settings)
        ran = queue.run_until_idle()
        print(f"已处理 {ran} 个审查任务", file=sys.stderr)
        return EXIT_OK
    import signal
    import threading

    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    queue.start()
    say(f"审查任务进程已启动（{jobs.current_worker_id()}），Ctrl+C 退出", sys.stderr)
    try:
        while not stopped.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    queue.stop()
    return EXIT_OK


def _celery_worker(args: argparse.Namespace, settings: Any) -> int:
    from service.jobs import tasks

    if args.once:
        raise CommandError("--once 只用于内置任务队列；分布式任务进程一直运行，用 Ctrl+C 或 SIGTERM 停止")
    queues = [q.strip() for q in (args.queues or ",".join(tasks.QUEUES)).split(",") if q.strip()]
    unknown = [q for q in queues if q not in tasks.QUEUES]
    if unknown:
        raise CommandError(f"未知队列：{'、'.join(unknown)}（可用：{'、'.join(tasks.QUEUES)}）")
    concurrency = args.concurrency or os.cpu_count() or 1
    say(f"分布式审查任务进程：{terminal_safe(_broker_shown(settings.broker_url))}，队列 {','.join(queues)}，并发 {concurrency}", sys.stderr)
    tasks.run_worker(settings, concurrency, queues, loglevel="DEBUG" if getattr(args, "debug", False) else "INFO")
    return EXIT_OK


def _broker_shown(url: str) -> str:
    """The broker's address without its password."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def read_new_password(args: argparse.Namespace) -> str:
    """Typed at a terminal: asked twice, not shown.  Otherwise one line of stdin, and only with
    --password-stdin (a password on the command line would stay in the shell's history)."""
    from service.auth import users
    if sys.stdin is not None and sys.stdin.isatty():
        import getpass

        print(users.password_rules(), file=sys.stderr)
        first = getpass.getpass("密码：")
        if getpass.getpass("再输入一次密码：") != first:
            raise CommandError("两次输入的密码不一致，未添加用户")
        return first
    if not args.password_stdin:
        raise CommandError("请用 --password-stdin 从标准输入提供密码（避免密码出现在命令行历史中），"
                           "或在终端中直接运行，按提示输入")
    return sys.stdin.readline().rstrip("\r\n")


def cmd_users(args: argparse.Namespace) -> int:
    settings, db = _open_service()
    from service.auth import users
    say(data_dir_line(settings), sys.stderr)
    with db.session() as session:
        try:
            if args.users_command == "add":
                password = read_new_password(args)
                user = users.add_user(session, args.username, args.role, password, city=args.city)
                city = f"，城市 {user.city}" if user.city else ""
                say(f"已添加用户「{user.username}」：{users.ROLE_LABELS[user.role]}（{user.role}）{city}")
            elif args.users_command == "list":
                rows = users.list_users(session)
                if not rows:
                    print("尚无用户")
                for u in rows:
                    state = "已停用" if u.disabled else "正常"
                    cells = (u.username, u.role, u.city or "-", state, f"{u.created_at:%Y-%m-%d}")
                    print("\t".join(terminal_safe(c) for c in cells))  # tab-separated: each cell escaped
            elif args.users_command == "disable":
                user = users.disable_user(session, args.username)
                say(f"已停用用户「{user.username}」")
            elif args.users_command == "enable":
                user = users.enable_user(session, args.username)
                say(f"已启用用户「{user.username}」")
        except users.UserError as exc:
            complain(exc)
            return EXIT_FAILED
    return EXIT_OK


def cmd_purge(args: argparse.Namespace) -> int:
    settings, db = _open_service()
    from service.domain.purge import purge_expired

    say(data_dir_line(settings), sys.stderr)
    days = settings.retention_days if args.days is None else args.days
    with db.session() as session:
        result = purge_expired(session, days=days)
    print(f"已清除 {len(result.packages)} 个超过 {days} 天的申报包，删除 {result.blobs} 个存储文件")
    return EXIT_OK


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为整数：{text}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"不能为负数：{text}")
    return value


def _positive_int(text: str) -> int:
    value = _non_negative_int(text)
    if value == 0:
        raise argparse.ArgumentTypeError(f"应至少为 1：{text}")
    return value


def add_service_commands(sub: Any) -> None:
    serve = sub.add_parser("serve", help="启动审查网页服务（含后台审查任务）")
    serve.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    serve.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    serve.add_argument("--first-run-message", action="store_true",
                       help="只显示首次运行的说明（数据目录、如何创建账号、密码规则），不启动服务")
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser("worker", help="只运行后台审查任务（不启动网页服务）")
    worker.add_argument("--once", action="store_true", help="处理完排队的任务后退出（内置任务队列）")
    worker.add_argument("--concurrency", type=_positive_int, default=None,
                        help="同时审查的申报包数（默认：分布式为 CPU 核数，内置队列为 1）")
    worker.add_argument("--queues", default=None,
                        help="只处理这些队列，逗号分隔：shencha.text（文字文件）、shencha.ocr（含扫描件）；默认两者")
    worker.set_defaults(func=cmd_worker)

    users_parser = sub.add_parser("users", help="管理用户")
    users_sub = users_parser.add_subparsers(dest="users_command", required=True)
    add = users_sub.add_parser("add", help="添加用户")
    add.add_argument("username", metavar="USERNAME")
    add.add_argument("--role", required=True, help="agency（评价机构）、city（市级审查）或 province（省级审计）")
    add.add_argument("--city", help="所属城市，如 武汉市（city 角色必填）")
    add.add_argument("--password-stdin", action="store_true",
                     help="从标准输入读取一行作为密码（在终端中运行时改为提示输入，不显示）")
    users_sub.add_parser("list", help="列出用户")
    disable = users_sub.add_parser("disable", help="停用用户")
    disable.add_argument("username", metavar="USERNAME")
    enable = users_sub.add_parser("enable", help="重新启用用户")
    enable.add_argument("username", metavar="USERNAME")
    users_parser.set_defaults(func=cmd_users)

    purge = sub.add_parser("purge", help="清除超过保留期的申报包及其文件和结果")
    purge.add_argument("--days", type=_non_negative_int, help="保留天数（默认取 SHENCHA_RETENTION_DAYS，365）")
    purge.set_defaults(func=cmd_purge)


def _add_debug(parser: argparse.ArgumentParser, default: Any = False) -> None:
    parser.add_argument("--debug", action="store_true", default=default,
                        help="出现内部错误时显示详细的错误信息（Python 调用栈）")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="shencha", description="工业固废资源综合利用申报材料审查",
                                     epilog=EXIT_CODES_HELP)
    parser.add_argument("--version", action="version", version=f"shencha {package_version()}")
    _add_debug(parser)
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="审查一个或多个申报包（文件、文件夹或 .zip）", epilog=EXIT_CODES_HELP)
    _add_debug(check, argparse.SUPPRESS)  # after the command too; SUPPRESS keeps a --debug given before it
    check.add_argument("paths", nargs="+", metavar="PATH")
    check.add_argument("--json", metavar="FILE", help="JSON 报告写入 FILE（仅单个包）")
    check.add_argument("--html", metavar="FILE", help="HTML 报告写入 FILE（仅单个包）")
    check.add_argument("--out", metavar="DIR", help="每个包的报告写入 DIR/<包名>.json 和 .html")
    check.add_argument("--form", metavar="FORM", help="指定申报类型，如 hb_evaluation、hn_benchmark")
    check.add_argument("--quiet", action="store_true", help="不显示进度")
    check.set_defaults(func=cmd_check)

    audit_parser = sub.add_parser("audit", help="跨申报包审计：雷同文字、共用人员、重复数据和图片、身份冲突、共用联系方式")
    audit_parser.add_argument("paths", nargs="+", metavar="PATH",
                              help="每个子文件夹或 .zip 为一个申报包的文件夹，或 shencha check --json 写出的报告所在文件夹")
    audit_parser.add_argument("--json", help="审计报告 JSON 的写入路径")
    audit_parser.add_argument("--html", help="审计报告 HTML 的写入路径（两侧对照）")
    audit_parser.add_argument("--quiet", action="store_true", help="不显示读取进度")
    audit_parser.set_defaults(func=cmd_audit)
    _add_debug(audit_parser, argparse.SUPPRESS)
    summary = sub.add_parser("summary", help="由审查通过的申报包生成市州、省级汇总表（XLSX / DOCX）")
    _add_debug(summary, argparse.SUPPRESS)
    summary.add_argument("table", nargs="?", metavar="TABLE", help="汇总表：hb_publicity、hb_annual、hb_city_report、"
                         "hb_agencies、nowaste_summary、green_summary（--list 列出）")
    summary.add_argument("paths", nargs="*", metavar="PATH", help="申报包（文件夹、.zip）或 shencha check --json 写出的报告，或其所在文件夹")
    summary.add_argument("--out", metavar="FILE", help="输出文件，.xlsx 或 .docx")
    summary.add_argument("--list", action="store_true", help="列出可生成的汇总表")
    summary.add_argument("--year", metavar="YYYY", help="年度（默认为申报包中最近的年度）")
    summary.add_argument("--city", metavar="CITY", help="只汇总该市州的申报包，如 襄阳市")
    summary.add_argument("--province", metavar="PROVINCE", help="全省汇总表只汇总该省的申报包，如 湖南")
    summary.add_argument("--unit", metavar="NAME", help="填报单位，如 襄阳市经济和信息化局")
    summary.add_argument("--filler", metavar="NAME", help="填报人")
    summary.add_argument("--reviewer", metavar="NAME", help="审核人")
    summary.add_argument("--phone", metavar="PHONE", help="联系电话")
    summary.add_argument("--accept", metavar="PACKAGE", action="append",
                         help="审查人员已确认受理的申报包（即使有未处理的错误也纳入），可重复")
    summary.add_argument("--quiet", action="store_true", help="不显示读取进度")
    summary.set_defaults(func=cmd_summary)

    samples = sub.add_parser("samples", help="审查内置样例包并统计预埋缺陷检出情况")
    _add_debug(samples, argparse.SUPPRESS)
    samples.add_argument("--out", metavar="DIR", default="reports", help="报告目录（默认 ./reports）")
    samples.add_argument("--quiet", action="store_true", help="不显示进度")
    samples.add_argument("--manifest", metavar="FILE", help="另一组样例的清单（JSON，格式见 service/reports/scoring.py）")
    samples.add_argument("--packages", metavar="DIR", help="该组样例包所在目录（默认为清单所在目录）")
    samples.set_defaults(func=cmd_samples)

    rules = sub.add_parser("rules", help="列出规则目录")
    rules.set_defaults(func=cmd_rules)

    add_service_commands(sub)
    return parser


def _tolerate_unencodable_output() -> None:
    """A character the terminal's encoding lacks is written as an escape, never a crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass


def _discard_output() -> None:
    """The reader of stdout went away: point stdout at /dev/null, so that the interpreter's last
    flush of what is still buffered does not fail a second time (Python's documented recipe)."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (tests): nothing to flush later
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


# the commands whose output is a review a person reads: library and rule logs stay out of it
_REVIEW_COMMANDS = ("check", "samples")


def _configure_logging(args: argparse.Namespace) -> None:
    """With --debug, logs (a rule's traceback, a reader's complaint) go to stderr.  Without it,
    a review command's stderr carries only its own lines: Python would otherwise print any
    logged error through its last-resort handler."""
    if getattr(args, "debug", False):
        logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    elif getattr(args, "command", None) in _REVIEW_COMMANDS:
        logging.getLogger().addHandler(logging.NullHandler())


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _tolerate_unencodable_output()
    _configure_logging(args)
    try:
        try:
            code = args.func(args)
            sys.stdout.flush()  # a reader gone away shows here, not in the interpreter's exit
            return code
        except BrokenPipeError:
            raise
        except CommandError as exc:
            complain(exc)
            return EXIT_FAILED
        except KeyboardInterrupt:
            complain("已中断")
            return EXIT_INTERRUPTED
        except Exception as exc:  # MemoryError and bugs alike: 2 and one Chinese line, never 1
            complain(internal_failure(exc, args.debug))
            return EXIT_FAILED
    except BrokenPipeError:
        _discard_output()
        return EXIT_OUTPUT_CLOSED


if __name__ == "__main__":
    sys.exit(main())
