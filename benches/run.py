#!/usr/bin/env python3
"""deckc's benchmark harness: one command, everything set up by the script.

    python3 benches/run.py            # 1k, 10k, 100k cards, 5 runs each
    python3 benches/run.py --1m       # also 1,000,000 cards (slow)
    python3 benches/run.py --quick    # 1k and 10k, 3 runs: a smoke test

What it does, in order:
1. builds, in release mode, deckc, the floor program (benches/floor) and the
   genanki-rs peer (benches/peers/genanki-rs), into $CARGO_TARGET_DIR or
   ./target;
2. creates target/bench-venv with genanki 0.13.1 from PyPI (once);
3. generates the corpora with benches/gen_corpus.py into
   target/bench-corpora (again whenever the generator changes);
4. runs every program on the same blocks corpus, each run a fresh process
   (deckc's newer package, its legacy one with `--package legacy`, JSON and
   `check`; the floor at Deflate 1 and 3 and at zstd 3; the peers):
   wall time (median and minimum of the runs), peak RSS (the child's own
   `ru_maxrss` from wait4), output size, and the per-stage `timing` lines
   that `deckc --timings` and the floor program print;
5. prints markdown tables (and saves them to target/bench-results.md):
   whole-process numbers, ratios against the peers and the floor, where
   deckc's time goes, and every syntax at one size.

A run that takes longer than --slow seconds is not repeated (its row says
how many runs it had), so genanki-rs at 100k cards does not take an hour.
Nothing here runs in CI; `cargo test` never times anything.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benches"))
import gen_corpus  # noqa: E402  (the generator is a module of its own)

TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")).resolve()
WORK = ROOT / "target"
CORPORA = WORK / "bench-corpora"
VENV = WORK / "bench-venv"
OUT_DIR = WORK / "bench-out"
GENANKI = "genanki==0.13.1"
# Fixed note modification time, so deckc's output is the same on every run.
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1700000000", NO_COLOR="1")

TIMING = re.compile(r"^timing (\S+)\s+([0-9.]+) ms$", re.M)
# Per-rule lint times, printed under DECKC_LINT_PROFILE=1.
LINT = re.compile(r"^lint (\S+)\s+([0-9.]+) ms$", re.M)
CARDS = re.compile(r"(\d+) cards?\b")


@dataclass
class Program:
    """One thing to time: how to run it on a corpus."""

    name: str
    argv: object  # (corpus, out) -> list[str]
    ext: str
    peer: bool = False
    # The legacy package's pair (deckc apkg legacy, its floor): up to
    # --legacy-max cards only.
    legacy: bool = False
    env: dict = field(default_factory=dict)


@dataclass
class Result:
    program: str
    size: int
    runs: list = field(default_factory=list)  # seconds
    rss_kb: list = field(default_factory=list)
    stages: dict = field(default_factory=dict)  # name -> [ms]
    lint: dict = field(default_factory=dict)  # rule -> [ms]
    out_bytes: int = 0
    cards: int | None = None
    error: str | None = None

    @property
    def median(self):
        return statistics.median(self.runs) if self.runs else None


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def sh(argv, **kw) -> None:
    log(" ".join(map(str, argv)))
    subprocess.run(argv, check=True, env=dict(ENV, CARGO_TARGET_DIR=str(TARGET)), **kw)


def build() -> None:
    cargo = ["cargo", "build", "--release", "--quiet"]
    sh(cargo + ["--bin", "deckc"], cwd=ROOT)
    sh(cargo + ["--manifest-path", str(ROOT / "benches/floor/Cargo.toml")])
    sh(cargo + ["--manifest-path", str(ROOT / "benches/peers/genanki-rs/Cargo.toml")])


def venv() -> Path:
    python = VENV / "bin" / "python"
    probe = [str(python), "-c", "import importlib.metadata as m; print(m.version('genanki'))"]
    if python.exists():
        have = subprocess.run(probe, capture_output=True, text=True)
        if have.returncode == 0 and have.stdout.strip() == GENANKI.split("==")[1]:
            return python
    sh([sys.executable, "-m", "venv", str(VENV)])
    sh([str(python), "-m", "pip", "install", "--quiet", GENANKI])
    return python


def corpora(wanted) -> None:
    """Generates what is missing; everything again if the generator changed."""
    stamp = CORPORA / "GENERATOR.sha256"
    digest = hashlib.sha256(Path(gen_corpus.__file__).read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text().strip() != digest:
        log("generator changed: regenerating corpora")
        shutil.rmtree(CORPORA)
    CORPORA.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest + "\n")
    for syntax, size in sorted(set(wanted)):
        if not Path(gen_corpus.path_for(str(CORPORA), syntax, size)).exists():
            log(f"generating {syntax} {size}")
            gen_corpus.generate(str(CORPORA), syntax, size)


# A child forked from this Python process starts its peak RSS at Python's
# own size (Linux keeps the high-water mark across exec), so the peak is
# taken by GNU time, a small C program, when it is installed.
GNU_TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None


def run_once(argv, out: Path, env: dict | None = None) -> tuple[float, int, str, int]:
    """Wall seconds, peak RSS (KiB), stderr, exit code of one fresh process."""
    with tempfile.TemporaryFile() as err, open(os.devnull, "wb") as null, \
            tempfile.NamedTemporaryFile("r") as peak:
        if GNU_TIME:
            argv = [GNU_TIME, "-f", "%M", "-o", peak.name, *argv]
        start = time.perf_counter()
        p = subprocess.Popen(argv, stdout=null, stderr=err, env=dict(ENV, **(env or {})), cwd=OUT_DIR)
        # wait4 gives this child's own peak RSS, unmixed with earlier runs.
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - start
        p.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
        rss = usage.ru_maxrss
        if GNU_TIME:
            numbers = [int(l) for l in peak.read().split() if l.isdigit()]
            rss = numbers[-1] if numbers else rss
    return wall, rss, text, p.returncode


def run_into(res: Result, prog: Program, corpus: Path, size: int, i: int, slow: float) -> bool:
    """One run of `prog`, added to `res`; whether another run is wanted."""
    out = OUT_DIR / f"{prog.name.replace(' ', '-')}-{size}.{prog.ext}"
    if out.exists():
        out.unlink()
    wall, rss, err, code = run_once(prog.argv(corpus, out), out, prog.env)
    if code != 0 and not (prog.name.startswith("deckc check") and code == 1):
        last = [l for l in err.strip().splitlines() if l.strip()][-1:] or [f"exit {code}"]
        res.error = f"exit {code}: {last[0][:70]}"
        log(f"{prog.name} {size}: {res.error}")
        return False
    res.runs.append(wall)
    res.rss_kb.append(rss)
    for name, ms in TIMING.findall(err):
        res.stages.setdefault(name, []).append(float(ms))
    for name, ms in LINT.findall(err):
        res.lint.setdefault(name, []).append(float(ms))
    found = [int(n) for n in CARDS.findall(err)]
    res.cards = found[-1] if found else None
    if out.exists():
        res.out_bytes = out.stat().st_size
    log(f"{prog.name} {size}: run {i + 1} {wall:.3f} s, {rss / 1024:.0f} MB")
    return wall <= slow


def measure(progs: list[Program], corpus: Path, size: int, runs: int, slow: float) -> list[Result]:
    """Every program on one corpus, a round at a time: each round runs each
    program once. A machine that speeds up or slows down meanwhile (this
    one's wall times drift by several per cent over minutes) then moves
    every program's median alike instead of only the ones run during the
    change, and the ratios between them stay fair."""
    results = [Result(p.name, size) for p in progs]
    wanted = [True] * len(progs)
    for i in range(runs):
        for k, prog in enumerate(progs):
            if wanted[k]:
                wanted[k] = run_into(results[k], prog, corpus, size, i, slow)
    return results


# The levels of `--compression default` (src/emit/mod.rs; a unit test there
# keeps these equal to it): zstd in the newer package deckc writes by
# default (`Compression::zstd_level`), Deflate in the legacy one
# (`--package legacy`, `Compression::level`). The floor runs at both, each
# writing the same kind of package, so that "deckc ÷ floor" compares like
# with like: deckc apkg ÷ floor zstd-3, deckc apkg legacy ÷ floor -3.
DEFAULT_ZSTD_LEVEL = 3
DEFAULT_LEVEL = 3
FLOOR_DEFAULT = f"floor zstd-{DEFAULT_ZSTD_LEVEL}"
FLOOR_LEGACY = f"floor -{DEFAULT_LEVEL}"


def programs(python: Path) -> list[Program]:
    deckc = str(TARGET / "release" / "deckc")
    floor = str(TARGET / "release" / "deckc-bench-floor")
    grs = str(TARGET / "release" / "deckc-bench-genanki-rs")
    peer = str(ROOT / "benches/peers/genanki_peer.py")
    build = [deckc, "build", "--syntax", "blocks", "--no-lock", "--timings"]
    return [
        Program("deckc apkg", lambda c, o: build + [str(c), "-o", str(o)], "apkg"),
        # The legacy package (collection.anki2, Deflate), for every Anki.
        Program(
            "deckc apkg legacy",
            lambda c, o: build + ["--package", "legacy", str(c), "-o", str(o)],
            "apkg",
            legacy=True,
        ),
        # The same build without emitting beside the lints: what the overlap gains.
        Program("deckc apkg -j1", lambda c, o: build + ["--jobs", "1", str(c), "-o", str(o)], "apkg"),
        Program("deckc json", lambda c, o: build + [str(c), "-o", str(o)], "json"),
        Program(
            "deckc check",
            lambda c, o: [deckc, "check", "--syntax", "blocks", "--timings", str(c)],
            "none",
            env={"DECKC_LINT_PROFILE": "1"},
        ),
        # The legacy package at Deflate 1 (`fast`): the cheapest package.
        Program("floor -1", lambda c, o: [floor, str(c), str(o), "--level", "1"], "apkg"),
        # `--compression default`: the floor at the same level, same package.
        Program(FLOOR_DEFAULT, lambda c, o: [floor, str(c), str(o), "--zstd", str(DEFAULT_ZSTD_LEVEL)], "apkg"),
        Program(
            FLOOR_LEGACY,
            lambda c, o: [floor, str(c), str(o), "--level", str(DEFAULT_LEVEL)],
            "apkg",
            legacy=True,
        ),
        Program("genanki", lambda c, o: [str(python), peer, str(c), str(o)], "apkg", peer=True),
        Program("genanki-rs", lambda c, o: [grs, str(c), str(o)], "apkg", peer=True),
    ]


def fmt_s(x):
    return "–" if x is None else (f"{x:.3f}" if x < 10 else f"{x:.1f}")


def whole_table(results, sizes) -> list[str]:
    rows = [
        "| cards | program | median s | min s | runs | peak RSS MB | output MB | cards read |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for size in sizes:
        for r in (r for r in results if r.size == size):
            if r.error:
                rows.append(f"| {size:,} | {r.program} | {r.error} | | | | | |")
                continue
            out = f"{r.out_bytes / 1e6:.1f}" if r.out_bytes else "–"
            ok = "–" if r.cards is None else (f"{r.cards:,}" + ("" if r.cards == size else " ⚠"))
            rows.append(
                f"| {size:,} | {r.program} | {fmt_s(r.median)} | {fmt_s(min(r.runs))} | "
                f"{len(r.runs)} | {max(r.rss_kb) / 1024:.0f} | {out} | {ok} |"
            )
    return rows


def ratio_table(results, sizes) -> list[str]:
    def med(name, size):
        r = next((r for r in results if r.program == name and r.size == size), None)
        return r.median if r else None

    def ratio(a, b):
        return "–" if a is None or b is None else f"{a / b:.2f}×"

    rows = [
        "| cards | deckc apkg s | genanki ÷ deckc | genanki-rs ÷ deckc | "
        f"deckc apkg ÷ {FLOOR_DEFAULT} | deckc apkg legacy s | deckc apkg legacy ÷ {FLOOR_LEGACY} | "
        "deckc json ÷ floor -1 |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size in sizes:
        d, j = med("deckc apkg", size), med("deckc json", size)
        legacy = med("deckc apkg legacy", size)
        rows.append(
            f"| {size:,} | {fmt_s(d)} | {ratio(med('genanki', size), d)} | "
            f"{ratio(med('genanki-rs', size), d)} | {ratio(d, med(FLOOR_DEFAULT, size))} | "
            f"{fmt_s(legacy)} | {ratio(legacy, med(FLOOR_LEGACY, size))} | "
            f"{ratio(j, med('floor -1', size))} |"
        )
    rows.append("")
    rows.append(
        "Above 1× in the peer columns: deckc is faster; in the floor columns: deckc's overhead "
        f"against the floor writing the same package at the same level (`deckc apkg`, the newer "
        f"package at zstd {DEFAULT_ZSTD_LEVEL}, against {FLOOR_DEFAULT}; `--package legacy`, Deflate "
        f"{DEFAULT_LEVEL}, against {FLOOR_LEGACY}); the genanki peers write legacy packages. "
        "`deckc json` is against the cheapest package, the floor's Deflate 1."
    )
    return rows


def stage_table(results, sizes) -> list[str]:
    wanted = [r for r in results if r.program.startswith(("deckc", "floor")) and r.stages and not r.error]
    names: list[str] = []
    for r in wanted:
        for n in r.stages:
            if n not in names:
                names.append(n)
    rows = [
        "| cards | program | " + " | ".join(names) + " |",
        "|---:|---|" + "---:|" * len(names),
    ]
    for size in sizes:
        for r in (r for r in wanted if r.size == size):
            cells = [f"{statistics.median(r.stages[n]):.1f}" if n in r.stages else "" for n in names]
            rows.append(f"| {size:,} | {r.program} | " + " | ".join(cells) + " |")
    rows.append("")
    rows.append(
        "Milliseconds, median of the runs, from `--timings` (deckc) and the floor's own timers; "
        "compress is part of emit in deckc and of zip+write in the floor."
    )
    return rows


def growth(cur, prev):
    return "" if cur is None or not prev else f"{cur / prev:.1f}×"


def scaling_table(results, sizes) -> list[str]:
    """Time per size for deckc, and how it grows from one size to the next."""
    rows = [
        "| program | " + " | ".join(f"{n:,} s (growth)" for n in sizes) + " | µs per card at the largest |",
        "|---|" + "---:|" * (len(sizes) + 1),
    ]
    for name in ("deckc check", "deckc apkg", "deckc apkg legacy", "deckc json"):
        by = {r.size: r for r in results if r.program == name and not r.error and r.runs}
        if not by:
            continue
        cells, prev = [], None
        for n in sizes:
            med = by[n].median if n in by else None
            cells.append("–" if med is None else f"{fmt_s(med)} ({growth(med, prev)})".replace(" ()", ""))
            prev = med
        last = max(by)
        cells.append(f"{by[last].median / last * 1e6:.1f}")
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    rows.append("")
    rows.append("Growth: the time divided by the previous size's; 10× the cards should cost at most 11×.")
    return rows


def lint_table(results, sizes) -> list[str]:
    """Each lint rule's own time in `deckc check` (DECKC_LINT_PROFILE), per size."""
    by = {r.size: r for r in results if r.program == "deckc check" and r.lint and not r.error}
    if not by:
        return ["(no per-rule lint times)"]
    rules = sorted(
        {rule for r in by.values() for rule in r.lint},
        key=lambda rule: -statistics.median(by[max(by)].lint.get(rule, [0])),
    )
    have = [n for n in sizes if n in by]
    rows = [
        "| rule | " + " | ".join(f"{n:,} ms (growth)" for n in have) + " |",
        "|---|" + "---:|" * len(have),
    ]
    for rule in rules:
        cells, prev = [], None
        for n in have:
            ms = statistics.median(by[n].lint[rule]) if rule in by[n].lint else None
            cells.append("–" if ms is None else f"{ms:.1f} ({growth(ms, prev)})".replace(" ()", ""))
            prev = ms
        rows.append(f"| {rule} | " + " | ".join(cells) + " |")
    rows.append("")
    rows.append(
        "Milliseconds of each rule's own work (median of the runs); rules run two at a time, "
        "so the lint stage takes about half their sum. Growth under 1 s is noise-dominated."
    )
    return rows


def syntax_table(deckc: str, size: int, runs: int, slow: float) -> list[str]:
    rows = [
        f"| syntax ({size:,} cards) | input MB | build json s | check s | peak RSS MB | cards read |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for syntax in gen_corpus.SYNTAXES:
        corpus = Path(gen_corpus.path_for(str(CORPORA), syntax, size))
        base = ["--syntax", syntax]
        b, c = measure(
            [
                Program(f"deckc json {syntax}", lambda c, o: [deckc, "build", *base, "--no-lock", str(c), "-o", str(o)], "json"),
                Program(f"deckc check {syntax}", lambda c, o: [deckc, "check", *base, str(c)], "none"),
            ],
            corpus, size, runs, slow,
        )
        cards = "–" if b.cards is None else f"{b.cards:,}" + ("" if b.cards == size else " ⚠")
        rss = max(b.rss_kb + c.rss_kb) / 1024 if b.rss_kb + c.rss_kb else 0
        rows.append(
            f"| {syntax} | {corpus.stat().st_size / 1e6:.1f} | {b.error or fmt_s(b.median)} | "
            f"{c.error or fmt_s(c.median)} | {rss:.0f} | {cards} |"
        )
    return rows


def revision() -> str:
    git = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True, cwd=ROOT)
    return git.stdout.strip() or "unknown"


def startup(deckc: str, runs: int = 20) -> str:
    reference = ROOT / "input" / "sino-soviet.txt"
    times = [run_once([deckc, "check", str(reference)], OUT_DIR / "none")[0] for _ in range(runs)]
    return f"{statistics.median(times) * 1e3:.1f} ms (median of {runs}, min {min(times) * 1e3:.1f} ms)"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="deckc benchmarks (see the module doc)")
    ap.add_argument(
        "--1m",
        dest="million",
        action="store_true",
        help="also run 1,000,000 cards (deckc and floor only; the legacy pair only with --legacy-max)",
    )
    ap.add_argument("--quick", action="store_true", help="1k and 10k cards, 3 runs")
    ap.add_argument("--sizes", help="comma-separated card counts (default 1000,10000,100000)")
    ap.add_argument("--runs", type=int, default=5, help="runs per measurement (median reported)")
    ap.add_argument("--slow", type=float, default=10.0, help="do not repeat a run slower than this (s)")
    ap.add_argument("--peers-max", type=int, default=100_000, help="largest corpus the peers get")
    ap.add_argument(
        "--legacy-max",
        type=int,
        default=100_000,
        help=f"largest corpus the legacy package's pair (deckc apkg legacy, {FLOOR_LEGACY}) gets",
    )
    ap.add_argument("--syntax-size", type=int, default=10_000, help="corpus size for the per-syntax table")
    ap.add_argument("--no-build", action="store_true", help="use the binaries already built")
    args = ap.parse_args(argv)

    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else list(gen_corpus.DEFAULT_SIZES)
    runs = args.runs
    if args.quick:
        sizes, runs = [1_000, 10_000], min(runs, 3)
        args.syntax_size = 1_000
    if args.million:
        sizes.append(1_000_000)

    if not args.no_build:
        build()
    python = venv()
    corpora([("blocks", n) for n in sizes] + [(s, args.syntax_size) for s in gen_corpus.SYNTAXES])
    OUT_DIR.mkdir(parents=True, exist_ok=True)

    load_before = os.getloadavg()
    results = []
    for size in sizes:
        corpus = Path(gen_corpus.path_for(str(CORPORA), "blocks", size))
        progs = [
            p
            for p in programs(python)
            if not (p.peer and size > args.peers_max) and not (p.legacy and size > args.legacy_max)
        ]
        results.extend(measure(progs, corpus, size, runs, args.slow))
    deckc = str(TARGET / "release" / "deckc")
    syntaxes = syntax_table(deckc, args.syntax_size, runs, args.slow)
    start = startup(deckc)
    load_after = os.getloadavg()

    report = [
        f"## deckc benchmarks — {time.strftime('%Y-%m-%d %H:%M %Z')}",
        "",
        f"Machine: {os.cpu_count()} cores; load average {load_before[0]:.2f} before, "
        f"{load_after[0]:.2f} after; deckc at commit {revision()}.",
        f"Blocks corpus from benches/gen_corpus.py; wall time of the whole process; "
        f"median of up to {runs} runs (runs over {args.slow:g} s are not repeated).",
        "",
        "### Whole process",
        "",
        *whole_table(results, sizes),
        "",
        "### Ratios",
        "",
        *ratio_table(results, sizes),
        "",
        "### Scaling",
        "",
        *scaling_table(results, sizes),
        "",
        "### Lint rules (`deckc check`)",
        "",
        *lint_table(results, sizes),
        "",
        "### Where the time goes",
        "",
        *stage_table(results, sizes),
        "",
        "### Every syntax",
        "",
        *syntaxes,
        "",
        f"Startup (`deckc check` on the reference input): {start}",
        "",
    ]
    text = "\n".join(report)
    print(text)
    (WORK / "bench-results.md").write_text(text)
    log(f"saved to {WORK / 'bench-results.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
