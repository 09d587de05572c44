"""python -m corpus.generate [--out corpus/samples] [--seed 20261121] [--count N]"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from corpus.generate import DEFAULT_COUNT, DEFAULT_SEED, generate


def keys_of(e: dict) -> list[str]:
    return e["keys"] if "keys" in e else [e["key"]]

CORPUS_DIR = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m corpus.generate", description="Rebuild the sample packages.")
    ap.add_argument("--out", type=Path, default=CORPUS_DIR / "samples")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--count", type=int, default=DEFAULT_COUNT)
    ap.add_argument("--manifest", type=Path, default=None,
                    help="default: manifest.json beside the output folder")
    ap.add_argument("--no-pdf", action="store_true", help="write every report as .docx (no LibreOffice)")
    args = ap.parse_args(argv)
    manifest = generate(args.out, args.seed, args.count, args.manifest, pdf=not args.no_pdf)
    rules = Counter(e["rule"] for m in manifest for e in m["expected"])
    clean = sum(1 for m in manifest if m["clean"])
    print(f"{len(manifest)} packages ({clean} clean) in {args.out}")
    for m in manifest:
        planted = ", ".join(f"{e['rule']}[{'|'.join(keys_of(e))}]" for e in m["expected"]) or "clean"
        print(f"  {m['package']:<18} {m['form']:<14} {planted}")
    print("planted:", dict(sorted(rules.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
