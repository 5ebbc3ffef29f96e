//! `quorum serve` over real HTTP: every endpoint, every error case, paths shown
//! relative, and a generation swapped in while requests run.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::server::{encode, index_into, Fixture, Server};
use crate::util::quorum;

/// `quorum search --json ARGS` on the fixture, as the CLI prints it.
fn cli_search(fixture: &Fixture, args: &[&str]) -> serde_json::Value {
    crate::util::search_json(&fixture.index, args)
}

/// A response without what differs between two runs (the times taken) and with the
/// hits' paths cut to their file names, to compare the CLI's JSON with the API's.
fn comparable(mut response: serde_json::Value) -> serde_json::Value {
    response["took_ms"] = serde_json::Value::Null;
    response["search_ms"] = serde_json::Value::Null;
    if let Some(hits) = response["hits"].as_array_mut() {
        for hit in hits {
            if let Some(path) = hit["path"].as_str() {
                let name = std::path::Path::new(path)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned());
                hit["path"] = name.into();
            }
        }
    }
    response
}

#[test]
fn search_serves_the_json_of_quorum_search() {
    let fixture = Fixture::new();
    let server = Server::start(&fixture.index);
    for (query, params, args) in [
        ("contingents", "", &[][..]),
        ("contingents", "&lang=fr", &["--lang", "fr"][..]),
        ("l’Organisation", "", &[][..]),
        (
            "securite",
            "&limit=2&offset=1",
            &["--limit", "2", "--offset", "1"][..],
        ),
        ("contingents", "&group=true", &["--group"][..]),
        ("contingents", "&sort=-date", &["--sort", "-date"][..]),
        ("S/RES/2086 (2013)", "", &[][..]),
    ] {
        let reply = server.get(&format!("/api/search?q={}{params}", encode(query)));
        assert_eq!(reply.status, 200, "{query} {params}: {}", reply.body);
        assert!(reply
            .header("content-type")
            .is_some_and(|t| t.starts_with("application/json")));
        let mut cli_args = args.to_vec();
        cli_args.extend(["--", query]);
        assert_eq!(
            comparable(reply.json()),
            comparable(cli_search(&fixture, &cli_args)),
            "{query} {params}"
        );
    }
    // The symbol's document first, its passages in order, each with a snippet.
    let reply = server.get(&format!("/api/search?q={}", encode("S/RES/2086 (2013)")));
    let hits = reply.json()["hits"].clone();
    assert_eq!(hits[0]["id"], "S/RES/2086 (2013)");
    assert!(hits[0]["snippet"].as_str().is_some_and(|s| !s.is_empty()));
}

#[test]
fn filters_are_structured_parameters() {
    let fixture = Fixture::new();
    let server = Server::start(&fixture.index);
    let langs = |params: &str| -> Vec<String> {
        let reply = server.get(&format!("/api/search?q=contingents{params}"));
        assert_eq!(reply.status, 200, "{params}: {}", reply.body);
        reply.json()["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .map(|h| format!("{} {}", h["lang"].as_str().unwrap_or(""), h["year"]))
            .collect()
    };
    assert!(langs("&lang=en").iter().all(|h| h.starts_with("en ")));
    assert!(!langs("&lang=en").is_empty());
    assert_eq!(langs("&type=presidential+statement"), ["fr 1994"]);
    assert_eq!(langs("&year=1990..1999"), ["fr 1994"]);
    assert_eq!(langs("&year=2013&lang=fr"), ["fr 2013", "fr 2013"]);
    // By date: oldest or newest first, the passages with every word first.
    let years = |sort: &str| -> Vec<i64> {
        let reply = server.get(&format!("/api/search?q=contingents&sort={sort}"));
        reply.json()["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .filter_map(|h| h["year"].as_i64())
            .collect()
    };
    let oldest = years("date");
    let mut sorted = oldest.clone();
    sorted.sort();
    assert_eq!(oldest, sorted);
    assert_eq!(oldest.first(), Some(&1994));
    let newest = years("-date");
    assert_eq!(newest.first(), Some(&2013));
    assert_eq!(newest.last(), Some(&1994));
}

/// The hits of `GET /api/search?QUERY` as (lang, id, passage, missing words).
fn hits_of(server: &Server, query: &str) -> Vec<(String, String, u64, Vec<String>)> {
    let reply = server.get(&format!("/api/search?{query}"));
    assert_eq!(reply.status, 200, "{query}: {}", reply.body);
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    reply.json()["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            let missing = h["missing"].as_array().cloned().unwrap_or_default();
            (
                text(&h["lang"]),
                text(&h["id"]),
                h["passage"].as_u64().unwrap_or_default(),
                missing.iter().map(text).collect(),
            )
        })
        .collect()
}

#[test]
fn cross_finds_the_french_passage_of_an_english_word() {
    let fixture = Fixture::new();
    let server = Server::start(&fixture.index);
    // `peacekeeping` is translated to the phrase `maintien de la paix`: with `lang=fr`
    // the language only filters the passages, and the French passage holds every word.
    let hits = hits_of(&server, "q=peacekeeping&cross=1&lang=fr");
    let french = ("fr".to_string(), "S/RES/2086 (2013)".to_string(), 1, vec![]);
    assert!(hits.contains(&french), "{hits:?}");
    assert!(hits.iter().all(|(lang, ..)| lang == "fr"), "{hits:?}");
    assert_eq!(hits, hits_of(&server, "q=peacekeeping&cross=true&lang=fr"));
    // The same JSON as `quorum search --cross --lang fr`.
    let reply = server.get("/api/search?q=peacekeeping&cross=1&lang=fr");
    assert_eq!(
        comparable(reply.json()),
        comparable(cli_search(
            &fixture,
            &["--cross", "--lang", "fr", "--", "peacekeeping"]
        ))
    );
    // Without a language, both: the English word and its French translation.
    let both = hits_of(&server, "q=peacekeeping&cross=1");
    for lang in ["fr", "en"] {
        assert!(
            both.iter().any(|(l, id, _, missing)| l == lang
                && id == "S/RES/2086 (2013)"
                && missing.is_empty()),
            "{lang}: {both:?}"
        );
    }
    // Without cross (or with cross=0), no French passage holds the English word.
    for query in [
        "q=peacekeeping&lang=fr",
        "q=peacekeeping&lang=fr&cross=0",
        "q=peacekeeping&lang=fr&cross=false",
    ] {
        let hits = hits_of(&server, query);
        assert!(
            hits.iter().all(|(_, _, _, missing)| !missing.is_empty()),
            "{query}: {hits:?}"
        );
    }
    let plain = hits_of(&server, "q=peacekeeping");
    assert!(
        plain.iter().all(|(lang, ..)| lang == "en") && !plain.is_empty(),
        "{plain:?}"
    );
    // A value that is not a yes or a no is refused, with the reason.
    for value in ["maybe", "yes", "2"] {
        let reply = server.get(&format!("/api/search?q=peacekeeping&cross={value}"));
        assert_eq!(reply.status, 400, "{value}: {}", reply.body);
        assert!(
            reply.json()["error"]
                .as_str()
                .is_some_and(|e| e.contains("cross must be true or false")),
            "{value}: {}",
            reply.body
        );
    }
}

#[test]
fn doc_passages_carry_their_twin_in_the_other_language() {
    let fixture = Fixture::new();
    let server = Server::start(&fixture.index);
    let id = "S/RES/2086 (2013)";
    let reply = server.get(&format!("/api/doc?id={}", encode(id)));
    assert_eq!(reply.status, 200, "{}", reply.body);
    let both = reply.json();
    let docs = both["documents"].as_array().expect("a documents list");
    assert_eq!(docs.len(), 2, "{both}");
    for doc in docs {
        let lang = doc["lang"].as_str().expect("lang");
        let other = if lang == "fr" { "en" } else { "fr" };
        let passages = doc["passages"].as_array().expect("passages");
        assert_eq!(passages.len(), 2, "{doc}");
        for (i, passage) in passages.iter().enumerate() {
            let twin = &passage["twin"];
            assert_eq!(twin["lang"], other, "{passage}");
            assert_eq!(twin["passage"], i as u64 + 1, "{passage}");
            assert!(
                twin["text"].as_str().is_some_and(|t| !t.is_empty()),
                "{passage}"
            );
        }
    }
    let french = docs.iter().find(|d| d["lang"] == "fr").expect("French");
    assert!(french["passages"][0]["twin"]["text"]
        .as_str()
        .is_some_and(|t| t.contains("peacekeeping operations")));
    // One language asked for: only that document, its passages still with their twins.
    let reply = server.get(&format!("/api/doc?id={}&lang=fr", encode(id)));
    let one = reply.json();
    assert_eq!(one["documents"].as_array().map(Vec::len), Some(1));
    assert_eq!(one["documents"][0]["passages"][1]["twin"]["lang"], "en");
    assert!(one["documents"][0]["passages"][1]["twin"]["text"]
        .as_str()
        .is_some_and(|t| t.contains("police personnel")));
    // A document with no twin has none on its passages.
    let reply = server.get("/api/doc?id=note-1990");
    let note = reply.json();
    assert!(
        note["documents"][0]["passages"][0].get("twin").is_none(),
        "{note}"
    );
}

#[test]
fn doc_serves_a_document_by_an_id_with_slashes_spaces_and_parentheses() {
    let fixture = Fixture::new();
    let server = Server::start(&fixture.index);
    let id = "S/RES/242 (1967)";
    let reply = server.get(&format!("/api/doc?id={}", encode(id)));
    assert_eq!(reply.status, 200, "{}", reply.body);
    let both = reply.json();
    let docs = both["documents"].as_array().expect("a documents list");
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["lang"], "en");
    assert_eq!(docs[1]["lang"], "fr");
    let passages = docs[1]["passages"].as_array().expect("passages");
    assert_eq!(passages.len(), 4);
    assert!(passages
        .iter()
        .enumerate()
        .all(|(i, p)| p["passage"] == i as u64 + 1));
    assert!(passages[3]["text"]
        .as_str()
        .is_some_and(|t| t.contains("l’Organisation")));
    assert_eq!(docs[1]["path"], "council.jsonl");
    // One language: the same shape, and the same JSON as `quorum show --json`.
    let reply = server.get(&format!("/api/doc?id={}&lang=fr", encode(id)));
    let one = reply.json();
    assert_eq!(one["documents"].as_array().map(Vec::len), Some(1));
    let output = quorum()
        .args(["show", id, "--lang", "fr", "--json", "--index"])
        .arg(&fixture.index)
        .output()
        .expect("show runs");
    let mut shown: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    shown["documents"][0]["path"] = "council.jsonl".into();
    assert_eq!(one, shown);
    // Missing: 404, in JSON.
    for missing in [
        "/api/doc?id=S%2FRES%2F9999",
        "/api/doc?id=note-1990&lang=fr",
    ] {
        let reply = server.get(missing);
        assert_eq!(reply.status, 404, "{missing}");
        assert!(reply.json()["error"]
            .as_str()
            .is_some_and(|e| e.contains("no document")));
    }
}

#[test]
fn stats_and_health_serve_what_the_cli_prints_without_machine_paths() {
    let fixture = Fixture::new();
    let server = Server::start(&fixture.index);
    let health = server.get("/healthz");
    assert_eq!(health.status, 200);
    assert_eq!(health.json()["status"], "ok");
    let reply = server.get("/api/stats");
    assert_eq!(reply.status, 200, "{}", reply.body);
    let mut stats = reply.json();
    let output = quorum()
        .args(["stats", "--json", "--index"])
        .arg(&fixture.index)
        .output()
        .expect("stats runs");
    let mut cli: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert!(stats["path"]
        .as_str()
        .is_some_and(|p| p.starts_with("gen-")));
    assert_eq!(stats["sources"][0]["path"], "council.jsonl");
    for value in [&mut stats, &mut cli] {
        value["path"] = serde_json::Value::Null;
        value["sources"][0]["path"] = serde_json::Value::Null;
    }
    assert_eq!(stats, cli);
    // No answer names a folder of the server's machine.
    let root = fixture.dir.path().canonicalize().expect("canonical");
    let root = root.to_string_lossy();
    for path in [
        "/api/stats",
        "/api/search?q=contingents",
        "/api/doc?id=note-1990",
        "/api/search?q=%22unbalanced",
        "/nothing/here",
    ] {
        let reply = server.get(path);
        assert!(
            !reply.body.contains(root.as_ref()),
            "{path}: {}",
            reply.body
        );
        assert!(!reply.body.contains("/tmp"), "{path}: {}", reply.body);
    }
}

#[test]
fn bad_requests_get_400_with_the_reason_and_the_column() {
    let fixture = Fixture::new();
    let server = Server::start(&fixture.index);
    let reply = server.get(&format!("/api/search?q={}", encode("paix AND (guerre")));
    assert_eq!(reply.status, 400, "{}", reply.body);
    let error = reply.json();
    assert!(error["error"]
        .as_str()
        .is_some_and(|e| e.starts_with("syntax error")));
    let column = error["at"].as_u64().expect("a column");
    assert!((6..=17).contains(&column), "{error}");
    // The column counts characters, not bytes.
    let reply = server.get(&format!("/api/search?q={}", encode("sécurité \"paix")));
    assert_eq!(reply.json()["at"], 10, "{}", reply.body);
    let long = "a".repeat(1001);
    for (path, says) in [
        ("/api/search?q=paix&limit=ten".to_string(), "limit"),
        (
            "/api/search?q=paix&limit=".to_string() + "9".repeat(30).as_str(),
            "limit",
        ),
        ("/api/search?q=paix&lang=de".to_string(), "lang"),
        ("/api/search?q=paix&sort=year".to_string(), "sort"),
        ("/api/search?q=paix&year=soon".to_string(), "year"),
        ("/api/search?q=paix&group=perhaps".to_string(), "group"),
        ("/api/search?q=paix&cross=maybe".to_string(), "cross"),
        (
            "/api/search?q=paix&path=%2Fetc%2Fpasswd".to_string(),
            "unknown parameter",
        ),
        ("/api/search?lang=fr".to_string(), "q parameter"),
        (format!("/api/search?q={long}"), "1000 characters"),
        ("/api/doc?lang=fr".to_string(), "id parameter"),
        ("/api/doc?id=x&lang=xx".to_string(), "lang"),
        ("/api/stats?verbose=1".to_string(), "unknown parameter"),
    ] {
        let reply = server.get(&path);
        assert_eq!(reply.status, 400, "{path}: {}", reply.body);
        let error = reply.json();
        assert!(
            error["error"].as_str().is_some_and(|e| e.contains(says)),
            "{path}: {error}"
        );
        assert!(error.get("at").is_none(), "{path}: {error}");
    }
    // A limit past 100 is capped, and the response says so.
    let reply = server.get("/api/search?q=contingents&limit=1000");
    assert_eq!(reply.status, 200);
    let response = reply.json();
    assert!(response["notices"]
        .as_array()
        .is_some_and(|n| n.iter().any(|n| n == "limit 1000 was capped at 100")));
    let longest = "é".repeat(1000);
    assert_eq!(
        server
            .get(&format!("/api/search?q={}", encode(&longest)))
            .status,
        200
    );
}

#[test]
fn nothing_but_reads_of_the_fixed_routes_is_served() {
    let fixture = Fixture::new();
    std::fs::write(fixture.dir.path().join("secret.txt"), "do not serve").expect("write");
    let server = Server::start(&fixture.index);
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/page.js/../../secret.txt",
        "/..%2f..%2fsecret.txt",
        "/index/CURRENT",
        "/docs/council.jsonl",
        "/api/doc/../../secret.txt",
        "/etc/passwd",
        "/api",
    ] {
        let reply = server.get(path);
        assert_eq!(reply.status, 404, "{path}: {}", reply.body);
        assert!(!reply.body.contains("do not serve"), "{path}");
        assert!(reply.json()["error"].is_string(), "{path}");
    }
    // No write endpoint, and no request body is read.
    let reply = server.request(
        "POST /api/search?q=paix HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
    );
    assert_eq!(reply.status, 405, "{}", reply.body);
    assert!(reply.json()["error"].is_string());
    for method in ["PUT", "DELETE", "PATCH"] {
        let reply = server.request(&format!(
            "{method} /api/doc?id=x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        ));
        assert_eq!(reply.status, 405, "{method}");
    }
    let reply = server.request(
        "GET /api/search?q=paix HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello",
    );
    assert_eq!(reply.status, 413, "{}", reply.body);
    assert!(reply.json()["error"]
        .as_str()
        .is_some_and(|e| e.contains("bodies are refused")));
    let reply = server.request(
        "GET /api/search?q=paix HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    );
    assert_eq!(reply.status, 413, "{}", reply.body);
}

#[test]
fn the_page_and_its_files_are_embedded() {
    let fixture = Fixture::new();
    let server = Server::start(&fixture.index);
    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert!(page
        .header("content-type")
        .is_some_and(|t| t.starts_with("text/html")));
    assert!(page.body.contains(r#"role="search""#));
    // The page may load nothing from elsewhere.
    let policy = page.header("content-security-policy").unwrap_or_default();
    assert!(policy.contains("default-src 'none'"), "{policy}");
    assert!(policy.contains("connect-src 'self'"), "{policy}");
    for (path, kind) in [("/page.js", "text/javascript"), ("/page.css", "text/css")] {
        let reply = server.get(path);
        assert_eq!(reply.status, 200, "{path}");
        assert!(reply
            .header("content-type")
            .is_some_and(|t| t.starts_with(kind)));
        assert!(
            !reply.body.contains("http://"),
            "{path} names no other address"
        );
    }
    // The query in the URL is the page's business: any query string gets the page.
    assert_eq!(server.get("/?q=contingents&lang=fr").status, 200);
    // Compressed when asked.
    let reply = server.request(
        "GET /page.js HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(reply.header("content-encoding"), Some("gzip"));
}

#[test]
fn each_request_is_logged_with_its_status_and_time() {
    let fixture = Fixture::new();
    let server = Server::start(&fixture.index);
    assert_eq!(server.get("/api/search?q=contingents").status, 200);
    assert_eq!(server.get("/api/doc?id=none").status, 404);
    let log = server.stop();
    let line = |path: &str, status: u16| {
        log.lines().any(|l| {
            l.contains("method=GET")
                && l.contains(&format!("path={path}"))
                && l.contains(&format!("status={status}"))
                && l.contains("micros=")
        })
    };
    assert!(line("/api/search", 200), "{log}");
    assert!(line("/api/doc", 404), "{log}");
}

#[test]
fn a_client_that_sends_no_headers_is_dropped() {
    let fixture = Fixture::new();
    let server = Server::start_with(&fixture.index, &["--header-timeout", "0.5"]);
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(server.addr).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHo")
        .expect("sends");
    let mut rest = Vec::new();
    // The server closes the connection: the read ends, rather than timing out here.
    let read = stream.read_to_end(&mut rest);
    assert!(read.is_ok(), "the connection stayed open: {read:?}");
    assert!(!String::from_utf8_lossy(&rest).contains("200 OK"));
    // The server still answers others.
    assert_eq!(server.get("/healthz").status, 200);
}

#[test]
fn a_rebuild_is_picked_up_without_dropping_a_request() {
    let fixture = Fixture::new();
    let server = Arc::new(Server::start(&fixture.index));
    let before = server.get("/healthz").json()["generation"].clone();
    let stop = Arc::new(AtomicBool::new(false));
    let answered = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..4)
        .map(|_| {
            let (server, stop, answered) = (server.clone(), stop.clone(), answered.clone());
            std::thread::spawn(move || {
                let mut failures = Vec::new();
                while !stop.load(Ordering::SeqCst) {
                    let reply = server.get("/api/search?q=contingents");
                    if reply.status != 200 || reply.json()["total_hits"].as_u64() == Some(0) {
                        failures.push(format!("{} {}", reply.status, reply.body));
                    }
                    answered.fetch_add(1, Ordering::SeqCst);
                }
                failures
            })
        })
        .collect();
    // A new document, and a rebuild that swaps in a new generation.
    let mut text = crate::server::FIXTURE.to_string();
    text.push_str(
        r#"{"id": "S/RES/9001 (2030)", "lang": "en", "text": "Zanzibar contingents returned home."}"#,
    );
    text.push('\n');
    std::fs::write(fixture.docs().join("council.jsonl"), text).expect("write");
    index_into(&fixture.index, &fixture.docs(), true);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let reply = server.get("/api/search?q=zanzibar");
        assert_eq!(reply.status, 200);
        if reply.json()["total_hits"] == 1 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the new generation was not served"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    stop.store(true, Ordering::SeqCst);
    for client in clients {
        let failures = client.join().expect("client");
        assert!(failures.is_empty(), "{failures:?}");
    }
    assert!(answered.load(Ordering::SeqCst) > 0);
    assert_ne!(server.get("/healthz").json()["generation"], before);
}

#[test]
fn the_default_index_is_built_from_the_corpus_first() {
    let home = tempfile::tempdir().expect("temp dir");
    let mut cmd = crate::server::process();
    // Outside the repository, with a data folder of its own: the default index lives
    // there and is built from the seed corpus on first use.
    cmd.current_dir(home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("starts");
    let mut stderr = std::io::BufReader::new(child.stderr.take().expect("stderr"));
    let (addr, seen) = crate::server::wait_for_address(&mut child, &mut stderr);
    let log = std::thread::spawn(move || {
        use std::io::BufRead;
        stderr.lines().map_while(Result::ok).collect::<Vec<_>>()
    });
    assert!(seen.contains("indexed "), "{seen}");
    let reply = crate::server::get(addr, "/api/stats");
    let _ = child.kill();
    let _ = child.wait();
    let log = log.join().unwrap_or_default();
    assert_eq!(reply.status, 200, "{}\n{seen}{log:?}", reply.body);
    assert!(reply.json()["documents"].is_object(), "{}", reply.body);
}

/// Regression: with its stderr closed (`quorum serve 2>&1 | head -1`), the server
/// dropped every connection, since the request log's failed write was itself reported
/// on stderr, which panicked.
#[test]
fn a_server_whose_stderr_is_closed_still_answers() {
    let fixture = Fixture::new();
    let mut cmd = crate::server::process();
    cmd.arg("serve")
        .arg("--index")
        .arg(&fixture.index)
        .args(["--addr", "127.0.0.1:0"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("starts");
    let mut stderr = std::io::BufReader::new(child.stderr.take().expect("stderr"));
    let (addr, _) = crate::server::wait_for_address(&mut child, &mut stderr);
    drop(stderr);
    let first = crate::server::get(addr, "/healthz");
    let second = crate::server::get(addr, "/healthz");
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(first.status, 200, "{first:?}");
    assert_eq!(second.status, 200, "{second:?}");
}
