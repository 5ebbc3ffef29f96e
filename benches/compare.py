#!/usr/bin/env python3
"""Compare quorum with other search tools on one corpus and one query set.

Builds an index of the same corpus with each engine, times the same queries
against each, and prints a Markdown report (machine, corpus, build time, peak
memory, index size, per-query latency and hit counts, ratios) on stdout; every
figure also goes to a JSON file. Progress goes to stderr.

Builds are timed in alternating runs: with `--build-runs N` (default 3) every
engine that builds an index builds it N times, in rounds (quorum, tantivy,
quorum, tantivy, ...), so that a slow minute of a shared machine falls on all
of them. The report gives the median of each build figure with its range, and
the build ratio is of medians. Each build runs under /usr/bin/time -v (peak
RSS), and its process's RssAnon in /proc/PID/status is sampled every 0.2 s
(peak anonymous memory, which the page cache of the index files does not
inflate). The queries run on the index of the last build.

Scale mode: `--sizes 10,100,1000` (instead of --corpus) runs the comparison on
scaled corpora of those sizes in MB, made by `scale-corpus OUT_DIR MB`
(../shared/tools/scale-corpus, or $QUORUM_SHARED/tools/scale-corpus; --scale-tool
or $QUORUM_SCALE_CORPUS to name another) in the folders c<MB> of --scaled-dir.
A folder that already holds that size is reused, so that the 1 GB corpus is
made once; one that holds anything else is left alone and stops the run. After
each size's report comes the cost-growth table: per size and engine, build
seconds, peak RSS, peak anonymous memory, index MB, the sums of medians (whole
page and search part) and the growth of each from the size before; then the
peak anonymous memory of quorum's build on the largest corpus. The JSON file
then holds `sizes` (one report each) and `growth`.

usage:
    python3 benches/compare.py (--corpus DIR | --sizes MB,MB,... [--scaled-dir DIR]
        [--scale-tool PATH]) [--queries FILE] [--work DIR]
        [--iterations N] [--warmup W] [--rg-runs N] [--build-runs N]
        [--engines quorum,tantivy,tantivy-passages,rg,xapian,sqlite] [--quorum BIN]
        [--tantivy BIN] [--out FILE.json] [--label TEXT] [--keep]

examples (from the repository root, after `cargo build --release`):
    python3 benches/compare.py --corpus ../shared/corpus --label "real corpus"
    python3 benches/compare.py --sizes 10,100,1000 --scaled-dir ../scaled \
        --engines quorum,tantivy,tantivy-passages

Engines:
    quorum   `quorum index` then `quorum bench --json`, twice: with the exact
             hit count and with `--no-count` (top 10 only). Its time is the
             whole page (`median_us`: search, stored text and snippets); a quorum
             that also gives `median_search_us` (match, top 10 and count, what
             `tantivy bench` times) gets search-part columns beside it, which
             show – with a binary that does not.
    tantivy  tantivy-cli 0.24.0 (`cargo install tantivy-cli --version 0.24.0`):
             body text with the en_stem tokenizer, positions, stored; id stored.
    tantivy-passages
             tantivy-cli as above on quorum's own passages, one document a
             passage: `quorum export` of quorum's index (of this run's quorum
             build, or of an untimed one when quorum is not compared), built and
             queried as `tantivy`. It has no target: it shows the cost of working
             on passages apart from the cost of quorum's own code. Its build time
             leaves out the export, whose time is in its notes.
    rg       ripgrep over the .jsonl files: one process per query, fixed string,
             case-insensitive, counting matching lines (= documents).
    xapian   python3-xapian (Debian): French or English stemmer per record.
    sqlite   SQLite FTS5, unicode61 remove_diacritics 2, bm25.
Xapian and SQLite run in child processes of this script (`compare.py worker ...`)
so that /usr/bin/time measures their build alone. An engine whose tool is
missing is skipped with a note.

Only the `.jsonl` files under --corpus are used (recursively). Each line is a
JSON record with at least `id`, `lang` (fr or en) and `text`.

The query file holds `QID<TAB>QUERY[<TAB>TANTIVY_CLI_FORM]` lines; its header
comment says how each engine is given each query. A comment line `# class: NAME`
puts the queries after it in the class NAME (single term, multi-term, phrase,
accents/forms, symbol in the shipped file), and the report sums the medians of
each class as well as of all the queries.

Standard library only (plus the optional xapian module).
"""

from __future__ import annotations

import argparse
import datetime
import glob
import json
import math
import os
import platform
import re
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_QUERIES = os.path.join(HERE, "compare-queries.tsv")
ENGINE_LABELS = {"quorum": "quorum", "tantivy": "tantivy-cli",
                 "tantivy-passages": "tantivy-passages", "rg": "ripgrep",
                 "xapian": "Xapian", "sqlite": "SQLite FTS5"}
ALL_ENGINES = tuple(ENGINE_LABELS)
# Debian's python3-xapian lives here; a pyenv or venv python does not see it.
DEBIAN_DIST_PACKAGES = "/usr/lib/python3/dist-packages"
# quorum's indexing memory budget by default (`quorum index --memory`), in bytes.
QUORUM_MEMORY_BYTES = 256_000_000
# How often the anonymous memory of a build is sampled, in seconds.
SAMPLE_SECONDS = 0.2


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# Queries


@dataclass
class Query:
    qid: str
    text: str
    tantivy: str | None = None  # the form given to tantivy-cli, when not `text`
    cls: str | None = None  # its class, from the `# class: NAME` line above it


CLASS_COMMENT = re.compile(r"#\s*class:\s*(.*\S)\s*$")


def load_queries(path: str) -> list[Query]:
    queries = []
    cls = None
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.startswith("#"):
                match = CLASS_COMMENT.match(line)
                if match:
                    cls = match.group(1)
                continue
            if not line.strip():
                continue
            cols = line.split("\t")
            if len(cols) not in (2, 3) or not all(cols):
                sys.exit(f"{path}:{number}: expected QID<TAB>QUERY[<TAB>TANTIVY_CLI_FORM]")
            queries.append(Query(*cols, cls=cls) if len(cols) == 3
                           else Query(cols[0], cols[1], cls=cls))
    return queries


def query_classes(queries: list[Query]) -> list[tuple[str, list[int]]]:
    """Each class in the order of its first query, with the indexes of its queries.
    Queries before any `# class:` line form the class "other"; no classes at all, none."""
    if all(q.cls is None for q in queries):
        return []
    classes: dict[str, list[int]] = {}
    for i, q in enumerate(queries):
        classes.setdefault(q.cls or "other", []).append(i)
    return list(classes.items())


def units(text: str) -> list[str]:
    """The query's "quoted phrases" (without their quotes) and bare words, in order."""
    return [m.group(1) if m.group(1) is not None else m.group(2)
            for m in re.finditer(r'"([^"]*)"|(\S+)', text)
            if (m.group(1) or m.group(2) or "").strip()]


def tantivy_form(q: Query) -> str:
    return q.tantivy or q.text


def rg_form(q: Query) -> str:
    """What a grep user types: the words, literally, without the quotes."""
    return " ".join(units(q.text))


def fts5_form(q: Query) -> str:
    """Each word and phrase as an FTS5 string, so `'` or `/` is never syntax."""
    return " ".join('"' + unit.replace('"', '""') + '"' for unit in units(q.text))


FORMS = {
    "quorum": lambda q: q.text,
    "tantivy": tantivy_form,
    "tantivy-passages": tantivy_form,
    "rg": rg_form,
    "xapian": lambda q: q.text,
    "sqlite": fts5_form,
}


# ---------------------------------------------------------------------------
# Measurements


def p95(samples: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


@dataclass
class BuildRun:
    """One timed build."""

    seconds: float
    peak_rss_bytes: int | None  # /usr/bin/time's maximum resident set size
    peak_anon_bytes: int | None  # the largest RssAnon sampled every SAMPLE_SECONDS
    index_bytes: int


def median_of(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


@dataclass
class Build:
    """An engine's builds, run --build-runs times interleaved with the other engines':
    the median of each figure, and its range."""

    seconds: float
    peak_rss_bytes: float | None
    index_bytes: int  # of the last build, the index the queries run on
    peak_anon_bytes: float | None = None
    runs: list[BuildRun] = field(default_factory=list)

    @staticmethod
    def of(runs: list[BuildRun]) -> "Build":
        return Build(median_of([r.seconds for r in runs]),
                     median_of([r.peak_rss_bytes for r in runs]), runs[-1].index_bytes,
                     median_of([r.peak_anon_bytes for r in runs]), runs)

    def span(self, attr: str) -> tuple[float, float] | None:
        values = [getattr(r, attr) for r in self.runs if getattr(r, attr) is not None]
        return (min(values), max(values)) if len(values) > 1 else None

    def to_json(self) -> dict:
        return {"seconds": self.seconds, "peak_rss_bytes": self.peak_rss_bytes,
                "index_bytes": self.index_bytes, "peak_anon_bytes": self.peak_anon_bytes,
                "runs": [vars(r) for r in self.runs]}


@dataclass
class QueryResult:
    qid: str
    form: str  # the exact text the engine was given
    hits: int | None
    median_us: float
    p95_us: float | None
    samples: int
    # The search part alone (match, top 10, count), when the engine times it apart
    # from the rest of its page: `quorum bench`'s median_search_us.
    median_search_us: float | None = None


@dataclass
class Run:
    """One engine's figures, or why it was skipped."""

    engine: str
    label: str
    what: str = ""  # what its query timing measures
    build: Build | None = None
    results: list[QueryResult] = field(default_factory=list)
    skipped: str | None = None
    exact_hits: bool = True  # False: its hit counts are lower bounds
    # True: its time is a whole page, and its search part gets columns of its own.
    page_and_search: bool = False
    notes: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # engine-specific figures, for the JSON

    @property
    def sum_median_us(self) -> float | None:
        if not self.results:
            return None
        return sum(r.median_us for r in self.results)

    @property
    def sum_median_search_us(self) -> float | None:
        """The sum of the search parts' medians; None when a query lacks one."""
        if not self.results or any(r.median_search_us is None for r in self.results):
            return None
        return sum(r.median_search_us for r in self.results)


def dir_bytes(path: str) -> int:
    if os.path.isfile(path):
        return os.path.getsize(path)
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            total += os.path.getsize(os.path.join(root, name))
    return total


def tantivy_segments(index: str) -> tuple[int, int]:
    """Segments and documents (max_doc) in the tantivy meta.json files under `index`."""
    segments = documents = 0
    for path in glob.glob(os.path.join(glob.escape(index), "**", "meta.json"), recursive=True):
        with open(path, encoding="utf-8") as f:
            meta = json.load(f)
        segments += len(meta["segments"])
        documents += sum(segment["max_doc"] for segment in meta["segments"])
    return segments, documents


def child_pids(pid: int) -> list[int]:
    """The children of a process, from /proc (its `children` file, else every stat)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        pass
    children = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as f:
                # The command name may hold spaces and parentheses: split after the last.
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(entry))
    return children


def rss_anon_bytes(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as f:
            for line in f:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


class AnonSampler:
    """Samples the RssAnon of a process's children (the command /usr/bin/time runs)
    every SAMPLE_SECONDS in a thread, keeping the largest: the peak of anonymous memory,
    which the page cache of the index files does not blur as it does the RSS."""

    def __init__(self, pid: int):
        self.pid = pid
        self.peak: int | None = None
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()

    def sample(self) -> None:
        while not self.done.wait(SAMPLE_SECONDS):
            values = [rss_anon_bytes(child) for child in child_pids(self.pid)]
            total = sum(v for v in values if v is not None)
            if any(v is not None for v in values) and (self.peak is None or total > self.peak):
                self.peak = total

    def stop(self) -> int | None:
        self.done.set()
        self.thread.join()
        return self.peak


def timed_build(cmd: list[str], index_path: str, work: str, name: str) -> tuple[BuildRun, str]:
    """Run a build command under /usr/bin/time -v; return its figures and stdout."""
    time_log = os.path.join(work, f"{name}.time")
    log(f"[{name}] build: {shlex.join(cmd)}")
    # Output goes to files, not pipes, so that the sampler's thread and a long output
    # never stall the build.
    with tempfile.TemporaryFile("w+", encoding="utf-8", dir=work) as out, \
            tempfile.TemporaryFile("w+", encoding="utf-8", dir=work) as err:
        start = time.perf_counter()
        proc = subprocess.Popen(["/usr/bin/time", "-v", "-o", time_log] + cmd,
                                stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        sampler = AnonSampler(proc.pid)
        returncode = proc.wait()
        seconds = time.perf_counter() - start
        anon = sampler.stop()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if returncode != 0:
        raise RuntimeError(f"{name} build failed ({returncode}):\n{stderr[-3000:]}")
    with open(time_log, encoding="utf-8") as f:
        match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", f.read())
    rss = int(match.group(1)) * 1024 if match else None
    return BuildRun(seconds, rss, anon, dir_bytes(index_path)), stdout


def remove_path(path: str) -> None:
    """Removes an index this script made (a folder or a file), if it is there."""
    if os.path.isdir(path):
        shutil.rmtree(path)
    elif os.path.exists(path):
        os.remove(path)


def run_checked(cmd: list[str], name: str) -> str:
    log(f"[{name}] {shlex.join(cmd)}")
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{name} failed ({proc.returncode}): {shlex.join(cmd)}\n"
                           f"{proc.stderr[-3000:]}")
    return proc.stdout


def first_line(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout
    except OSError:
        return "?"
    return out.strip().splitlines()[0] if out.strip() else "?"


def results_from_samples(queries: list[Query], engine: str,
                         samples: dict[str, list[float]],
                         hits: dict[str, int]) -> list[QueryResult]:
    return [
        QueryResult(q.qid, FORMS[engine](q), hits.get(q.qid), statistics.median(samples[q.qid]),
                    p95(samples[q.qid]), len(samples[q.qid]))
        for q in queries
    ]


# ---------------------------------------------------------------------------
# Context shared by the engines


@dataclass
class Context:
    args: argparse.Namespace
    work: str
    corpus_files: list[str]
    corpus_list: str  # a file naming the corpus files, one a line
    queries: list[Query]
    threads: int  # indexing threads, as quorum picks them
    quorum_index: str | None = None  # quorum's index, once built


# ---------------------------------------------------------------------------
# quorum


class Engine:
    """One engine: checked first, then built --build-runs times (each build interleaved
    with the other engines' builds: A B A B ...), then its queries timed on the index of
    its last build. An engine whose tool is missing says why in `run.skipped`."""

    name = ""
    builds = True  # False: nothing to build (ripgrep reads the files)

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.run = Run(self.name, ENGINE_LABELS[self.name], what=self.what())
        self.build_runs: list[BuildRun] = []

    def what(self) -> str:
        """What its query timing measures."""
        return ""

    @property
    def index(self) -> str:
        return os.path.join(self.ctx.work, self.name)

    def check(self) -> str | None:
        """Why the engine cannot run, or None."""
        return None

    def prepare(self) -> None:
        """Untimed work before the first build (converting the corpus)."""

    def build_once(self) -> BuildRun:
        raise NotImplementedError

    def built(self) -> None:
        """After the last build: notes on the index."""

    def bench(self) -> None:
        raise NotImplementedError

    def runs(self) -> list[Run]:
        return [self.run]


class QuorumEngine(Engine):
    name = "quorum"

    def __init__(self, ctx: Context):
        super().__init__(ctx)
        self.top10 = Run("quorum-top10", "quorum --no-count", exact_hits=False,
                         what="as quorum, without the exact hit count (top 10 only; its count "
                              "is a lower bound, left out of the hits table)")

    def what(self) -> str:
        return "in-process (`quorum bench`): parse, search, top 10 with snippets, hit count"

    def check(self) -> str | None:
        binary = self.ctx.args.quorum
        return None if os.access(binary, os.X_OK) else f"no executable at {binary}"

    def build_once(self) -> BuildRun:
        remove_path(self.index)
        build, _ = timed_build([self.ctx.args.quorum, "index", "--index", self.index,
                                *self.ctx.corpus_files, "--quiet"],
                               self.index, self.ctx.work, "quorum")
        self.ctx.quorum_index = self.index
        return build

    def built(self) -> None:
        segments, passages = tantivy_segments(self.index)
        self.run.notes.append(f"{first_line([self.ctx.args.quorum, '--version'])}; "
                              f"{segments} segments, {passages:,} passages")

    def bench(self) -> None:
        qfile = os.path.join(self.ctx.work, "queries.quorum.tsv")
        with open(qfile, "w", encoding="utf-8") as f:
            f.writelines(f"{q.qid}\t{q.text}\n" for q in self.ctx.queries)
        quorum_bench(self.ctx, self.run, self.index, qfile, no_count=False)
        # The second pass, `--no-count`: top 10 only, on the same index.
        try:
            quorum_bench(self.ctx, self.top10, self.index, qfile, no_count=True)
        except RuntimeError as e:
            self.top10.skipped = f"`quorum bench --no-count` failed: {str(e).splitlines()[0]}"

    def runs(self) -> list[Run]:
        if self.run.skipped and not self.top10.skipped:
            self.top10.skipped = "quorum was not built"
        return [self.run, self.top10]


def quorum_bench(ctx: Context, run: Run, index: str, qfile: str, no_count: bool) -> None:
    """`quorum bench --json`: fills run.results, and run.extra with its summary."""
    args = ctx.args
    cmd = [args.quorum, "bench", "--index", index, "--queries", qfile,
           "--iterations", str(args.iterations), "--warmup", str(args.warmup), "--json"]
    if no_count:
        cmd.append("--no-count")
    report = json.loads(run_checked(cmd, "quorum"))
    by_qid = {entry["qid"]: entry for entry in report.pop("per_query")}
    # `median_search_us` (and the report's `sum_median_search_us`) come with the quorum
    # that times the search part apart; an older binary has only the whole page.
    run.results = [
        QueryResult(q.qid, q.text, by_qid[q.qid]["hits"], by_qid[q.qid]["median_us"],
                    by_qid[q.qid]["p95_us"], report["iterations"],
                    by_qid[q.qid].get("median_search_us"))
        for q in ctx.queries
    ]
    run.page_and_search = True
    run.extra["bench"] = report


# ---------------------------------------------------------------------------
# tantivy-cli 0.24.0


def tantivy_meta() -> dict:
    """meta.json as `tantivy new` writes it (tantivy 0.24's Index::create_in_dir) for:

    body: Text, stored Y, fast N, indexed Y, tokenized Y, freqs Y, positions Y
          (`new` sets the tokenizer to en_stem);
    id:   Text, stored Y, fast N, indexed N. Not indexed because `bench` searches
          every indexed field: an indexed id would add a field to every query.
    """
    body = {"indexing": {"record": "position", "fieldnorms": True, "tokenizer": "en_stem"},
            "stored": True, "fast": False}
    ident = {"stored": True, "fast": False}
    return {
        "index_settings": {"docstore_compression": "lz4", "docstore_blocksize": 16384},
        "segments": [],
        "schema": [
            {"name": "body", "type": "text", "options": body},
            {"name": "id", "type": "text", "options": ident},
        ],
        "opstamp": 0,
    }


class TantivyEngine(Engine):
    name = "tantivy"

    def what(self) -> str:
        return ("in-process (`tantivy bench`): TopDocs(10) + Count, parse not timed, "
                "no doc fetch; whole µs")

    @property
    def binary(self) -> str:
        return self.ctx.args.tantivy

    @property
    def docs(self) -> str:
        return os.path.join(self.ctx.work, f"{self.name}-docs.json")

    def check(self) -> str | None:
        if not self.binary or not os.access(self.binary, os.X_OK):
            return f"no tantivy-cli at {self.binary or '~/.cargo/bin/tantivy'}"
        version = first_line([self.binary, "--version"])
        self.run.notes.append(version if "0.24" in version
                              else f"`{version}`, not tantivy-cli 0.24.0")
        return None

    def prepare(self) -> None:
        self.documents = write_tantivy_docs(
            self.docs, ({"id": r["id"], "body": r["text"]}
                        for r in read_records(self.ctx.corpus_files)))

    def build_once(self) -> BuildRun:
        remove_path(self.index)
        # `tantivy new` only asks questions: write the meta.json it would write.
        os.makedirs(self.index)
        with open(os.path.join(self.index, "meta.json"), "w", encoding="utf-8") as f:
            json.dump(tantivy_meta(), f, indent=2)
        build, out = timed_build(
            [self.binary, "index", "--index", self.index, "--file", self.docs,
             "--num_threads", str(self.ctx.threads), "--memory_size", str(self.memory)],
            self.index, self.ctx.work, self.name)
        _, indexed = tantivy_segments(self.index)
        if "Failed to add document" in out or indexed != self.documents:
            raise RuntimeError(f"tantivy-cli indexed {indexed} of {self.documents} documents\n"
                               f"{out[-2000:]}")
        return build

    @property
    def memory(self) -> int:
        # `-m` is split between the threads and each share is then passed to tantivy as
        # the *whole* writer budget: ask for threads x quorum's budget to get quorum's.
        return QUORUM_MEMORY_BYTES * self.ctx.threads

    def built(self) -> None:
        segments, _ = tantivy_segments(self.index)
        self.run.notes.append(
            f"{segments} segments; indexed with `-t {self.ctx.threads} -m {self.memory}` "
            f"(quorum's threads and {QUORUM_MEMORY_BYTES // 1_000_000} MB writer budget); "
            f"the JSON conversion before it is not timed")

    def bench(self) -> None:
        tantivy_bench(self.ctx, self.run, self.binary, self.index)


def write_tantivy_docs(path: str, docs) -> int:
    """Writes tantivy-cli's input, one JSON document a line; returns how many."""
    documents = 0
    with open(path, "w", encoding="utf-8") as out:
        for doc in docs:
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
            documents += 1
    return documents


def tantivy_bench(ctx: Context, run: Run, binary: str, index: str) -> None:
    qfile = os.path.join(ctx.work, "queries.tantivy.txt")
    with open(qfile, "w", encoding="utf-8") as f:
        f.write("\n".join(tantivy_form(q) for q in ctx.queries) + "\n")
    repeats = ctx.args.warmup + ctx.args.iterations
    out = run_checked([binary, "bench", "--index", index, "--queries", qfile,
                       "--num_repeat", str(repeats)], run.engine)
    search, fetch = parse_tantivy_bench(out, len(ctx.queries), repeats)
    # Both sections go round by round through the whole query list.
    n, skip = len(ctx.queries), ctx.args.warmup * len(ctx.queries)
    samples = {q.qid: [micros for _, micros in search[skip + i::n]]
               for i, q in enumerate(ctx.queries)}
    hits = {q.qid: search[i][0] for i, q in enumerate(ctx.queries)}
    run.results = results_from_samples(ctx.queries, run.engine, samples, hits)
    # `tantivy bench` times the search part only: match, top 10 and count.
    for result in run.results:
        result.median_search_us = result.median_us
    fetch_medians = {q.qid: statistics.median(fetch[skip + i::n])
                     for i, q in enumerate(ctx.queries)}
    run.extra["fetch_store_median_us"] = fetch_medians
    run.notes.append(f"its FETCH STORE pass (loading the top 10 stored docs, timed apart) "
                     f"would add {sum(fetch_medians.values()):.0f} µs to the sum of medians")


def parse_tantivy_bench(out: str, n_queries: int,
                        repeats: int) -> tuple[list[tuple[int, int]], list[int]]:
    """Parse `tantivy bench` output.

    It prints a SEARCH section, `query<TAB>count<TAB>micros` for each query of each
    repeat in order, then a FETCH STORE section, `query<TAB>micros`.
    """
    search: list[tuple[int, int]] = []
    fetch: list[int] = []
    section = None
    for line in out.splitlines():
        if line == "SEARCH":
            section = search
        elif line == "FETCH STORE":
            section = fetch
        elif section is None or not line or line.startswith("query\t"):
            continue
        elif section is search:
            _, count, micros = line.rsplit("\t", 2)
            search.append((int(count), int(micros)))
        else:
            fetch.append(int(line.rsplit("\t", 1)[1]))
    expected = n_queries * repeats
    if len(search) != expected or len(fetch) != expected:
        raise RuntimeError(f"tantivy bench: expected {expected} timings per section, "
                           f"got {len(search)} and {len(fetch)}")
    return search, fetch


# ---------------------------------------------------------------------------
# ripgrep


class TantivyPassagesEngine(TantivyEngine):
    """tantivy-cli on quorum's own passages, one document a passage: what working on
    passages costs, apart from what quorum's own code costs. It has no target."""

    name = "tantivy-passages"

    def what(self) -> str:
        return ("as tantivy-cli, on quorum's passages (`quorum export` of quorum's index), "
                "one tantivy document a passage; no target: it shows the cost of passages "
                "apart from quorum's own code")

    def check(self) -> str | None:
        if not os.access(self.ctx.args.quorum, os.X_OK):
            return f"no quorum executable at {self.ctx.args.quorum} to export passages"
        return super().check()

    def prepare(self) -> None:
        ctx = self.ctx
        quorum_index = ctx.quorum_index
        if quorum_index is None:
            # quorum is not compared (or comes later): an untimed index of its own.
            quorum_index = os.path.join(ctx.work, "quorum-for-passages")
            remove_path(quorum_index)
            run_checked([ctx.args.quorum, "index", "--index", quorum_index,
                         *ctx.corpus_files, "--quiet"], self.name)
        exported = os.path.join(ctx.work, "quorum-passages.jsonl")
        remove_path(exported)  # this script's own file, from an earlier run in --work
        start = time.perf_counter()
        run_checked([ctx.args.quorum, "export", "--index", quorum_index, "--out", exported],
                    self.name)
        seconds = time.perf_counter() - start

        def docs():
            with open(exported, encoding="utf-8") as f:
                for line in f:
                    p = json.loads(line)
                    yield {"id": f"{p['id']}/{p.get('doc_lang', p['lang'])}/{p['passage']}",
                           "body": p["text"]}

        self.documents = write_tantivy_docs(self.docs, docs())
        os.remove(exported)
        self.run.extra["export_seconds"] = seconds
        self.run.notes.append(f"{self.documents:,} passages exported by `quorum export` in "
                              f"{seconds:.2f} s, not counted in its build time")


class RgEngine(Engine):
    name = "rg"
    builds = False

    def what(self) -> str:
        return (f"one `rg --count --ignore-case --fixed-strings` process per query over the "
                f".jsonl files, wall time, {self.ctx.args.rg_runs} runs; counts matching lines")

    def check(self) -> str | None:
        self.binary = shutil.which("rg")
        return None if self.binary else "rg not found"

    def bench(self) -> None:
        ctx, run, binary = self.ctx, self.run, self.binary
        runs = ctx.args.rg_runs
        run.notes.append(f"{first_line([binary, '--version'])}; the literal words of each "
                         f"query with the quotes removed, searched in the raw JSON lines")
        samples = {q.qid: [] for q in ctx.queries}
        hits = {}
        for q in ctx.queries:
            cmd = [binary, "--no-config", "--count", "--with-filename", "--ignore-case",
                   "--fixed-strings", "--", rg_form(q), *ctx.corpus_files]
            for _ in range(runs + 1):  # the first run warms up
                start = time.perf_counter()
                proc = subprocess.run(cmd, capture_output=True, text=True)
                samples[q.qid].append((time.perf_counter() - start) * 1e6)
                if proc.returncode not in (0, 1):  # 1: no match
                    raise RuntimeError(f"rg failed: {proc.stderr}")
            samples[q.qid].pop(0)
            hits[q.qid] = sum(int(line.rsplit(":", 1)[1]) for line in proc.stdout.splitlines())
        run.results = results_from_samples(ctx.queries, "rg", samples, hits)


# ---------------------------------------------------------------------------
# Xapian and SQLite FTS5: built and timed in child processes of this script


def read_records(corpus_files: list[str]):
    for path in corpus_files:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield json.loads(line)


def import_xapian():
    """The xapian module, or None. Falls back to Debian's dist-packages."""
    try:
        import xapian
        return xapian
    except ImportError:
        pass
    if os.path.isdir(DEBIAN_DIST_PACKAGES) and DEBIAN_DIST_PACKAGES not in sys.path:
        sys.path.append(DEBIAN_DIST_PACKAGES)
        try:
            import xapian
            return xapian
        except ImportError:
            pass
    return None


def fts5_available() -> bool:
    try:
        sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        return True
    except sqlite3.Error:
        return False


XAPIAN_PREFIX = {"fr": "XF", "en": "XE"}  # one term space per language
XAPIAN_STEMMER = {"fr": "french", "en": "english"}


def xapian_build(index: str, corpus_files: list[str]) -> None:
    xapian = import_xapian()
    db = xapian.WritableDatabase(index, xapian.DB_CREATE_OR_OVERWRITE)
    generators = {}
    for lang, stemmer in XAPIAN_STEMMER.items():
        tg = xapian.TermGenerator()
        tg.set_stemmer(xapian.Stem(stemmer))
        tg.set_stemming_strategy(xapian.TermGenerator.STEM_SOME)
        generators[lang] = tg
    for record in read_records(corpus_files):
        lang = record.get("lang") if record.get("lang") in XAPIAN_STEMMER else "en"
        doc = xapian.Document()
        tg = generators[lang]
        tg.set_document(doc)
        tg.index_text(record["text"], 1, XAPIAN_PREFIX[lang])
        doc.set_data(record["id"])
        db.add_document(doc)
    db.commit()
    db.close()


def xapian_searcher(index: str):
    """A function: query text -> (exact hit count, top 10 docids)."""
    xapian = import_xapian()
    db = xapian.Database(index)
    total = db.get_doccount()
    parsers = {}
    for lang, stemmer in XAPIAN_STEMMER.items():
        qp = xapian.QueryParser()
        qp.set_database(db)
        qp.set_stemmer(xapian.Stem(stemmer))
        qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
        qp.set_default_op(xapian.Query.OP_AND)
        parsers[lang] = qp
    enquire = xapian.Enquire(db)

    def search(text: str) -> tuple[int, list[int]]:
        # The query in each language's term space, with that language's stemmer.
        query = xapian.Query(xapian.Query.OP_OR, [
            qp.parse_query(text, xapian.QueryParser.FLAG_DEFAULT, XAPIAN_PREFIX[lang])
            for lang, qp in parsers.items()
        ])
        enquire.set_query(query)
        mset = enquire.get_mset(0, 10, total)  # checkatleast = all: an exact count
        return mset.get_matches_estimated(), [m.docid for m in mset]

    return search


SQLITE_TABLE = "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, text, " \
               "tokenize = 'unicode61 remove_diacritics 2')"


def sqlite_build(index: str, corpus_files: list[str]) -> None:
    db = sqlite3.connect(index)
    db.execute(SQLITE_TABLE)
    with db:
        db.executemany("INSERT INTO docs(id, text) VALUES (?, ?)",
                       ((r["id"], r["text"]) for r in read_records(corpus_files)))
    with db:
        db.execute("INSERT INTO docs(docs) VALUES ('optimize')")
    db.close()


def sqlite_searcher(index: str):
    db = sqlite3.connect(index)

    def search(text: str) -> tuple[int, list[str]]:
        """Query text -> (hit count, top 10 ids)."""
        top = db.execute("SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 10",
                         (text,)).fetchall()
        (count,) = db.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (text,)).fetchone()
        return count, [row[0] for row in top]

    return search


WORKERS = {
    "xapian": (xapian_build, xapian_searcher),
    "sqlite": (sqlite_build, sqlite_searcher),
}


def worker_main(argv: list[str]) -> None:
    """`compare.py worker ENGINE build|bench ...`: runs in a child process."""
    parser = argparse.ArgumentParser(prog="compare.py worker")
    parser.add_argument("engine", choices=WORKERS)
    parser.add_argument("action", choices=("build", "bench"))
    parser.add_argument("--index", required=True)
    parser.add_argument("--corpus-list")
    parser.add_argument("--queries", help="a JSON list of [qid, query]")
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args(argv)
    build, searcher = WORKERS[args.engine]
    if args.action == "build":
        with open(args.corpus_list, encoding="utf-8") as f:
            build(args.index, f.read().splitlines())
        return
    search = searcher(args.index)
    with open(args.queries, encoding="utf-8") as f:
        queries = json.load(f)
    report = []
    for qid, text in queries:
        for _ in range(args.warmup):
            search(text)
        samples = []
        for _ in range(args.iterations):
            start = time.perf_counter()
            hits, _top = search(text)
            samples.append((time.perf_counter() - start) * 1e6)
        report.append({"qid": qid, "hits": hits, "samples_us": samples})
    json.dump(report, sys.stdout)


class WorkerEngine(Engine):
    """Xapian and SQLite FTS5: built and timed in child processes of this script."""

    index_name = ""

    @property
    def index(self) -> str:
        return os.path.join(self.ctx.work, self.index_name)

    @property
    def me(self) -> list[str]:
        return [sys.executable, os.path.abspath(__file__), "worker", self.name]

    def build_once(self) -> BuildRun:
        remove_path(self.index)
        build, _ = timed_build(self.me + ["build", "--index", self.index,
                                          "--corpus-list", self.ctx.corpus_list],
                               self.index, self.ctx.work, self.name)
        return build

    def bench(self) -> None:
        ctx, engine = self.ctx, self.name
        qfile = os.path.join(ctx.work, f"queries.{engine}.json")
        with open(qfile, "w", encoding="utf-8") as f:
            json.dump([[q.qid, FORMS[engine](q)] for q in ctx.queries], f, ensure_ascii=False)
        out = run_checked(self.me + ["bench", "--index", self.index, "--queries", qfile,
                                     "--iterations", str(ctx.args.iterations),
                                     "--warmup", str(ctx.args.warmup)], engine)
        report = json.loads(out)
        samples = {r["qid"]: r["samples_us"] for r in report}
        hits = {r["qid"]: r["hits"] for r in report}
        self.run.results = results_from_samples(ctx.queries, engine, samples, hits)
        self.run.notes.append("build and peak RSS include the Python interpreter and JSON "
                              "parsing")


class XapianEngine(WorkerEngine):
    name = "xapian"
    index_name = "xapian"

    def what(self) -> str:
        return ("in-process Python: QueryParser (AND, STEM_SOME, fr and en stemmers ORed), "
                "top 10 ids + exact count (checkatleast = all)")

    def check(self) -> str | None:
        xapian = import_xapian()
        if not xapian:
            return "the xapian Python module is not importable (apt-get install python3-xapian)"
        self.run.notes.insert(0, f"Xapian {xapian.version_string()}")
        return None


class SqliteEngine(WorkerEngine):
    name = "sqlite"
    index_name = "fts5.sqlite"

    def what(self) -> str:
        return "in-process Python: MATCH, top 10 by bm25, then count(*)"

    def check(self) -> str | None:
        self.run.notes.insert(0, f"SQLite {sqlite3.sqlite_version}; `optimize` after the "
                                 f"inserts")
        return None if fts5_available() else "this Python's sqlite3 has no FTS5"


ENGINES = {
    "quorum": QuorumEngine,
    "tantivy": TantivyEngine,
    "tantivy-passages": TantivyPassagesEngine,
    "rg": RgEngine,
    "xapian": XapianEngine,
    "sqlite": SqliteEngine,
}


def run_engines(ctx: Context) -> list[Run]:
    """Checks every engine, builds those that build in --build-runs interleaved rounds
    (A B A B ...), then times each one's queries on its last index."""
    engines = [ENGINES[name](ctx) for name in ctx.args.engines]

    def failed(engine: Engine, error: Exception) -> None:
        log(f"[{engine.name}] failed: {error}")
        engine.run.skipped = f"failed: {error}"
        engine.run.build, engine.run.results = None, []

    for engine in engines:
        try:
            engine.run.skipped = engine.check()
        except (RuntimeError, OSError, ValueError, KeyError) as e:
            failed(engine, e)
    builders = [e for e in engines if e.builds and not e.run.skipped]
    rounds = ctx.args.build_runs
    for number in range(1, rounds + 1):
        for engine in builders:
            if engine.run.skipped:
                continue
            try:
                if not engine.build_runs:
                    engine.prepare()
                log(f"[{engine.name}] build {number} of {rounds}")
                engine.build_runs.append(engine.build_once())
            except (RuntimeError, OSError, ValueError, KeyError) as e:
                failed(engine, e)
    for engine in engines:
        if engine.run.skipped:
            continue
        try:
            if engine.build_runs:
                engine.run.build = Build.of(engine.build_runs)
                engine.built()
            engine.bench()
        except (RuntimeError, OSError, ValueError, KeyError) as e:
            failed(engine, e)
    runs = [run for engine in engines for run in engine.runs()]
    for run in runs:
        if run.skipped:
            log(f"[{run.engine}] skipped: {run.skipped}")
    return runs


# ---------------------------------------------------------------------------
# Report


def machine() -> dict:
    cpu = "?"
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with open("/proc/meminfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    return {"nproc": len(os.sched_getaffinity(0)), "memory_gb": round(mem_kb / 1024 ** 2, 1),
            "cpu": cpu, "kernel": platform.release(), "python": platform.python_version(),
            "loadavg_1min": os.getloadavg()[0]}


def fmt_us(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def fmt_ratio(a: float | None, b: float | None) -> str:
    if a is None or not b:
        return "–"
    return f"{a / b:.2f}×"


def mb(n: float | None) -> str:
    return "–" if n is None else f"{n / 1e6:,.1f}"


def build_cell(build: Build | None, attr: str, fmt) -> str:
    """A build figure: the median, and the range of the runs when there are several."""
    if build is None or getattr(build, attr) is None:
        return "–"
    span = build.span(attr)
    return fmt(getattr(build, attr)) + (f" ({fmt(span[0])}–{fmt(span[1])})" if span else "")


def builds_line(runs: int) -> str:
    if runs == 1:
        return ("one build of each engine; peak anon is the largest RssAnon of the build "
                f"process, sampled every {SAMPLE_SECONDS} s")
    return (f"{runs} of each engine, interleaved (A B A B ...); the median, with the range "
            f"in parentheses, and ratios of medians; peak anon is the largest RssAnon of the "
            f"build process, sampled every {SAMPLE_SECONDS} s")


def markdown(meta: dict, runs: list[Run], queries: list[Query]) -> str:
    m, c = meta["machine"], meta["corpus"]
    done = [r for r in runs if not r.skipped]
    by_name = {r.engine: r for r in runs}
    tcli = by_name.get("tantivy")
    tcli = tcli if tcli and not tcli.skipped else None
    lines = [
        f"### Side-by-side comparison{' — ' + meta['label'] if meta['label'] else ''}",
        "",
        f"- date: {meta['date']}",
        f"- machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gb']} GB RAM, "
        f"Linux {m['kernel']}, Python {m['python']}; load average "
        f"{m['loadavg_1min']:.2f} at the start",
        f"- corpus: {c['mb']:.1f} MB in {c['files']} .jsonl files, {c['documents']:,} documents",
        f"- queries: {len(queries)}, each run {meta['warmup']} times unmeasured then "
        f"{meta['iterations']} times (ripgrep: 1 then {meta['rg_runs']})",
        f"- reproduce: `{meta['command']}`",
        f"- builds: {builds_line(meta['build_runs'])}",
        "",
        "| engine | build s | peak RSS MB | peak anon MB | index MB | Σ median µs "
        "| Σ search µs | build | size | Σ median | Σ search |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in done:
        b = r.build
        t = tcli.build if tcli else None
        lines.append(
            f"| {r.label} | {build_cell(b, 'seconds', lambda v: f'{v:.2f}')} "
            f"| {build_cell(b, 'peak_rss_bytes', mb)} | {build_cell(b, 'peak_anon_bytes', mb)} "
            f"| {mb(b.index_bytes) if b else '–'} "
            f"| {fmt_us(r.sum_median_us)} | {fmt_us(r.sum_median_search_us)} "
            f"| {fmt_ratio(b.seconds, t.seconds) if b and t else '–'} "
            f"| {fmt_ratio(b.index_bytes, t.index_bytes) if b and t else '–'} "
            f"| {fmt_ratio(r.sum_median_us, tcli.sum_median_us) if tcli else '–'} "
            f"| {fmt_ratio(r.sum_median_search_us, tcli.sum_median_us) if tcli else '–'} |")
    lines += ["", "Σ median is the sum of the medians of what each engine times: for quorum "
                  "the whole page (search, stored text and snippets). Σ search is the search "
                  "part alone (match, top 10 and count), what `tantivy bench` times, so that "
                  "for tantivy-cli both are one figure; – where an engine does not time it "
                  "apart."]
    lines += ["The last four columns are ratios to tantivy-cli in this run, both sums to its "
              "sum (< 1× is smaller or faster)." if tcli else "tantivy-cli was not measured: "
              "no ratios."]
    quorum, rg = by_name.get("quorum"), by_name.get("rg")
    if quorum and rg and quorum.sum_median_us and rg.sum_median_us:
        ratio = fmt_ratio(quorum.sum_median_us, rg.sum_median_us)
        lines.append(f"quorum's sum of medians is {ratio} ripgrep's "
                     f"({rg.sum_median_us / quorum.sum_median_us:.0f} times faster).")

    classes = query_classes(queries)
    if classes:
        lines += ["", "Per query class: Σ median µs, and Σ search µs for quorum's search "
                      "part" + (" (ratio to tantivy-cli's Σ for the class)." if tcli else "."),
                  ""]
        lines += per_class_table(timing_columns(done), classes, tcli)

    lines += ["", "Per query: median / p95 latency in µs; quorum's search part: median.", ""]
    lines += per_query_table(timing_columns(done), queries, (
        lambda res: f"{fmt_us(res.median_us)} / {fmt_us(res.p95_us)}",
        lambda res: fmt_us(res.median_search_us)))
    lines += ["", "Per query: hits. Documents, except for quorum and tantivy-passages, which "
                  "count passages (a document has many); ripgrep counts matching lines, i.e. "
                  "documents, one JSON record a line."]
    lines += ["", "tantivy-cli, Xapian and SQLite FTS5 index each record's `text` only "
                  "(tantivy-passages each passage's text); quorum also indexes its metadata "
                  "(`symbol`, `title`, ...), and ripgrep reads the whole JSON line.", ""]
    lines += per_query_table([(r.label, r, False) for r in done if r.exact_hits], queries,
                             (lambda res: "–" if res.hits is None else f"{res.hits:,}", None))

    by_engine = {r.engine for r in done}
    lines += ["", "How the queries were given to the other engines:", ""]
    if by_engine & {"tantivy", "tantivy-passages"}:
        lines += [f"- tantivy-cli: `{q.text}` as `{tantivy_form(q)}`" for q in queries
                  if tantivy_form(q) != q.text]
    if "rg" in by_engine:
        lines.append("- ripgrep: the literal text, quotes removed (`\"maintien de la paix\"` "
                     "as `maintien de la paix`)")
    if "sqlite" in by_engine:
        lines.append("- SQLite FTS5: each word and phrase double-quoted (`l'Organisation` as "
                     "`\"l'Organisation\"`)")
    if "xapian" in by_engine:
        lines.append("- Xapian: as is")

    lines += ["", "What each engine's query time measures, then details:", ""]
    for r in runs:
        if r.skipped:
            lines.append(f"- {r.label}: skipped — {r.skipped.splitlines()[0]}")
            continue
        notes = "; ".join(r.notes)
        lines.append(f"- {r.label}: {r.what}{'. ' + notes if notes else ''}.")
    return "\n".join(lines) + "\n"


Column = tuple[str, Run, bool]  # header, run, True for its search part


def timing_columns(runs: list[Run]) -> list[Column]:
    """A column for each run, and one more for the search part of a run that times a
    whole page (quorum), shown as – when its binary does not report it."""
    columns = []
    for r in runs:
        columns.append((r.label, r, False))
        if r.page_and_search:
            columns.append((f"{r.label} search", r, True))
    return columns


def per_query_table(columns: list[Column], queries: list[Query], cells) -> list[str]:
    """`cells`: the cell of a result, and that of its search part."""
    lines = ["| query | " + " | ".join(header for header, _, _ in columns) + " |",
             "| --- | " + " | ".join("---:" for _ in columns) + " |"]
    for i, q in enumerate(queries):
        row = [cells[search](r.results[i]) if r.results else "–" for _, r, search in columns]
        lines.append(f"| `{q.text}` | " + " | ".join(row) + " |")
    return lines


def class_sum(run: Run, members: list[int], search: bool = False) -> float | None:
    if not run.results:
        return None
    values = [run.results[i].median_search_us if search else run.results[i].median_us
              for i in members]
    return None if None in values else sum(values)


def per_class_table(columns: list[Column], classes: list[tuple[str, list[int]]],
                    tcli: Run | None) -> list[str]:
    lines = ["| class | queries | " + " | ".join(header for header, _, _ in columns) + " |",
             "| --- | ---: | " + " | ".join("---:" for _ in columns) + " |"]
    for name, members in classes:
        base = class_sum(tcli, members) if tcli else None
        cells = []
        for _, r, search in columns:
            total = class_sum(r, members, search)
            ratio = f" ({fmt_ratio(total, base)})" if base and total is not None else ""
            cells.append(fmt_us(total) + ratio)
        lines.append(f"| {name} | {len(members)} | " + " | ".join(cells) + " |")
    return lines


def to_json(meta: dict, runs: list[Run], queries: list[Query]) -> dict:
    engines = {}
    classes = query_classes(queries)
    for r in runs:
        engines[r.engine] = {
            "label": r.label, "skipped": r.skipped, "measures": r.what, "notes": r.notes,
            "build": None if r.build is None else r.build.to_json(),
            "sum_median_us": r.sum_median_us,
            "sum_median_search_us": r.sum_median_search_us,
            "classes": {name: class_sum(r, members) for name, members in classes},
            "classes_search": {name: class_sum(r, members, search=True)
                               for name, members in classes},
            "per_query": [vars(res) for res in r.results],
            **r.extra,
        }
    return {**meta, "queries": [vars(q) for q in queries], "engines": engines}


# ---------------------------------------------------------------------------
# Main


def find_corpus_files(corpus: str) -> list[str]:
    files = sorted(glob.glob(os.path.join(glob.escape(corpus), "**", "*.jsonl"), recursive=True))
    if not files:
        sys.exit(f"no .jsonl files under {corpus}")
    return [os.path.abspath(p) for p in files]


def corpus_stats(files: list[str]) -> dict:
    documents = 0
    for path in files:
        with open(path, "rb") as f:
            documents += sum(1 for line in f if line.strip())
    size = sum(os.path.getsize(p) for p in files)
    return {"files": len(files), "bytes": size, "mb": size / 1e6, "documents": documents}


def compare(args: argparse.Namespace, argv: list[str], corpus: str, work: str,
            label: str) -> tuple[dict, list[Run], list[Query]]:
    """One comparison: every engine on one corpus, its indexes in `work`."""
    corpus_files = find_corpus_files(corpus)
    queries = load_queries(args.queries)
    os.makedirs(work, exist_ok=True)
    for name in ("quorum", "tantivy", "tantivy-passages", "quorum-for-passages", "xapian",
                 "fts5.sqlite"):
        remove_path(os.path.join(work, name))
    corpus_list = os.path.join(work, "corpus-files.txt")
    with open(corpus_list, "w", encoding="utf-8") as f:
        f.write("\n".join(corpus_files) + "\n")
    ctx = Context(args, work, corpus_files, corpus_list, queries,
                  threads=max(1, min(len(os.sched_getaffinity(0)), 4)))
    meta = {
        "label": label,
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "command": shlex.join(["python3", os.path.relpath(os.path.abspath(__file__))]
                              + argv),
        "machine": machine(),
        "corpus": {"path": corpus, **corpus_stats(corpus_files)},
        "iterations": args.iterations,
        "warmup": args.warmup,
        "rg_runs": args.rg_runs,
        "build_runs": args.build_runs,
    }
    log(f"work folder: {work}")
    return meta, run_engines(ctx), queries


# ---------------------------------------------------------------------------
# Scale mode: the comparison at several corpus sizes, and how each cost grows


def size_name(size: float) -> str:
    return f"{size:g}"


def scaled_holds(folder: str, size: float) -> bool:
    """True when `folder` holds what `scale-corpus folder size` writes: its two files,
    and .jsonl files of `size` MB in all, give or take the last record."""
    if not all(os.path.isfile(os.path.join(folder, f"scaled.{lang}.jsonl"))
               for lang in ("fr", "en")):
        return False
    files = glob.glob(os.path.join(glob.escape(folder), "**", "*.jsonl"), recursive=True)
    total = sum(os.path.getsize(p) for p in files)
    target = size * 1e6
    return target <= total <= target + max(1e6, 0.01 * target)


def scaled_corpus(args: argparse.Namespace, size: float, work: str) -> str:
    """The folder of the scaled corpus of `size` MB: `c<size>` under --scaled-dir (made
    there by scale-corpus unless it already holds that size), else under the work
    folder."""
    base = args.scaled_dir or os.path.join(work, "scaled")
    folder = os.path.join(base, f"c{size_name(size)}")
    if scaled_holds(folder, size):
        log(f"reusing the {size_name(size)} MB scaled corpus in {folder}")
        return folder
    if os.path.exists(folder) and os.listdir(folder):
        sys.exit(f"{folder} exists and does not hold a {size_name(size)} MB scaled corpus "
                 f"(scaled.fr.jsonl and scaled.en.jsonl of {size_name(size)} MB in all): it is "
                 f"left as it is; give another --scaled-dir")
    tool = args.scale_tool
    if not os.path.isfile(tool):
        sys.exit(f"no scale-corpus at {tool}: give --scale-tool or set QUORUM_SCALE_CORPUS")
    command = [tool] if os.access(tool, os.X_OK) else [sys.executable, tool]
    log(f"making a {size_name(size)} MB scaled corpus in {folder}")
    run_checked(command + [folder, size_name(size)], "scale-corpus")
    if not scaled_holds(folder, size):
        sys.exit(f"{tool} did not write a {size_name(size)} MB corpus in {folder}")
    return folder


GROWTH_FIGURES = (  # name, header, format, value of a run
    ("build_seconds", "build s", lambda v: f"{v:.2f}",
     lambda r: r.build.seconds if r.build else None),
    ("peak_rss_bytes", "peak RSS MB", mb, lambda r: r.build.peak_rss_bytes if r.build else None),
    ("peak_anon_bytes", "peak anon MB", mb,
     lambda r: r.build.peak_anon_bytes if r.build else None),
    ("index_bytes", "index MB", mb, lambda r: r.build.index_bytes if r.build else None),
    ("sum_median_us", "Σ median µs", fmt_us, lambda r: r.sum_median_us),
    ("sum_median_search_us", "Σ search µs", fmt_us, lambda r: r.sum_median_search_us),
)


def growth_rows(sizes: list[tuple[float, dict, list[Run]]]) -> list[dict]:
    """Per size and engine, each figure and its growth from the size before."""
    rows, before = [], {}
    for size, meta, runs in sizes:
        for r in runs:
            if r.skipped:
                continue
            figures = {name: value(r) for name, _, _, value in GROWTH_FIGURES}
            previous = before.get(r.engine)
            growth = {name: (v / previous[name] if previous and v is not None
                             and previous.get(name) else None)
                      for name, v in figures.items()}
            rows.append({"size_mb": size, "corpus_mb": meta["corpus"]["mb"],
                         "engine": r.engine, "label": r.label, **figures, "growth": growth})
            before[r.engine] = figures
    return rows


def growth_markdown(label: str, sizes: list[tuple[float, dict, list[Run]]]) -> str:
    rows = growth_rows(sizes)
    header = "| corpus | engine | " + " | ".join(f"{h} | ×" for _, h, _, _ in GROWTH_FIGURES)
    lines = [f"### Cost growth{' — ' + label if label else ''}", "",
             "Per corpus size and engine: the figures of the comparisons above, and × their "
             "growth from the size before (build figures are medians of the alternating "
             "builds).", "",
             header + " |",
             "| ---: | --- | " + " | ".join("---: | ---:" for _ in GROWTH_FIGURES) + " |"]
    for row in rows:
        cells = []
        for name, _, fmt, _ in GROWTH_FIGURES:
            value, growth = row[name], row["growth"][name]
            cells += ["–" if value is None else fmt(value),
                      "" if growth is None else f"{growth:.1f}×"]
        lines.append(f"| {size_name(row['size_mb'])} MB | {row['label']} | "
                     + " | ".join(cells) + " |")
    corpora = [meta["corpus"]["mb"] for _, meta, _ in sizes]
    if len(corpora) > 1:
        steps = ", ".join(f"{b / a:.1f}×" for a, b in zip(corpora, corpora[1:]))
        lines += ["", "Corpus: " + " → ".join(f"{c:,.1f} MB" for c in corpora)
                  + f" ({steps})."]
    size, _, runs = sizes[-1]
    quorum = next((r for r in runs if r.engine == "quorum" and r.build), None)
    if quorum and quorum.build.peak_anon_bytes is not None:
        span = quorum.build.span("peak_anon_bytes")
        lines += ["", f"Peak anonymous memory of quorum's build on the largest corpus "
                      f"({size_name(size)} MB): {mb(quorum.build.peak_anon_bytes)} MB"
                      + (f" (median of {len(quorum.build.runs)} builds, "
                         f"{mb(span[0])}–{mb(span[1])})" if span else "")
                      + f", the largest RssAnon in /proc/PID/status, sampled every "
                        f"{SAMPLE_SECONDS} s."]
    return "\n".join(lines) + "\n"


def write_json(path: str, figures: dict) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(figures, f, indent=2, ensure_ascii=False)
        f.write("\n")
    log(f"figures written to {path}")


def parse_sizes(text: str) -> list[float]:
    try:
        sizes = [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a list of MB such as 10,100,1000")
    if not sizes or any(size <= 0 for size in sizes):
        raise argparse.ArgumentTypeError("sizes must be positive numbers of MB")
    return sizes


def shared_dir() -> str:
    """The shared data folder: $QUORUM_SHARED, or ../shared beside the repository."""
    return os.environ.get("QUORUM_SHARED") or os.path.join(REPO, "..", "shared")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Compare quorum with tantivy-cli, ripgrep, Xapian and SQLite FTS5.")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--corpus", help="folder of .jsonl files (recursive)")
    what.add_argument("--sizes", type=parse_sizes, metavar="MB,MB,...",
                      help="scale mode: the comparison on scaled corpora of these sizes in "
                           "MB (made by scale-corpus), then the cost-growth table")
    parser.add_argument("--scaled-dir", metavar="DIR",
                        help="with --sizes: the folder of the scaled corpora, one c<MB> "
                             "folder each, reused when it holds that size and made there "
                             "otherwise (default: in the work folder)")
    parser.add_argument("--scale-tool", metavar="PATH",
                        default=os.environ.get("QUORUM_SCALE_CORPUS")
                        or os.path.join(shared_dir(), "tools", "scale-corpus"),
                        help="the scale-corpus script (default: $QUORUM_SCALE_CORPUS, else "
                             "tools/scale-corpus in $QUORUM_SHARED or ../shared)")
    parser.add_argument("--queries", default=DEFAULT_QUERIES,
                        help="QID<TAB>QUERY[<TAB>TANTIVY_CLI_FORM] file (default: %(default)s)")
    parser.add_argument("--work", help="folder for the indexes (default: a temporary folder, "
                                       "removed at the end unless --keep)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--iterations", type=int, default=20,
                        help="measured runs of each query (default: %(default)s)")
    parser.add_argument("--warmup", type=int, default=2,
                        help="unmeasured runs of each query first (default: %(default)s)")
    parser.add_argument("--rg-runs", type=int, default=5,
                        help="measured ripgrep runs of each query (default: %(default)s)")
    parser.add_argument("--build-runs", type=int, default=3,
                        help="builds of each engine, interleaved (A B A B ...); the report "
                             "gives their median and range (default: %(default)s)")
    parser.add_argument("--engines", default=",".join(ALL_ENGINES),
                        help="comma-separated subset of %(default)s")
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(REPO, "target")
    parser.add_argument("--quorum", default=os.path.join(target, "release", "quorum"),
                        help="quorum binary (default: $CARGO_TARGET_DIR or target/, "
                             "then release/quorum)")
    parser.add_argument("--tantivy", default=shutil.which("tantivy") or os.path.expanduser(
        "~/.cargo/bin/tantivy"), help="tantivy-cli 0.24.0 binary (default: on PATH or "
                                      "~/.cargo/bin/tantivy)")
    parser.add_argument("--out", default="compare.json",
                        help="JSON file with every figure (default: %(default)s)")
    parser.add_argument("--label", default="", help="a title for this run")
    args = parser.parse_args(argv)
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = set(engines) - set(ALL_ENGINES)
    if unknown:
        parser.error(f"unknown engines: {', '.join(sorted(unknown))}")
    args.engines = engines
    if args.iterations < 1 or args.warmup < 0 or args.rg_runs < 1 or args.build_runs < 1:
        parser.error("--iterations, --rg-runs and --build-runs must be >= 1, --warmup >= 0")
    if args.scaled_dir and args.sizes is None:
        parser.error("--scaled-dir goes with --sizes")
    return args


def main(argv: list[str]) -> None:
    if argv[:1] == ["worker"]:
        worker_main(argv[1:])
        return
    args = parse_args(argv)
    args.quorum = os.path.abspath(args.quorum)
    if not os.access("/usr/bin/time", os.X_OK):
        sys.exit("/usr/bin/time is needed for peak RSS (apt-get install time)")
    temporary = args.work is None
    work = tempfile.mkdtemp(prefix="quorum-compare-") if temporary else args.work
    os.makedirs(work, exist_ok=True)
    try:
        if args.sizes is None:
            meta, runs, queries = compare(args, argv, args.corpus, work, args.label)
            write_json(args.out, to_json(meta, runs, queries))
            print(markdown(meta, runs, queries), end="")
            return
        done: list[tuple[float, dict, list[Run]]] = []
        reports = []
        for size in args.sizes:
            corpus = scaled_corpus(args, size, work)
            label = ", ".join(part for part in (args.label, f"{size_name(size)} MB scaled")
                              if part)
            meta, runs, queries = compare(args, argv, corpus,
                                          os.path.join(work, f"{size_name(size)}mb"), label)
            done.append((size, meta, runs))
            reports.append({"size_mb": size, **to_json(meta, runs, queries)})
            # Each size's report as soon as it is done: the largest takes the longest.
            print(markdown(meta, runs, queries), flush=True)
            write_json(args.out, {"sizes": reports, "growth": growth_rows(done)})
        print(growth_markdown(args.label, done), end="")
    finally:
        if temporary and not args.keep:
            shutil.rmtree(work)
        elif temporary:
            log(f"kept the work folder {work}")


if __name__ == "__main__":
    main(sys.argv[1:])
