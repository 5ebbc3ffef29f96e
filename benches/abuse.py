#!/usr/bin/env python3
"""How `quorum serve` behaves under hostile clients, with the latency of a normal one.

Builds an index of a corpus, starts `quorum serve` on a loopback port with its default
settings, and runs one phase per abuse class. In each phase an abuser process (this
script, `abuse.py abuser CLASS ...`, so that it does not share an interpreter lock with
the measuring client) attacks the server for --seconds while a normal client sends the
same search again and again, on a new connection each time, and times each request
from connect to the last byte of the reply. Every normal reply should be a 200 with
the hit count of the first one; any other is counted, by its status. A first phase without
an abuser gives the baseline.

The classes (what the issue's "Hostile input and faults" names):
  slowloris   --slow connections (200) that each open and send nothing, send part of
              a head and stop, or trickle a head a byte a second; each dropped
              connection is opened again at once, so --slow stay open.
  slowloris-cap
              the same with 1,100 connections, past the server's cap of 1,024 open
              connections: the normal client then waits for a slot.
  huge-url    query strings of 10 KB, 60 KB, 100 KB, 1 MB and 10 MB, in turn.
  huge-limit  limit and offset of 10^6, 2^64, -1 and words, in turn.
  deep-nesting
              10,000 nested parentheses, quotes, NOTs and `-`s, and the deepest
              nesting 1,000 characters can hold, in turn.
  bad-utf8    %FF and %C3%28 in the path and in each parameter, raw 0xFF bytes in the
              request line and in a header name, in turn.
  burst       1,000 connections opened at once, each sending the normal search, then
              every reply read; again until the phase ends.

The table gives, per class: what the abusive requests got (status counts, connections
dropped by the server without a reply, and for slowloris the median seconds a slow
connection was held), the normal client's requests, those that got anything but a
200 with the right hits (a 503 of a full pool is the server's overload answer, to the
normal client as to others), its median, p99 and max latency in milliseconds, and
whether the server process was still running and answering /healthz at the end. Every figure also goes to the --out JSON file.

usage:
    python3 benches/abuse.py [--quorum BIN] [--corpus DIR] [--work DIR] [--seconds S]
        [--query Q] [--slow N] [--classes a,b,...] [--out FILE.json] [--keep]

example (from the repository root):
    cargo build --release && python3 benches/abuse.py --out abuse.json

--corpus defaults to $QUORUM_SHARED/corpus, else ../shared/corpus beside the
repository, else the shipped corpus/. Nothing talks to any address but 127.0.0.1.
Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import select
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
HOST = "127.0.0.1"
# Long enough that only a hang reaches it.
REPLY_TIMEOUT = 60.0
# The pause of the normal client between two requests, in seconds: it measures, it
# does not load the server.
NORMAL_PAUSE = 0.02
CLASSES = ("slowloris", "slowloris-cap", "huge-url", "huge-limit", "deep-nesting",
           "bad-utf8", "burst")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# HTTP on raw sockets: the abusers send what no HTTP library would.


def request_bytes(target: bytes, extra: bytes = b"") -> bytes:
    return (b"GET " + target + b" HTTP/1.1\r\nHost: localhost\r\n" + extra
            + b"Connection: close\r\n\r\n")


def exchange(addr: tuple[str, int], raw: bytes) -> tuple[int | None, bytes]:
    """Sends `raw` on a new connection and reads to the end. Returns the status (None
    when the server closed or reset the connection without a reply) and the body."""
    with socket.create_connection(addr, timeout=REPLY_TIMEOUT) as s:
        try:
            s.sendall(raw)
        except OSError:
            pass  # closed before it read everything; its reply may still be there
        chunks = []
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except socket.timeout:
            raise RuntimeError(f"no reply within {REPLY_TIMEOUT} s: the server hangs")
        except OSError:
            pass  # a reset, after a reply or instead of one
    data = b"".join(chunks)
    if not data:
        return None, b""
    head, _, body = data.partition(b"\r\n\r\n")
    try:
        status = int(head.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return None, b""
    if b"transfer-encoding: chunked" in head.lower():
        body = dechunk(body)
    return status, body


def dechunk(body: bytes) -> bytes:
    out = []
    while True:
        size_line, _, rest = body.partition(b"\r\n")
        try:
            size = int(size_line.strip() or b"0", 16)
        except ValueError:
            break
        if size == 0:
            break
        out.append(rest[:size])
        body = rest[size + 2:]
    return b"".join(out)


# ---------------------------------------------------------------------------
# The abusers: each runs in a child process and prints its counts as JSON.


def count(counts: dict, status: int | None) -> None:
    key = "dropped" if status is None else str(status)
    counts[key] = counts.get(key, 0) + 1


def huge_url_requests() -> list[bytes]:
    return [request_bytes(b"/api/search?q=" + b"a" * size)
            for size in (10_000, 60_000, 100_000, 1_000_000, 10_000_000)]


def huge_limit_requests() -> list[bytes]:
    base = "/api/search?q=contingents&"
    return [request_bytes((base + p).encode()) for p in (
        "limit=1000000", "limit=18446744073709551616", "limit=-1", "limit=ten",
        "offset=1000000", "offset=18446744073709551616", "offset=-1",
        "limit=18446744073709551615&offset=10000")]


def deep_nesting_requests() -> list[bytes]:
    queries = ["(" * 10_000 + "paix" + ")" * 10_000, '"' * 10_000, "NOT " * 10_000 + "paix",
               "-" * 10_000 + "paix", "(" * 490 + "paix" + ")" * 490, "NOT " * 240 + "paix",
               '"' * 1_000, "-" * 990 + "paix", "a OR " * 199 + "a"]
    return [request_bytes(b"/api/search?q=" + urllib.parse.quote_plus(q).encode())
            for q in queries]


def bad_utf8_requests() -> list[bytes]:
    targets = [b"/api/search?q=%FF", b"/api/search?q=paix%C3%28", b"/api/search%FF?q=paix",
               b"/api/doc?id=%FF", b"/api/search?q=\xff", b"/\xff\xfe"]
    targets += [b"/api/search?q=paix&" + name + b"=%FF" for name in
                (b"lang", b"type", b"year", b"limit", b"offset", b"group", b"sort", b"match",
                 b"cross")]
    raws = [request_bytes(t) for t in targets]
    raws.append(request_bytes(b"/healthz", b"X-\xff: 1\r\n"))
    return raws


def run_in_turn(addr, raws: list[bytes], until: float) -> dict:
    counts: dict = {}
    while time.monotonic() < until:
        for raw in raws:
            status, _ = exchange(addr, raw)
            count(counts, status)
            if time.monotonic() >= until:
                break
    return {"statuses": counts}


def run_burst(addr, target: str, until: float, size: int = 1_000) -> dict:
    counts: dict = {}
    bursts = 0
    raw = request_bytes(target.encode())
    while time.monotonic() < until:
        socks = []
        for _ in range(size):
            s = socket.create_connection(addr, timeout=REPLY_TIMEOUT)
            socks.append(s)
        for s in socks:
            s.sendall(raw)
        for s in socks:
            data = b""
            try:
                while chunk := s.recv(65536):
                    data += chunk
            except OSError:
                pass
            s.close()
            try:
                count(counts, int(data.split(b" ", 2)[1]) if data else None)
            except (IndexError, ValueError):
                count(counts, None)
        bursts += 1
    return {"statuses": counts, "bursts": bursts}


def run_slowloris(addr, n: int, until: float) -> dict:
    """Keeps `n` slow connections open until `until`, opening a new one for each the
    server drops, and counts the drops and how long each was held."""
    kinds = ("silent", "partial", "trickle")
    conns: dict[socket.socket, tuple[str, float]] = {}
    counts: dict = {}
    held: list[float] = []

    def open_one(kind: str) -> None:
        s = socket.create_connection(addr, timeout=REPLY_TIMEOUT)
        if kind == "partial":
            s.sendall(b"GET /api/search?q=paix HTTP/1.1\r\nHost: x\r\n")
        elif kind == "trickle":
            s.sendall(b"GET /healthz HTTP/1.1\r\n")
        s.setblocking(False)
        conns[s] = (kind, time.monotonic())

    for i in range(n):
        open_one(kinds[i % len(kinds)])
    next_trickle = time.monotonic() + 1.0
    while time.monotonic() < until:
        for s in poll_readable(list(conns)):
            kind, opened = conns.pop(s)
            try:
                data = s.recv(65536)
            except OSError:
                data = b""
            s.close()
            if data:
                count(counts, int(data.split(b" ", 2)[1]))
            else:
                count(counts, None)
                held.append(time.monotonic() - opened)
            open_one(kind)
        if time.monotonic() >= next_trickle:
            next_trickle += 1.0
            for s, (kind, _) in list(conns.items()):
                if kind == "trickle":
                    try:
                        s.send(b"X")
                    except OSError:
                        pass  # dropped: select sees it
    for s in conns:
        s.close()
    return {"statuses": counts, "held_median_s": statistics.median(held) if held else None,
            "open": n}


def poll_readable(socks: list[socket.socket]) -> list[socket.socket]:
    """select() stops at 1,024 descriptors; poll() does not."""
    poller = select.poll()
    by_fd = {s.fileno(): s for s in socks}
    for fd in by_fd:
        poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
    return [by_fd[fd] for fd, _ in poller.poll(200)]


def abuser(args: argparse.Namespace) -> None:
    addr = (HOST, args.port)
    until = time.monotonic() + args.seconds
    cls = args.cls
    if cls == "slowloris":
        result = run_slowloris(addr, args.slow, until)
    elif cls == "slowloris-cap":
        result = run_slowloris(addr, 1_100, until)
    elif cls == "huge-url":
        result = run_in_turn(addr, huge_url_requests(), until)
    elif cls == "huge-limit":
        result = run_in_turn(addr, huge_limit_requests(), until)
    elif cls == "deep-nesting":
        result = run_in_turn(addr, deep_nesting_requests(), until)
    elif cls == "bad-utf8":
        result = run_in_turn(addr, bad_utf8_requests(), until)
    elif cls == "burst":
        result = run_burst(addr, args.target, until)
    else:
        sys.exit(f"unknown class {cls}")
    print(json.dumps(result))


# ---------------------------------------------------------------------------
# The measuring side.


class Server:
    """`quorum serve` on a free loopback port, its stderr drained to a file."""

    def __init__(self, quorum: str, index: str, log_path: str):
        self.proc = subprocess.Popen(
            [quorum, "serve", "--index", index, "--addr", f"{HOST}:0"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        seen = []
        while True:
            line = self.proc.stderr.readline().decode("utf-8", "replace")
            if not line:
                sys.exit("quorum serve exited before listening:\n" + "".join(seen))
            seen.append(line)
            if line.startswith("serving "):
                url = line.strip().rsplit(" on ", 1)[1]
                hostport = url.removeprefix("http://").rstrip("/")
                self.port = int(hostport.rsplit(":", 1)[1])
                break
        self.log = open(log_path, "wb")
        self.drain = threading.Thread(target=shutil.copyfileobj,
                                      args=(self.proc.stderr, self.log), daemon=True)
        self.drain.start()

    def alive(self) -> bool:
        if self.proc.poll() is not None:
            return False
        try:
            status, _ = exchange((HOST, self.port), request_bytes(b"/healthz"))
        except (OSError, RuntimeError):
            return False
        return status == 200

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self.drain.join(timeout=5)
        self.log.close()


def normal_client(addr, target: str, stop: threading.Event, out: dict) -> None:
    """Sends the normal search until `stop`, and records each latency and status: a
    200 with another hit count than the first counts as "wrong", no reply as
    "dropped"."""
    raw = request_bytes(target.encode())
    latencies, statuses = [], {}
    expected = out["expected_hits"]
    while not stop.is_set():
        started = time.perf_counter()
        try:
            status, body = exchange(addr, raw)
            if status == 200 and len(json.loads(body)["hits"]) != expected:
                status = "wrong"
        except (OSError, RuntimeError, ValueError, KeyError):
            status = None
        latencies.append((time.perf_counter() - started) * 1000)
        count(statuses, status)
        time.sleep(NORMAL_PAUSE)
    out["latencies_ms"] = latencies
    out["statuses"] = statuses


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def phase(server: Server, cls: str | None, args, expected: int) -> dict:
    addr = (HOST, server.port)
    stop = threading.Event()
    normal = {"expected_hits": expected}
    client = threading.Thread(target=normal_client, args=(addr, args.query, stop, normal))
    log(f"phase {cls or 'baseline'}: {args.seconds} s")
    client.start()
    if cls is None:
        time.sleep(args.seconds)
        abused = {}
    else:
        child = subprocess.run(
            [sys.executable, os.path.abspath(__file__), "abuser", cls,
             "--port", str(server.port), "--seconds", str(args.seconds),
             "--slow", str(args.slow), "--target", args.query],
            capture_output=True, text=True)
        if child.returncode != 0:
            sys.exit(f"the {cls} abuser failed:\n{child.stderr}")
        abused = json.loads(child.stdout)
    stop.set()
    client.join()
    lat = normal["latencies_ms"]
    return {
        "class": cls or "baseline",
        "abusive": abused,
        "normal": {"requests": len(lat), "statuses": normal["statuses"],
                   "median_ms": statistics.median(lat), "p99_ms": percentile(lat, 99),
                   "max_ms": max(lat)},
        "survived": server.alive(),
    }


def statuses_text(abused: dict) -> str:
    counts = abused.get("statuses", {})
    if not counts:
        return "–"
    parts = [f"{k}×{v}" for k, v in sorted(counts.items(), key=lambda kv: kv[0])]
    text = ", ".join(parts)
    if abused.get("held_median_s") is not None:
        text += f" (open {abused['open']}, held {abused['held_median_s']:.1f} s median)"
    if abused.get("bursts"):
        text += f" ({abused['bursts']} bursts)"
    return text


def table(rows: list[dict]) -> str:
    lines = ["| class | abusive requests got | normal requests | not 200 | median ms | "
             "p99 ms | max ms | server survived |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        n = r["normal"]
        others = {k: v for k, v in n["statuses"].items() if k != "200"}
        not_ok = ", ".join(f"{k}×{v}" for k, v in sorted(others.items())) or "0"
        lines.append(f"| {r['class']} | {statuses_text(r['abusive'])} | "
                     f"{n['requests']} | {not_ok} | {n['median_ms']:.1f} | "
                     f"{n['p99_ms']:.1f} | {n['max_ms']:.1f} | "
                     f"{'yes' if r['survived'] else 'NO'} |")
    return "\n".join(lines)


def default_corpus() -> str:
    shared = os.environ.get("QUORUM_SHARED")
    for candidate in ([os.path.join(shared, "corpus")] if shared else []) + [
            os.path.join(REPO, "..", "shared", "corpus"), os.path.join(REPO, "corpus")]:
        if os.path.isdir(candidate):
            return os.path.normpath(candidate)
    sys.exit("no corpus: give --corpus DIR")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "abuser":
        p = argparse.ArgumentParser(prog="abuse.py abuser")
        p.add_argument("cls", choices=CLASSES)
        p.add_argument("--port", type=int, required=True)
        p.add_argument("--seconds", type=float, required=True)
        p.add_argument("--slow", type=int, default=200)
        p.add_argument("--target", required=True)
        abuser(p.parse_args(sys.argv[2:]))
        return
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quorum", default=os.path.join(REPO, "target", "release", "quorum"))
    p.add_argument("--corpus", default=None)
    p.add_argument("--work", default=None, help="folder for the index (default: a temp one)")
    p.add_argument("--seconds", type=float, default=15.0, help="per phase (15)")
    p.add_argument("--query", default="/api/search?q=" + urllib.parse.quote_plus(
        "maintien de la paix"), help="the normal request's path and query")
    p.add_argument("--slow", type=int, default=200, help="slowloris connections (200)")
    p.add_argument("--classes", default=",".join(CLASSES))
    p.add_argument("--out", default=None, help="write every figure to this JSON file")
    p.add_argument("--keep", action="store_true", help="keep the work folder")
    args = p.parse_args()
    classes = [c for c in args.classes.split(",") if c]
    for c in classes:
        if c not in CLASSES:
            sys.exit(f"unknown class {c}: {', '.join(CLASSES)}")
    if not os.access(args.quorum, os.X_OK):
        sys.exit(f"{args.quorum} is not built: cargo build --release")
    corpus = args.corpus or default_corpus()
    work = args.work or tempfile.mkdtemp(prefix="quorum-abuse-")
    index = os.path.join(work, "index")
    try:
        log(f"indexing {corpus}")
        started = time.monotonic()
        subprocess.run([args.quorum, "index", "--index", index, corpus], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        log(f"indexed in {time.monotonic() - started:.1f} s")
        server = Server(args.quorum, index, os.path.join(work, "serve.log"))
        try:
            status, body = exchange((HOST, server.port), request_bytes(args.query.encode()))
            if status != 200:
                sys.exit(f"the normal request {args.query} got {status}: {body[:200]!r}")
            expected = len(json.loads(body)["hits"])
            if expected == 0:
                sys.exit(f"the normal request {args.query} finds nothing in {corpus}")
            rows = [phase(server, None, args, expected)]
            for cls in classes:
                rows.append(phase(server, cls, args, expected))
                if not rows[-1]["survived"]:
                    log(f"the server did not survive {cls}")
                    break
        finally:
            server.stop()
        version = subprocess.run([args.quorum, "--version"], capture_output=True,
                                 text=True).stdout.strip()
        header = (f"{version}, {platform.machine()}, {os.cpu_count()} cores, load average "
                  f"{os.getloadavg()[0]:.1f} at the end; corpus {os.path.relpath(corpus, REPO)}; "
                  f"normal request {args.query} ({expected} hits), a new connection each, "
                  f"{NORMAL_PAUSE * 1000:.0f} ms apart; {args.seconds:g} s per phase")
        print(header)
        print()
        print(table(rows))
        if args.out:
            with open(args.out, "w", encoding="utf-8") as f:
                json.dump({"header": header, "phases": rows}, f, indent=1)
    finally:
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
