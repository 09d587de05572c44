"""Run one fuzz target under atheris (libFuzzer):

    .venv/bin/python -m tests.fuzz.run <target> --runs N        # N iterations, then stop
    .venv/bin/python -m tests.fuzz.run docx --max-time 600      # ten minutes
    .venv/bin/python -m tests.fuzz.run xlsx --max-time 600 --keep-going   # save findings, go on
    .venv/bin/python -m tests.fuzz.run pdf --replay FILE...     # run inputs once, without atheris

Targets: package, docx, xlsx, pdf, image (tests/fuzz/targets.py).  The committed seeds in
`tests/fuzz/corpus/<target>/` are only read: new inputs go to a temporary directory (removed at
the end) or to `--corpus-out DIR`.  A crashing, leaking or hanging input is saved as
`<artifacts>/<target>-crash-<sha1>` (`-timeout-`, `-oom-`; with `--keep-going`
`<target>-<ExceptionType>-<sha1>`); `--artifacts` defaults to `tests/fuzz/crashes/`.
Arguments after `--` go to libFuzzer as they are (`-- -only_ascii=1`).

The fuzzing limits (small SHENCHA_LIMIT_* values, reads in this process) are set before
anything is read; a variable already set in the environment wins.  The Python code of the
target's packages (`extractor`, and per target python-docx, openpyxl or Pillow) is
instrumented for coverage; `--instrument` names others, `--no-instrument` turns it off.

libFuzzer ends the process itself (Python's exit handlers do not run), so the fuzzing runs in a
child process and this one removes the temporary folders afterwards and returns its exit code:
0 when the runs are done without a finding.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import os
import shutil
import subprocess
import sys
import tempfile
import traceback
from collections import Counter
from pathlib import Path

from tests.fuzz import targets as _targets

CRASHES = _targets.FUZZ_DIR / "crashes"
# the modules a target's code lives in: imported inside the instrumentation block
_TARGET_MODULES = {
    "package": ["extractor.package", "extractor.zipread", "extractor.read", "extractor.readers.docx_reader",
                "extractor.readers.xlsx_reader", "extractor.readers.pdf_reader", "extractor.readers.image_reader"],
    "docx": ["extractor.readers.docx_reader"],
    "xlsx": ["extractor.readers.xlsx_reader"],
    "pdf": ["extractor.readers.pdf_reader"],
    "image": ["extractor.readers.image_reader"],
}
_ALWAYS = ["extractor.limits", "extractor.read", "extractor.isolation", "extractor.readers.legacy", "extractor.readers.ooxml"]
_FINDINGS_LOG = "findings.log"  # in the run's scratch folder: one line per finding (--keep-going)


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    extra: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1 :]
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz.run", description=__doc__.splitlines()[0])
    parser.add_argument("target", choices=sorted(_targets.TARGETS))
    parser.add_argument("--runs", type=int, default=-1, help="iterations (libFuzzer -runs; default: no bound)")
    parser.add_argument("--max-time", type=int, default=0, help="seconds in all (libFuzzer -max_total_time)")
    parser.add_argument("--timeout", type=int, default=20, help="seconds one input may take (default 20)")
    parser.add_argument("--rss-limit-mb", type=int, default=2048, help="memory of the process (default 2048)")
    parser.add_argument("--max-len", type=int, default=None, help="bytes of one input (default: the target's)")
    parser.add_argument("--seed", type=int, default=None, help="libFuzzer -seed, for a repeatable run")
    parser.add_argument("--artifacts", type=Path, default=CRASHES, help="folder for crashing inputs")
    parser.add_argument("--corpus-out", type=Path, default=None,
                        help="folder for the new inputs found (default: a temporary one, removed)")
    parser.add_argument("--instrument", nargs="*", default=None, help="packages to instrument (default: the target's)")
    parser.add_argument("--no-instrument", action="store_true", help="no coverage instrumentation")
    parser.add_argument("--keep-going", action="store_true",
                        help="on a finding, save the input (one per exception type and place) and go on fuzzing")
    parser.add_argument("--strict", action="store_true", help="known findings (targets.KNOWN) are findings too")
    parser.add_argument("--replay", nargs="+", type=Path, default=None,
                        help="run these inputs (files or folders) once, in plain Python, and report each")
    parser.add_argument("--scratch", type=Path, default=None, help=argparse.SUPPRESS)  # set for the child
    return parser.parse_args(argv), extra


def import_target(name: str, instrument: list[str]):
    """The target's function, its modules imported (and instrumented for coverage).  The seeds
    are read once inside the instrumentation too: libraries import some modules only when a
    file needs them (Pillow's format plugins, pdfminer's encodings)."""
    modules = [*_ALWAYS, *_TARGET_MODULES[name]]
    if instrument:
        import atheris

        target = _targets.TARGETS[name]
        with atheris.instrument_imports(include=instrument):
            for module in modules:
                importlib.import_module(module)
            for seed in sorted(target.corpus.iterdir()):
                try:
                    target.function(seed.read_bytes())
                except Exception:  # noqa: BLE001 - only warming up: the fuzzing will report it
                    pass
    else:
        for module in modules:
            importlib.import_module(module)
    return _targets.TARGETS[name].function


def replay(function, paths: list[Path]) -> int:
    failed = 0
    for path in paths:
        files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
        for file in files:
            try:
                result = function(file.read_bytes())
            except Exception:  # noqa: BLE001 - reported, the next input still runs
                failed += 1
                print(f"FAIL {file}")
                traceback.print_exc()
                continue
            print(f"ok   {file}: {'refused (documented) or known finding' if result is None else 'read'}")
    return 1 if failed else 0


def signature(e: BaseException) -> str:
    """A finding's identity: the exception type and the innermost frame (file:function), or the
    start of a contract message."""
    if isinstance(e, _targets.Finding):
        return f"Finding: {' '.join(str(e).split()[:4])}"
    frames = traceback.extract_tb(e.__traceback__)
    where = f"{Path(frames[-1].filename).name}:{frames[-1].name}" if frames else "?"
    return f"{type(e).__name__} at {where}"


class _KeepGoing:
    """The target, its findings saved and logged instead of ending the run: one input per
    signature."""

    def __init__(self, function, name: str, artifacts: Path, log: Path) -> None:
        self.function = function
        self.name = name
        self.artifacts = artifacts
        self.log = log
        self.seen: set[str] = set()

    def __call__(self, data: bytes) -> None:
        try:
            self.function(data)
        except Exception as e:  # noqa: BLE001 - recorded, and the fuzzing goes on
            sig = signature(e)
            with self.log.open("a", encoding="utf-8") as f:
                f.write(sig + "\n")
            if sig in self.seen:
                return
            self.seen.add(sig)
            path = self.artifacts / f"{self.name}-{type(e).__name__}-{hashlib.sha1(data).hexdigest()[:12]}"
            path.write_bytes(data)
            print(f"\n=== finding: {sig}; input saved as {path}", flush=True)
            traceback.print_exc()


def child(args: argparse.Namespace, extra: list[str]) -> int:
    """The fuzzing itself (atheris ends this process)."""
    target = _targets.TARGETS[args.target]
    os.environ["SHENCHA_FUZZ_SCRATCH"] = str(args.scratch)
    _targets.apply_limits()
    instrument = [] if args.no_instrument else list(target.instrument if args.instrument is None else args.instrument)

    import atheris

    function = import_target(args.target, instrument)
    if args.keep_going:
        function = _KeepGoing(function, target.name, args.artifacts, args.scratch / _FINDINGS_LOG)
    flags = [
        f"-runs={args.runs}",
        f"-max_len={args.max_len or target.max_len}",
        f"-timeout={args.timeout}",
        # an input is only "slow" past the timeout itself: libFuzzer's default (10 s) is a wall-time
        # judgement that a busy CI machine can cross with an input that is bounded all the same
        f"-report_slow_units={args.timeout}",
        f"-rss_limit_mb={args.rss_limit_mb}",
        f"-artifact_prefix={args.artifacts}/{target.name}-",
        "-print_final_stats=1",
    ]
    if args.max_time:
        flags.append(f"-max_total_time={args.max_time}")
    if args.seed is not None:
        flags.append(f"-seed={args.seed}")
    if target.dict_file:
        flags.append(f"-dict={_targets.DICTS / target.dict_file}")
    # new inputs go to the first folder; the committed seeds are only read
    libfuzzer_argv = [sys.argv[0], *flags, *extra, str(args.corpus_out), str(target.corpus)]
    print("libFuzzer:", " ".join(libfuzzer_argv[1:]), flush=True)
    if target.mutator is not None:
        atheris.Setup(libfuzzer_argv, function, custom_mutator=target.mutator)
    else:
        atheris.Setup(libfuzzer_argv, function)
    atheris.Fuzz()
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args, extra = parse_args(argv)
    if args.strict:
        os.environ["SHENCHA_FUZZ_STRICT"] = "1"
    if args.replay:
        _targets.apply_limits()
        return replay(import_target(args.target, []), args.replay)
    if args.scratch is not None:
        return child(args, extra)

    args.artifacts.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f"shencha-fuzz-{args.target}-"))
    try:
        corpus_out = args.corpus_out or scratch / "corpus"
        corpus_out.mkdir(parents=True, exist_ok=True)
        own = argv[: argv.index("--")] if "--" in argv else argv
        command = [sys.executable, "-m", "tests.fuzz.run", *own,
                   "--scratch", str(scratch), "--corpus-out", str(corpus_out), "--artifacts", str(args.artifacts.resolve())]
        if extra:
            command += ["--", *extra]
        root = Path(__file__).resolve().parents[2]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))}
        code = subprocess.run(command, cwd=root, env=env).returncode
        log = scratch / _FINDINGS_LOG
        if log.exists():
            print("\n=== findings of this run (inputs in the artifacts folder):")
            for sig, count in Counter(log.read_text(encoding="utf-8").splitlines()).most_common():
                print(f"  {count:6d}  {sig}")
            return 1
        return code
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
