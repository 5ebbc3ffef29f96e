#!/usr/bin/env python3
"""Checks that a refactor changed nothing a user sees.

It indexes the real corpus with a quorum binary, runs a fixed query file through
`quorum search --json --queries` under several flag sets, runs `quorum analyze --json` on
a few texts and `quorum show --json` on a few documents, and keeps the documents and
passages per language from `quorum stats --json`. Timings (`took_ms`), explanations and
the parts of `stats` that change with every build are dropped. Two records must then be
identical, except that scores may differ by a relative 1e-6 (tantivy sums clause scores
in f32, in clause order).

    # before the change
    cargo build --release && cp target/release/quorum /tmp/quorum-before
    python3 benches/same-output.py record --quorum /tmp/quorum-before --out /tmp/before.json
    # after it
    cargo build --release
    python3 benches/same-output.py check --quorum target/release/quorum --against /tmp/before.json

The corpus is $QUORUM_SHARED/corpus, by default ../shared/corpus beside the repository.
Standard library only. Exit 0 when the outputs agree, 1 when they differ.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
QUERIES = os.path.join(HERE, "same-output", "queries.tsv")
SCORE_TOLERANCE = 1e-6

# Each query file runs once per flag set.
FLAG_SETS = [
    [],
    ["--lang", "fr"],
    ["--lang", "en"],
    ["--group"],
    ["--offset", "3", "--limit", "5"],
]
# `--no-count` is left out: which blocks block-WAND skips depends on how the writer's
# threads cut segments, so its counts differ between two builds of the same binary.

ANALYZE_TEXTS = [
    "L’Organisation œuvre au maintien de la paix.",
    "Les pays fournisseurs de contingents et d'effectifs de police.",
    "The Security Council, recalling its resolution S/RES/242 (1967), peace-keeping operations.",
    "aujourd'hui, l'Assemblée générale a adopté la résolution A/RES/69/1; opérations",
    "Peace keeping, self-defence and re-\nintegration of ex-combatants.",
    "Ça, c’est l’ŒUVRE des États Membres: « sécurité » — 1er janvier 2015.",
]

SHOW_IDS = ["udhr:article-1", "S/RES/242 (1967)", "unpc-devset-0069"]


def run(command, check=True):
    done = subprocess.run(command, capture_output=True, text=True)
    if check and done.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr}")
    return done


def shared_corpus():
    shared = os.environ.get("QUORUM_SHARED") or os.path.join(HERE, "..", "..", "shared")
    corpus = os.path.realpath(os.path.join(shared, "corpus"))
    if not os.path.isfile(os.path.join(corpus, "SOURCES.md")):
        sys.exit(f"no shared corpus at {corpus} (set QUORUM_SHARED)")
    return corpus


def clean_response(value, corpus):
    value.pop("took_ms", None)
    value.pop("search_ms", None)
    for hit in value.get("hits", []):
        hit.pop("explanation", None)
        if isinstance(hit.get("path"), str) and hit["path"].startswith(corpus):
            hit["path"] = "$CORPUS" + hit["path"][len(corpus):]
    return value


def record(quorum, queries):
    corpus = shared_corpus()
    out = {"search": {}, "analyze": [], "show": {}}
    with tempfile.TemporaryDirectory() as tmp:
        index = os.path.join(tmp, "index")
        run([quorum, "index", "--index", index, "--quiet", corpus])
        stats = json.loads(run([quorum, "stats", "--index", index, "--json"]).stdout)
        out["stats"] = {"documents": stats["documents"], "passages": stats["passages"]}
        for flags in FLAG_SETS:
            done = run([quorum, "search", "--index", index, "--json", "--queries", queries] + flags)
            lines = [clean_response(json.loads(line), corpus) for line in done.stdout.splitlines() if line]
            out["search"][" ".join(flags) or "(default)"] = {
                "exit": done.returncode,
                "responses": lines,
            }
        for text in ANALYZE_TEXTS:
            for lang in ["fr", "en", "auto"]:
                done = run([quorum, "analyze", "--json", "--lang", lang, text])
                out["analyze"].append({"text": text, "lang": lang, "output": json.loads(done.stdout)})
        for doc_id in SHOW_IDS:
            done = run([quorum, "show", "--index", index, "--json", doc_id], check=False)
            out["show"][doc_id] = {
                "exit": done.returncode,
                "output": json.loads(done.stdout) if done.stdout.strip() else None,
            }
    return out


def differences(a, b, path="$"):
    """Yields a line for each place where two records differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                yield f"{path}.{key}: only in {'before' if key in a else 'after'}"
            else:
                yield from differences(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            yield f"{path}: {len(a)} items before, {len(b)} after"
        for i, (x, y) in enumerate(zip(a, b)):
            yield from differences(x, y, f"{path}[{i}]")
    elif path.endswith(".score") and isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if abs(a - b) > SCORE_TOLERANCE * max(abs(a), abs(b)):
            yield f"{path}: {a} before, {b} after"
    elif a != b:
        yield f"{path}: {json.dumps(a, ensure_ascii=False)[:200]} before, {json.dumps(b, ensure_ascii=False)[:200]} after"


def compare(before, after):
    diffs = list(differences(before, after))
    for line in diffs[:50]:
        print(line)
    if len(diffs) > 50:
        print(f"... and {len(diffs) - 50} more")
    searches = sum(len(v["responses"]) for v in after["search"].values())
    if diffs:
        print(f"same-output: {len(diffs)} differences")
        return 1
    print(f"same-output: identical ({searches} searches, {len(after['analyze'])} analyses, "
          f"{len(after['show'])} documents shown)")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record", help="record a binary's output")
    rec.add_argument("--quorum", required=True)
    rec.add_argument("--queries", default=QUERIES)
    rec.add_argument("--out", required=True)
    chk = sub.add_parser("check", help="record a binary's output and compare it with a record")
    chk.add_argument("--quorum", required=True)
    chk.add_argument("--queries", default=QUERIES)
    chk.add_argument("--against", required=True)
    chk.add_argument("--out", help="also keep the new record here")
    cmp_ = sub.add_parser("compare", help="compare two records")
    cmp_.add_argument("before")
    cmp_.add_argument("after")
    args = parser.parse_args()
    if args.command == "record":
        with open(args.out, "w") as f:
            json.dump(record(args.quorum, args.queries), f, ensure_ascii=False, indent=1)
        return 0
    if args.command == "check":
        after = record(args.quorum, args.queries)
        if args.out:
            with open(args.out, "w") as f:
                json.dump(after, f, ensure_ascii=False, indent=1)
        with open(args.against) as f:
            return compare(json.load(f), after)
    with open(args.before) as f, open(args.after) as g:
        return compare(json.load(f), json.load(g))


if __name__ == "__main__":
    sys.exit(main())
