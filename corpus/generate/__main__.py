"""python -m corpus.generate [--out corpus/samples] [--seed 20261121] [--count N]
python -m corpus.generate --scanned --out DIR [--only PID,…] [--scan-reports]  (corpus/generate/scan.py)"""

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
    ap.add_argument("--out", type=Path, default=None, help="default: corpus/samples (required with --scanned)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--count", type=int, default=DEFAULT_COUNT)
    ap.add_argument("--manifest", type=Path, default=None,
                    help="default: manifest.json beside the output folder")
    ap.add_argument("--no-pdf", action="store_true", help="write every report as .docx (no LibreOffice)")
    ap.add_argument("--scanned", action="store_true",
                    help="write the scanned twins (corpus/generate/scan.py) into --out, which must be given; "
                         "their manifest defaults to OUT/manifest.json")
    ap.add_argument("--scan-reports", action="store_true", help="with --scanned: scan every report whole too")
    ap.add_argument("--only", default="", metavar="PID,…", help="with --scanned: only these packages (hb_eval_01,gm_01)")
    args = ap.parse_args(argv)
    if args.scanned:
        if args.out is None:
            ap.error("--scanned needs --out DIR (the scanned set is made on demand, not kept beside corpus/samples)")
        from corpus.generate.scan import generate_scanned

        only = [p.strip() for p in args.only.split(",") if p.strip()] or None
        manifest = generate_scanned(args.out, args.seed, args.count, args.manifest, pdf=not args.no_pdf,
                                    reports=args.scan_reports, only=only)
    elif args.only or args.scan_reports:
        ap.error("--only and --scan-reports go with --scanned")
    else:
        args.out = args.out or CORPUS_DIR / "samples"
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
