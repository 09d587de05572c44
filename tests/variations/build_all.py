"""Build every hand-made package set of tests/variations into one folder with one manifest:

    python -m tests.variations.build_all OUT_DIR
    shencha samples --manifest OUT_DIR/manifest.json --out reports/variations

Each build_<form>.py module was written by another hand than the extractor's, in layouts the
sample generator never makes; together they are the measure of how Shencha reads packages it
was not written for."""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
from pathlib import Path

import tests.variations


def builders() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(tests.variations.__path__) if m.name.startswith("build_")
                  and m.name != "build_all")


def build_all(out_dir: Path) -> list[dict]:
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest: list[dict] = []
    for name in builders():
        module = importlib.import_module(f"tests.variations.{name}")
        manifest.extend(module.build(out_dir))
    (out_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


if __name__ == "__main__":
    entries = build_all(Path(sys.argv[1]))
    print(f"{len(entries)} packages, {sum(len(e.get('expected') or []) for e in entries)} real defects")
