"""How the provincial audit grows: time and peak memory of `checkers.audit.run.audit` over
generated feature sets of 1,000, 10,000 and 100,000 packages (issue 11).

    .venv/bin/python bench/audit.py [--sizes 1000,10000,100000] [--incremental 10000]

Each size runs in a process of its own (peak memory is that process's).  A package's features
are what `shencha check` keeps for a typical one: 40 narrative sentences (a third of them the
template sentences every package of its form writes, the rest its own), three figure sets,
three pictures, three contacts; one package in ten is an agency's, with a 20-person
social-security list.  A few copies are planted so that the signals' code runs too.  Figures
only: the target is 10,000 packages in under 5 minutes on 2 cores, under 2 GB; and the service's
incremental comparison, one package against 10,000 stored, in under a second.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SENTENCES = 40
TEMPLATE_SHARE = 13
CHARS = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"


def _text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(CHARS) for _ in range(n)) + "。"


def make_features(n: int, seed: int = 1):
    from extractor.audit.features import Contact, FigureSet, PackageFeatures, Passage, Person, hash_id
    from extractor.audit.passages import encode_signature, masked, signature
    from extractor.model import PictureHash

    rng = random.Random(seed)
    template = [_text(rng, 40) for _ in range(60)]
    template_sigs = {t: encode_signature(signature(masked(t, []))) for t in template}
    packages = []
    for i in range(n):
        own = [_text(rng, rng.randrange(25, 70)) for _ in range(SENTENCES - TEMPLATE_SHARE)]
        shared = rng.sample(template, TEMPLATE_SHARE)
        passages = [Passage(text=t, signature=template_sigs[t]) for t in shared]
        passages += [Passage(text=t, signature=encode_signature(signature(masked(t, [])))) for t in own]
        people = []
        if i % 10 == 0:
            for p in range(20):
                number = f"42{rng.randrange(10**15):015d}{rng.randrange(10)}"
                people.append(Person(name=_text(rng, 2)[:2] + _text(rng, 1)[:1], list="insured", id_hash=hash_id(number),
                                     id_visible=f"{number[:6]}…{number[-4:]}", birth=number[6:14]))
        figures = [FigureSet(source=s, period="2024", values=[(f"k{m}", f"{rng.randrange(10**6)}.{rng.randrange(100):02d}") for m in range(6)],
                             fingerprint=f"{rng.getrandbits(128):032x}") for s in ("basic_info", "annual_report", "narrative")]
        pictures = [PictureHash(file=f"f{m}.jpg", phash=f"{rng.getrandbits(256):064x}", width=800, height=600) for m in range(3)]
        contacts = [Contact(kind="mobile", value=f"13{rng.randrange(10**9):09d}"), Contact(kind="email", value=f"u{i}@example.com")]
        packages.append(PackageFeatures(form="hb_evaluation", company=f"企业{i}有限公司", credit_code=f"91{i:016d}",
                                        period="2024", passages=passages, people=people, figures=figures,
                                        pictures=pictures, contacts=contacts))
    # planted: one copied run of sentences, one shared person, one reused picture
    if n >= 2:
        packages[1].passages[20:26] = [p.model_copy() for p in packages[0].passages[20:26]]
        if n > 10:
            packages[10].people.append(packages[0].people[0].model_copy())
        packages[1].pictures.append(packages[0].pictures[0].model_copy())
    return packages


def run_one(n: int) -> dict:
    from checkers.audit.model import AuditedPackage
    from checkers.audit.run import audit

    built = time.perf_counter()
    features = make_features(n)
    audited = [AuditedPackage(name=f"p{i}", features=f) for i, f in enumerate(features)]
    made = time.perf_counter()
    signals = audit(audited)
    done = time.perf_counter()
    return {"packages": n, "generate_s": round(made - built, 1), "audit_s": round(done - made, 1),
            "signals": len(signals), "rules": sorted({s.rule for s in signals}),
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def run_incremental(n: int) -> dict:
    """One package against `n` stored, as the service does when a check ends (SQLite)."""
    import json as _json
    import tempfile

    from checkers.audit.keys import audit_keys
    from checkers.audit.model import AuditedPackage
    from service.jobs.audit import compare_checked_package
    from service.store.db import AuditFeatures, AuditKey, Database, Package, User

    features = make_features(n + 1)
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/bench.db")
        db.upgrade()
        started = time.perf_counter()
        with db.session() as s:
            user = User(username="bench", role="province", password_hash="x")
            s.add(user)
            s.flush()
            s.add_all(Package(id=f"{i:08d}-0000-0000-0000-000000000000", name=f"p{i}", uploader_id=user.id, status="done")
                      for i in range(n + 1))
            s.flush()
            from sqlalchemy import insert

            for start in range(0, n, 500):
                rows, keys = [], []
                for i, f in enumerate(features[start:min(n, start + 500)], start):
                    pid = f"{i:08d}-0000-0000-0000-000000000000"
                    rows.append({"package_id": pid, "company_key": AuditedPackage(name=pid, features=f).company_key,
                                 "features": f.model_dump_json(), "updated_at": datetime.now(timezone.utc)})
                    keys += [{"package_id": pid, "kind": k, "key": v} for k, v in audit_keys(f)]
                s.execute(insert(AuditFeatures), rows)
                s.execute(insert(AuditKey), keys)
            s.commit()
        stored = time.perf_counter()
        new = features[n].model_copy(update={"passages": features[0].passages[:30] + features[n].passages[:10]})
        report = {"audit": _json.loads(new.model_dump_json())}
        t0 = time.perf_counter()
        with db.session() as s:
            found = compare_checked_package(s, f"{n:08d}-0000-0000-0000-000000000000", report)
        compared = time.perf_counter() - t0
        db.dispose()
    return {"stored": n, "store_s": round(stored - started, 1), "compare_s": round(compared, 3), "signals": found,
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Time and peak memory of the audit by size (figures only)")
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--incremental", type=int, default=10000, help="stored packages for the one-against-all timing (0: skip)")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--one-incremental", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one)))
        return 0
    if args.one_incremental:
        print(json.dumps(run_incremental(args.one_incremental)))
        return 0
    print(f"{'packages':>9} {'audit s':>8} {'peak MB':>8} {'signals':>8}  (features generated in s)")
    for n in (int(x) for x in args.sizes.split(",")):
        proc = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True, text=True, cwd=REPO)
        if proc.returncode != 0:
            print(f"{n:>9} failed: {proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else proc.returncode}")
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f"{r['packages']:>9} {r['audit_s']:>8} {r['peak_mb']:>8} {r['signals']:>8}  ({r['generate_s']}; {', '.join(r['rules'])})", flush=True)
    if args.incremental:
        proc = subprocess.run([sys.executable, __file__, "--one-incremental", str(args.incremental)], capture_output=True,
                              text=True, cwd=REPO)
        if proc.returncode != 0:
            print(f"incremental failed: {proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else proc.returncode}")
        else:
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            print(f"one package against {r['stored']} stored (SQLite): {r['compare_s']} s, {r['signals']} signals "
                  f"(storing them took {r['store_s']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
