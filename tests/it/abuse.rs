//! Hostile clients against the real `quorum serve` (issue 15): slowloris connections, huge
//! query strings, huge numbers, deep nesting, bytes that are not UTF-8, and a burst of
//! 1,000 requests. Each test checks what the abusive requests get (a 4xx with its reason,
//! a 503 under overload, or a dropped connection for a client that never finishes its
//! headers), that the normal search made during or after the abuse still gets its 200 and
//! its hits, and that the server process is still running at the end.
//!
//! Nothing here is timed, since the machine running the tests may be slow: a socket's
//! read timeout only turns a hang into a failure. `benches/abuse.py` measures the latency
//! of normal requests under the same abuse.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use crate::server::{encode, get, Fixture, Reply, Server};

/// The normal search, made before, during and after each abuse.
const NORMAL: &str = "/api/search?q=contingents&lang=fr";

/// Long enough that only a server that hangs reaches it.
const HANG: Duration = Duration::from_secs(120);

/// A server on the fixture, and the hits its normal search gets before any abuse.
struct Target {
    server: Server,
    expected: Vec<(String, u64)>,
    fixture: Fixture,
}

impl Target {
    fn start(args: &[&str]) -> Target {
        let fixture = Fixture::new();
        let server = Server::start_with(&fixture.index, args);
        let expected = hits(&get(server.addr, NORMAL));
        // The fixture's French passages on contingents: two of 2086, one of the PRST.
        let ids: Vec<&str> = expected.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids.len(), 3, "{expected:?}");
        assert!(ids.contains(&"S/RES/2086 (2013)"), "{expected:?}");
        assert!(ids.contains(&"S/PRST/1994/22"), "{expected:?}");
        Target {
            server,
            expected,
            fixture,
        }
    }

    fn addr(&self) -> SocketAddr {
        self.server.addr
    }

    /// The normal search gets its 200 and the hits it got before the abuse.
    fn assert_serves(&self, during: &str) {
        let reply = get(self.addr(), NORMAL);
        assert_eq!(reply.status, 200, "{during}: {}", reply.body);
        assert_eq!(hits(&reply), self.expected, "{during}");
    }

    /// The process has not ended (no panic escaped, no stack overflow aborted it), and
    /// it still answers.
    fn assert_alive(&mut self, after: &str) {
        if let Some(status) = self.server.exited() {
            panic!("the server ended after {after}: {status}");
        }
        assert_eq!(get(self.addr(), "/healthz").status, 200, "after {after}");
    }
}

/// The (id, passage) of each hit of a 200.
fn hits(reply: &Reply) -> Vec<(String, u64)> {
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            (
                h["id"].as_str().unwrap_or_default().to_string(),
                h["passage"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

/// What a raw request got: a reply, or a connection the server closed (or reset)
/// without one.
#[derive(Debug)]
enum Outcome {
    Reply(Reply),
    Dropped,
}

impl Outcome {
    fn reply(self, what: &str) -> Reply {
        match self {
            Outcome::Reply(reply) => reply,
            Outcome::Dropped => panic!("{what}: the connection was dropped without a reply"),
        }
    }
}

fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).expect("connects");
    stream.set_read_timeout(Some(HANG)).expect("timeout");
    stream.set_write_timeout(Some(HANG)).expect("timeout");
    stream
}

/// Reads to the end of what the server sends: the reply, or `Dropped` when it closes
/// or resets the connection without one. A read that times out is a hang: a failure.
fn outcome(stream: &mut TcpStream, what: &str) -> Outcome {
    let mut bytes = Vec::new();
    match stream.read_to_end(&mut bytes) {
        Ok(_) => {}
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
            panic!("{what}: the server kept the connection open without answering")
        }
        // A reset after a reply has come (the server closed with bytes unread) still
        // leaves the reply read.
        Err(_) => {}
    }
    if bytes.is_empty() {
        Outcome::Dropped
    } else {
        Outcome::Reply(Reply::parse(&bytes))
    }
}

/// Sends `raw` (any bytes) on a new connection and reads what comes back. The server may
/// close the connection before it has read everything (a head too large): the write
/// then fails, and the reply it sent, if any, is still read.
fn send(addr: SocketAddr, raw: &[u8], what: &str) -> Outcome {
    let mut stream = connect(addr);
    let _ = stream.write_all(raw);
    outcome(&mut stream, what)
}

/// `GET target` with the usual headers, as bytes.
fn get_bytes(target: &[u8]) -> Vec<u8> {
    let mut raw = b"GET ".to_vec();
    raw.extend_from_slice(target);
    raw.extend_from_slice(b" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    raw
}

/// A 400 from quorum itself: JSON whose error says `says`, and no longer than an error
/// needs to be (it does not echo a huge value back).
fn assert_refused(reply: &Reply, says: &str, what: &str) {
    assert_eq!(reply.status, 400, "{what}: {}", reply.body);
    let error = reply.json();
    let message = error["error"].as_str().unwrap_or_default();
    assert!(message.contains(says), "{what}: {message}");
    assert!(
        reply.body.len() < 1_000,
        "{what}: {} bytes",
        reply.body.len()
    );
}

#[test]
fn slowloris_clients_are_dropped_while_others_are_served() {
    let mut target = Target::start(&["--header-timeout", "2"]);
    let addr = target.addr();
    const EACH: usize = 40;
    // Every slow client is connected and has sent what it sends first before the
    // normal searches start.
    let ready = Arc::new(Barrier::new(4 * EACH + 1));
    let mut clients = Vec::new();
    for kind in ["silent", "partial head", "trickle", "slow body"] {
        for _ in 0..EACH {
            let ready = Arc::clone(&ready);
            clients.push((
                kind,
                std::thread::spawn(move || {
                    let mut stream = connect(addr);
                    match kind {
                        // Opens the connection and sends nothing.
                        "silent" => {
                            ready.wait();
                            matches!(outcome(&mut stream, kind), Outcome::Dropped)
                        }
                        // Sends part of a head and then nothing.
                        "partial head" => {
                            stream
                                .write_all(b"GET /api/search?q=paix HTTP/1.1\r\nHost: x\r\n")
                                .expect("sends");
                            ready.wait();
                            matches!(outcome(&mut stream, kind), Outcome::Dropped)
                        }
                        // Sends a head a byte at a time, never its end: the timeout runs
                        // from the head's start, so the bytes do not keep it open.
                        "trickle" => {
                            stream
                                .write_all(b"GET /healthz HTTP/1.1\r\n")
                                .expect("sends");
                            ready.wait();
                            let header = b"X-Slow: 1\r\n";
                            let mut dropped = false;
                            for i in 0..2_400 {
                                if stream.write_all(&header[i % header.len()..][..1]).is_err() {
                                    dropped = true;
                                    break;
                                }
                                std::thread::sleep(Duration::from_millis(50));
                            }
                            // The server sent no reply to a head it never read whole.
                            dropped && matches!(outcome(&mut stream, kind), Outcome::Dropped)
                        }
                        // A whole head that announces a body it never sends: bodies are
                        // refused without being read.
                        _ => {
                            stream
                                .write_all(
                                    b"GET /api/search?q=paix HTTP/1.1\r\nHost: x\r\n\
                                      Content-Length: 100000\r\n\r\nab",
                                )
                                .expect("sends");
                            ready.wait();
                            let reply = outcome(&mut stream, kind).reply(kind);
                            reply.status == 413
                                && reply.json()["error"]
                                    .as_str()
                                    .is_some_and(|e| e.contains("bodies are refused"))
                        }
                    }
                }),
            ));
        }
    }
    ready.wait();
    for round in 0..5 {
        target.assert_serves(&format!("search {round} among slow clients"));
    }
    for (kind, client) in clients {
        assert!(
            client.join().expect("the client thread ran"),
            "a {kind} client was not dropped (or a slow body not refused)"
        );
    }
    target.assert_serves("after the slow clients");
    target.assert_alive("slow clients");
}

#[test]
fn slowloris_past_the_connection_cap_makes_room_for_others() {
    // A header timeout longer than the test may wait: only making room lets the normal
    // search in.
    let mut target = Target::start(&["--header-timeout", "600"]);
    let addr = target.addr();
    let extra = 6;
    let silent: Vec<TcpStream> = (0..quorum::serve::MAX_CONNECTIONS + extra)
        .map(|_| connect(addr))
        .collect();
    target.assert_serves("with every connection slot held by a silent client");
    // The oldest silent connections were closed, one for each connection past the cap.
    let dropped = silent
        .iter()
        .filter(|&stream| {
            stream.set_nonblocking(true).expect("non-blocking");
            let mut byte = [0; 1];
            let mut stream: &TcpStream = stream;
            match stream.read(&mut byte) {
                Ok(0) => true,
                Ok(_) => panic!("a silent client got a reply"),
                Err(e) if e.kind() == ErrorKind::WouldBlock => false,
                Err(_) => true,
            }
        })
        .count();
    assert!(dropped > extra, "{dropped} silent connections were closed");
    assert!(dropped < silent.len(), "every silent connection was closed");
    drop(silent);
    target.assert_serves("after the silent clients left");
    target.assert_alive("slowloris past the cap");
}

#[test]
fn huge_query_strings_get_a_4xx_and_never_a_hang() {
    let mut target = Target::start(&[]);
    let addr = target.addr();
    // What reaches quorum gets its reason: a query past 1,000 characters, or one long
    // value or name of any other parameter, under hyper's URI limit of 64 KB.
    for (size, says) in [(10_000, "longer than 1000"), (60_000, "longer than 1000")] {
        let path = format!("/api/search?q={}", "a".repeat(size));
        assert_refused(&get(addr, &path), says, &format!("q of {size}"));
    }
    let long = "x".repeat(60_000);
    for (path, says) in [
        (format!("/api/search?q=paix&lang={long}"), "unknown lang"),
        (format!("/api/search?q=paix&{long}=1"), "unknown parameter"),
        (format!("/api/search?q=paix&limit={long}"), "limit must be"),
        (format!("/api/doc?id={long}"), "longer than 1000"),
        (
            format!("/api/search?q=paix{}", "&lang=fr".repeat(7_000)),
            "given twice",
        ),
        (
            format!("/api/search?q=paix{}", "&".repeat(60_000)),
            "", // Empty pairs are nothing: answered below.
        ),
    ] {
        let reply = get(addr, &path);
        if says.is_empty() {
            assert_eq!(reply.status, 200, "{}", reply.body);
        } else {
            assert_refused(&reply, says, &path[..40]);
        }
    }
    target.assert_serves("after long values");
    // Past 64 KB, hyper answers before quorum sees the request: 414 for the URI, 431
    // once the head passes its 400 KB buffer; the connection then closes, and a client
    // still sending may find it reset before it reads the status.
    for size in [100_000, 1_000_000, 10_000_000] {
        let raw = get_bytes(format!("/api/search?q={}", "a".repeat(size)).as_bytes());
        match send(addr, &raw, &format!("a URI of {size} bytes")) {
            Outcome::Reply(reply) => {
                assert!(
                    [414, 431].contains(&reply.status),
                    "{size}: {}",
                    reply.status
                )
            }
            Outcome::Dropped => assert!(size > 100_000, "{size}: dropped without a 414"),
        }
        target.assert_serves(&format!("after a URI of {size} bytes"));
    }
    assert_eq!(
        send(addr, &get_bytes(&[b'/'; 100_000]), "a long path")
            .reply("a long path")
            .status,
        414
    );
    // Headers quorum does not read are ignored.
    let headers = |n: usize| {
        let mut raw = b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n".to_vec();
        for i in 0..n {
            raw.extend_from_slice(format!("X-Header-{i}: {i}\r\n").as_bytes());
        }
        raw.extend_from_slice(b"\r\n");
        raw
    };
    assert_eq!(
        send(addr, &headers(50), "50 headers")
            .reply("50 headers")
            .status,
        200
    );
    // Many more are answered (hyper reads them without growing past its buffer) or
    // refused with a 431, never anything else.
    if let Outcome::Reply(reply) = send(addr, &headers(40_000), "40,000 headers") {
        assert!([200, 431].contains(&reply.status), "{}", reply.status);
    }
    // A header past hyper's buffer (about 400 KB, grown in steps) gets a 431.
    let mut large = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Large: ".to_vec();
    large.extend(std::iter::repeat_n(b'a', 2_000_000));
    large.extend_from_slice(b"\r\nConnection: close\r\n\r\n");
    if let Outcome::Reply(reply) = send(addr, &large, "a 2 MB header") {
        assert_eq!(reply.status, 431);
    }
    target.assert_serves("after huge heads");
    target.assert_alive("huge query strings");
}

#[test]
fn huge_limits_and_offsets_are_capped_or_refused_with_the_reason() {
    let mut target = Target::start(&[]);
    let addr = target.addr();
    // Any whole number past 100 is capped to a page of 100, with a notice; the fixture
    // has fewer hits, so the capped page holds them all.
    for limit in ["101", "1000000", "18446744073709551615"] {
        let reply = get(addr, &format!("{NORMAL}&limit={limit}"));
        assert_eq!(hits(&reply), target.expected, "limit={limit}");
        let notices = reply.json()["notices"].clone();
        let notice = format!("limit {limit} was capped at 100");
        assert!(
            notices
                .as_array()
                .is_some_and(|n| n.iter().any(|n| n == &notice)),
            "limit={limit}: {notices}"
        );
    }
    for (params, says) in [
        (
            "limit=18446744073709551616",
            "limit \"18446744073709551616\" is too large",
        ),
        ("limit=1000000000000000000000000000000", "is too large"),
        ("limit=-1", "limit must be a whole number, not \"-1\""),
        ("limit=1e6", "limit must be a whole number"),
        ("limit=0x10", "limit must be a whole number"),
        ("limit=ten", "limit must be a whole number"),
        ("limit=%20", "limit must be a whole number"),
        ("offset=1000000", "offset must be at most 10000"),
        (
            "offset=18446744073709551616",
            "offset \"18446744073709551616\" is too large",
        ),
        ("offset=-10", "offset must be a whole number"),
        ("offset=1.5", "offset must be a whole number"),
    ] {
        assert_refused(&get(addr, &format!("{NORMAL}&{params}")), says, params);
    }
    // The deepest page allowed is answered, empty, with the total still counted.
    let reply = get(addr, &format!("{NORMAL}&offset=10000&limit=100"));
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json()["hits"].as_array().map(Vec::len), Some(0));
    assert_eq!(reply.json()["total_hits"], target.expected.len());
    // `quorum search` gives the same hits for the same large limit.
    let cli = crate::util::search_json(
        &target.fixture.index,
        &["--limit", "1000000", "--lang", "fr", "--", "contingents"],
    );
    let cli_hits: Vec<(String, u64)> = cli["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            (
                h["id"].as_str().unwrap_or_default().to_string(),
                h["passage"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(cli_hits, target.expected);
    target.assert_serves("after huge numbers");
    target.assert_alive("huge numbers");
}

#[test]
fn deep_nesting_gets_400_or_an_answer_and_never_overflows_the_stack() {
    let mut target = Target::start(&[]);
    let addr = target.addr();
    let nested =
        |open: &str, close: &str, n: usize| format!("{}paix{}", open.repeat(n), close.repeat(n));
    // Past 1,000 characters a query is refused before it is parsed.
    for query in [
        nested("(", ")", 10_000),
        "\"".repeat(10_000),
        nested("NOT ", "", 10_000),
        nested("-", "", 10_000),
    ] {
        let reply = get(addr, &format!("/api/search?q={}", encode(&query)));
        assert_refused(&reply, "longer than 1000", &query[..20]);
        target.assert_alive(&query[..20]);
    }
    // Under it, the parser's depth bound refuses nesting, with the column.
    for query in [
        nested("(", ")", 490),
        nested("NOT ", "", 240),
        nested("(NOT ", ")", 150),
        nested("NOT (", ")", 150),
        nested("(", "", 990),
        nested("-(", ")", 330),
        nested("+(", ")", 330),
    ] {
        let reply = get(addr, &format!("/api/search?q={}", encode(&query)));
        assert_refused(&reply, "too deeply nested", &query[..20]);
        assert!(reply.json()["at"].is_u64(), "{}", reply.body);
        target.assert_alive(&query[..20]);
    }
    // The rest of what a query of 1,000 characters can hold: each is refused with its
    // reason or answered, one by one, and none ends the server.
    for query in [
        "\"".repeat(1_000),
        "\"".repeat(999),
        nested("-", "", 990),
        nested("+", "", 990),
        nested("+-", "", 495),
        ")".repeat(1_000),
        "(\"".repeat(500),
        "\"(".repeat(500),
        "a OR ".repeat(199) + "a",
        "a AND ".repeat(166) + "a",
        "a* ".repeat(333),
        "p~2 ".repeat(250),
        "lang:".repeat(200),
        "year:".repeat(200),
        "*".repeat(1_000),
        "~".repeat(1_000),
        "\\".repeat(1_000),
        "S/RES/".repeat(166),
        "l'".repeat(500),
        "é".repeat(1_000),
        "\u{301}".repeat(1_000),
    ] {
        let reply = get(addr, &format!("/api/search?q={}", encode(&query)));
        let what = query.chars().take(20).collect::<String>();
        match reply.status {
            200 => assert!(reply.json()["hits"].is_array(), "{what}: {}", reply.body),
            400 => assert!(reply.json()["error"].is_string(), "{what}: {}", reply.body),
            // A search that runs out of time is told to come back.
            503 => assert!(reply.header("retry-after").is_some(), "{what}"),
            other => panic!("{what}: {other} {}", reply.body),
        }
        target.assert_alive(&what);
    }
    target.assert_serves("after deep nesting");
}

#[test]
fn bytes_that_are_not_utf8_get_400() {
    let mut target = Target::start(&[]);
    let addr = target.addr();
    // Decoded by quorum: each parameter's value and name, and the path.
    let mut paths = vec![
        "/api/search?q=%FF".to_string(),
        "/api/search?q=paix%C3%28".to_string(),
        "/api/search?q=%ED%A0%80".to_string(),
        "/api/search?q=paix&%FF=1".to_string(),
        "/api/doc?id=%FF".to_string(),
        "/api/doc?id=x&lang=%C3%28".to_string(),
        "/api/stats?%FF".to_string(),
        "/healthz?%C3%28=x".to_string(),
    ];
    for name in [
        "lang", "type", "year", "limit", "offset", "group", "sort", "match", "cross",
    ] {
        paths.push(format!("/api/search?q=paix&{name}=%FF"));
        paths.push(format!("/api/search?q=paix&{name}=%C3%28"));
    }
    for path in &paths {
        assert_refused(&get(addr, path), "not UTF-8", path);
    }
    for path in [
        "/api/search%FF?q=paix",
        "/%C3%28",
        "/api/%FF/doc",
        "/page.js%FF",
    ] {
        assert_refused(&get(addr, path), "the path is not UTF-8", path);
    }
    target.assert_serves("after escaped bytes");
    // Raw bytes in the request line are refused by hyper before quorum sees them.
    for target_bytes in [
        &b"/api/search?q=\xFF"[..],
        b"/api/search?q=paix\xC3\x28",
        b"/api/search?q=paix&lang=\xFF",
        b"/\xFF\xFE",
        b"/api/search\xFF?q=paix",
        b"/api/search?q=pa\x00ix",
    ] {
        let what = String::from_utf8_lossy(target_bytes).into_owned();
        let reply = send(addr, &get_bytes(target_bytes), &what).reply(&what);
        assert_eq!(reply.status, 400, "{what}");
    }
    let reply = send(
        addr,
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-\xFF: 1\r\nConnection: close\r\n\r\n",
        "a header name",
    )
    .reply("a header name");
    assert_eq!(reply.status, 400);
    target.assert_serves("after raw bytes");
    target.assert_alive("bytes that are not UTF-8");
}

#[test]
fn a_burst_of_1000_requests_gets_200_or_503_and_the_server_stays_up() {
    // Few workers and a short queue, so that the burst reaches the overload answer.
    let mut target = Target::start(&["--workers", "2", "--queue", "16"]);
    let addr = target.addr();
    const BURST: usize = 1_000;
    // Every connection is opened, then every request sent, then every reply read: the
    // server has all of them at once.
    let mut streams: Vec<TcpStream> = (0..BURST).map(|_| connect(addr)).collect();
    let raw = get_bytes(NORMAL.as_bytes());
    for stream in &mut streams {
        stream.write_all(&raw).expect("sends");
    }
    let mut counts = std::collections::BTreeMap::new();
    for (i, stream) in streams.iter_mut().enumerate() {
        let what = format!("request {i} of the burst");
        let reply = outcome(stream, &what).reply(&what);
        match reply.status {
            200 => assert_eq!(hits(&reply), target.expected, "{what}"),
            503 | 429 => {
                assert!(reply.header("retry-after").is_some(), "{what}");
                assert!(reply.json()["error"].is_string(), "{what}: {}", reply.body);
            }
            other => panic!("{what}: {other} {}", reply.body),
        }
        *counts.entry(reply.status).or_insert(0) += 1;
    }
    assert_eq!(counts.values().sum::<usize>(), BURST, "{counts:?}");
    assert!(
        counts.contains_key(&200),
        "none of the burst was served: {counts:?}"
    );
    target.assert_serves("after the burst");
    target.assert_alive("a burst of 1000 requests");
}
