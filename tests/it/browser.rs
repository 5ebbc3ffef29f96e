//! The search page in Debian's headless Chromium, driven through WebDriver
//! (chromedriver on a loopback port), against the real server. Skipped, with a line
//! saying so, where chromium or chromedriver is not installed; `.ci/run` installs both.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

use crate::server::{Fixture, Server};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Where the test saves its screenshot.
pub fn screenshot_path() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser/search-page.png")
}

/// chromedriver on a free loopback port, killed when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start() -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver { child, port }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `script` (a JavaScript expression) until it is truthy, and returns its value.
async fn until(client: &Client, what: &str, script: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    let body = format!("return ({script});");
    loop {
        let value = client.execute(&body, vec![]).await.expect("script runs");
        let truthy = match &value {
            Value::Null | Value::Bool(false) => false,
            Value::String(s) => !s.is_empty(),
            Value::Array(a) => !a.is_empty(),
            Value::Number(n) => n.as_f64() != Some(0.0),
            _ => true,
        };
        if truthy {
            return value;
        }
        if Instant::now() > deadline {
            let page = client
                .execute("return document.body.innerText", vec![])
                .await
                .unwrap_or_default();
            panic!("timed out waiting for {what} ({script}); the page shows:\n{page}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Presses keys on whatever has the focus, as a user would.
async fn press(client: &Client, keys: &[char]) {
    let mut actions = KeyActions::new("keyboard".into());
    for &key in keys {
        actions = actions
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
    }
    client.perform_actions(actions).await.expect("keys pressed");
}

/// The id of the focused element, or its tag.
async fn focused(client: &Client) -> String {
    client
        .execute(
            "const e = document.activeElement; return e.id || (e.className + ':' + e.tagName)",
            vec![],
        )
        .await
        .expect("script runs")
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn the_search_page_works_in_headless_chromium() {
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        eprintln!(
            "skipped the_search_page_works_in_headless_chromium: {CHROMIUM} or {CHROMEDRIVER} \
             is missing (apt-get install chromium chromium-driver; .ci/run does)"
        );
        return;
    }
    let fixture = Fixture::new();
    let server = Server::start(&fixture.index);
    let driver = Driver::start();
    let profile = tempfile::tempdir().expect("profile dir");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": CHROMIUM,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-quic", "--no-first-run",
                    "--disable-component-update", "--disable-sync", "--disable-extensions",
                    "--disable-default-apps", "--no-default-browser-check",
                    "--window-size=1100,1300", "--lang=en-US",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
            .expect("a browser session");
        let base = format!("http://{}", server.addr);
        run(&client, &base).await;
        client.close().await.expect("closes");
    });
}

async fn run(client: &Client, base: &str) {
    client
        .goto(&format!("{base}/"))
        .await
        .expect("opens the page");
    until(
        client,
        "the page's script",
        "document.activeElement.id === 'q'",
    )
    .await;
    // The labels follow the browser's language.
    assert_eq!(
        until(client, "the language", "document.documentElement.lang").await,
        "en"
    );

    // Typing `contingents` shows highlighted results, as you type, and puts the query
    // in the URL.
    let q = client.find(Locator::Id("q")).await.expect("box");
    q.send_keys("contingents").await.expect("types");
    let marks = until(
        client,
        "highlighted results",
        "[...document.querySelectorAll('#results mark')].map(m => m.textContent.toLowerCase())",
    )
    .await;
    assert!(
        marks.as_array().is_some_and(|m| m
            .iter()
            .all(|m| m.as_str().is_some_and(|m| m.starts_with("contingent")))),
        "{marks}"
    );
    until(
        client,
        "the query in the URL",
        "location.search.includes('q=contingents')",
    )
    .await;
    let status = until(
        client,
        "the count",
        "document.getElementById('status').textContent",
    )
    .await;
    assert!(
        status
            .as_str()
            .is_some_and(|s| s.contains("passages") && s.contains("ms")),
        "{status}"
    );
    // A hit with a symbol links to the official document; nothing is fetched from it.
    let link = until(
        client,
        "a link to undocs.org",
        "[...document.querySelectorAll('#results a')].map(a => a.href).find(h => h.startsWith('https://undocs.org/'))",
    )
    .await;
    assert_eq!(link, "https://undocs.org/S/RES/2086(2013)");
    let shot = client.screenshot().await.expect("screenshot");
    let path = screenshot_path();
    std::fs::create_dir_all(path.parent().expect("folder")).expect("folder");
    std::fs::write(&path, shot).expect("saved");
    eprintln!("screenshot of the search page: {}", path.display());

    // An accent-free query finds the accented passage.
    q.clear().await.expect("clears");
    q.send_keys("securite").await.expect("types");
    let marked = until(
        client,
        "the accented passage",
        "[...document.querySelectorAll('#results mark')].map(m => m.textContent).find(t => t.toLowerCase() === 'sécurité')",
    )
    .await;
    assert_eq!(
        marked.as_str().map(str::to_lowercase).as_deref(),
        Some("sécurité")
    );

    // Both apostrophes, and a phrase.
    q.clear().await.expect("clears");
    q.send_keys("\"l'Organisation doit\"").await.expect("types");
    q.send_keys(&Key::Enter).await.expect("Enter");
    until(
        client,
        "the phrase with the other apostrophe",
        "[...document.querySelectorAll('#results .snippet')].some(s => s.textContent.includes('l’Organisation doit'))",
    )
    .await;

    // A symbol, pasted with its space and parentheses: its document first.
    q.clear().await.expect("clears");
    q.send_keys("S/RES/242 (1967)").await.expect("types");
    q.send_keys(&Key::Enter).await.expect("Enter");
    let heading = until(
        client,
        "the symbol's document first",
        "(() => { const h = [...document.querySelectorAll('#results .hit h2')].slice(0, 2).map(h => h.textContent); return h.length === 2 ? h : null })()",
    )
    .await;
    // The phrase before had one hit; the symbol gives its document's passages in order.
    assert_eq!(heading, json!(["S/RES/242 (1967)", "S/RES/242 (1967)"]));

    // A language filter.
    q.clear().await.expect("clears");
    q.send_keys("contingents").await.expect("types");
    q.send_keys(&Key::Enter).await.expect("Enter");
    until(
        client,
        "results",
        "document.querySelectorAll('#results .hit').length > 0",
    )
    .await;
    client
        .find(Locator::Id("f-lang"))
        .await
        .expect("filter")
        .select_by_value("en")
        .await
        .expect("selects");
    until(
        client,
        "the filter in the URL",
        "location.search.includes('lang=en')",
    )
    .await;
    let langs = until(
        client,
        "English results only",
        "(() => { const l = [...document.querySelectorAll('#results .hit .lang')].map(e => e.textContent); return l.length && l.every(x => x === 'EN') ? l : null })()",
    )
    .await;
    assert!(langs.as_array().is_some_and(|l| !l.is_empty()));

    // Open a document at its passage, and come back.
    let first = client
        .find(Locator::Css("#results a.open"))
        .await
        .expect("a result");
    let key = first
        .attr("data-key")
        .await
        .expect("attr")
        .unwrap_or_default();
    let passage: u64 = key
        .rsplit('\u{1f}')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("passage");
    first.click().await.expect("opens");
    let target = until(
        client,
        "the passage highlighted",
        "(() => { const t = document.querySelector('.passages li.target'); if (!t) return null; const r = t.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight ? t.dataset.passage : null })()",
    )
    .await;
    assert_eq!(target, passage.to_string());
    until(
        client,
        "the document in the URL",
        "location.search.includes('doc=')",
    )
    .await;
    std::fs::write(
        screenshot_path().with_file_name("document.png"),
        client.screenshot().await.expect("screenshot"),
    )
    .expect("saved");
    client
        .find(Locator::Id("back"))
        .await
        .expect("back")
        .click()
        .await
        .expect("back");
    until(
        client,
        "the results again",
        "!document.getElementById('search-view').hidden && document.querySelectorAll('#results .hit').length > 0 && location.search.includes('lang=en') && !location.search.includes('doc=')",
    )
    .await;

    // The keyboard alone, from a link to the query: `/` focuses the box, the arrows
    // move through the results, Enter opens one, Escape comes back to it.
    client
        .goto(&format!("{base}/?q=contingents"))
        .await
        .expect("opens the link");
    until(
        client,
        "results at once",
        "document.querySelectorAll('#results a.open').length >= 2",
    )
    .await;
    client
        .execute("document.activeElement.blur()", vec![])
        .await
        .expect("blur");
    press(client, &['/']).await;
    assert_eq!(focused(client).await, "q");
    press(client, &[Key::Down.into(), Key::Down.into()]).await;
    let second = until(
        client,
        "the second result focused",
        "(() => { const l = [...document.querySelectorAll('#results a.open')]; return l.indexOf(document.activeElement) === 1 ? document.activeElement.dataset.key : null })()",
    )
    .await;
    let outline = until(
        client,
        "a visible focus",
        "getComputedStyle(document.activeElement).outlineStyle",
    )
    .await;
    assert_ne!(outline, "none");
    press(client, &[Key::Enter.into()]).await;
    until(
        client,
        "the document",
        "document.querySelector('.passages li.target') !== null",
    )
    .await;
    until(
        client,
        "the passage focused",
        "document.activeElement.classList.contains('target')",
    )
    .await;
    press(client, &[Key::Escape.into()]).await;
    let back = until(
        client,
        "the opened result focused again",
        "document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.key : null",
    )
    .await;
    assert_eq!(back, second);

    // A wrong query says where; nothing found says so.
    let q = client.find(Locator::Id("q")).await.expect("box");
    q.clear().await.expect("clears");
    q.send_keys("paix \"sécurité").await.expect("types");
    let error = until(
        client,
        "the syntax error",
        "!document.getElementById('error').hidden && document.getElementById('error').textContent",
    )
    .await;
    assert!(
        error.as_str().is_some_and(|e| e.contains("column 6")),
        "{error}"
    );
    assert_eq!(
        client
            .execute(
                "return document.getElementById('q').getAttribute('aria-invalid')",
                vec![]
            )
            .await
            .expect("script"),
        "true"
    );
    q.clear().await.expect("clears");
    q.send_keys("zzxqv").await.expect("types");
    until(
        client,
        "nothing matched",
        "document.querySelector('#results .empty') !== null",
    )
    .await;

    // The switch puts the labels in French.
    client
        .find(Locator::Id("ui-lang"))
        .await
        .expect("switch")
        .click()
        .await
        .expect("clicks");
    until(client, "French labels", "document.documentElement.lang === 'fr' && document.getElementById('back').textContent.includes('Retour')").await;

    cross_language(client, base).await;
}

/// The switch for both languages, reached and turned on with the keyboard: an English
/// word finds the French passage of its translation, and that passage, opened, has its
/// English twin marked and shown beside it.
async fn cross_language(client: &Client, base: &str) {
    client
        .goto(&format!("{base}/?lang=fr"))
        .await
        .expect("opens the page");
    until(
        client,
        "the page's script",
        "document.activeElement.id === 'q'",
    )
    .await;
    assert_eq!(
        until(
            client,
            "the switch's French label",
            "document.querySelector('label.cross').textContent.trim()"
        )
        .await,
        "Les deux langues (traduire mes mots)"
    );
    client
        .execute("document.getElementById('f-sort').focus()", vec![])
        .await
        .expect("focus");
    press(client, &[Key::Tab.into()]).await;
    assert_eq!(focused(client).await, "f-cross");
    press(client, &[' ']).await;
    until(
        client,
        "the switch in the URL",
        "document.getElementById('f-cross').checked && location.search.includes('cross=1')",
    )
    .await;
    let q = client.find(Locator::Id("q")).await.expect("box");
    q.send_keys("peacekeeping").await.expect("types");
    q.send_keys(&Key::Enter).await.expect("Enter");
    let hit = until(
        client,
        "a French hit for an English word",
        "(() => { const h = [...document.querySelectorAll('#results .hit')].find(h => h.querySelector('.lang').textContent === 'FR' && h.querySelector('h2').textContent === 'S/RES/2086 (2013)' && !h.querySelector('.missing')); return h ? h.querySelector('a.open').dataset.key : null })()",
    )
    .await;
    assert!(client
        .execute("return location.search", vec![])
        .await
        .expect("script")
        .as_str()
        .is_some_and(|s| s.contains("cross=1")
            && s.contains("lang=fr")
            && s.contains("q=peacekeeping")),);
    let langs = client
        .execute(
            "return [...document.querySelectorAll('#results .hit .lang')].map(e => e.textContent)",
            vec![],
        )
        .await
        .expect("script");
    assert!(
        langs
            .as_array()
            .is_some_and(|l| l.iter().all(|l| l == "FR")),
        "{langs}"
    );
    // The key holds unit separators, which a CSS selector would have to escape.
    let key = hit.as_str().unwrap_or_default().to_string();
    let mut french = None;
    for link in client
        .find_all(Locator::Css("#results a.open"))
        .await
        .expect("results")
    {
        if link.attr("data-key").await.expect("attr").as_deref() == Some(key.as_str()) {
            french = Some(link);
            break;
        }
    }
    french
        .expect("the French hit")
        .click()
        .await
        .expect("opens");
    // The opened French passage, its English twin marked in the twin section and
    // its text shown under the French one; each passage has a marker to its twin.
    let twin = until(
        client,
        "the twin passage marked",
        "(() => { const t = document.querySelector('#doc section:first-child .passages li.target'); const w = document.querySelector('#doc section.twin .passages li.twin-target'); return t && w && t.querySelector('.twin-text') ? [t.id, w.id, t.querySelector('.twin-link').textContent, t.querySelector('.twin-text').textContent] : null })()",
    )
    .await;
    assert_eq!(twin[0], "p-fr-1", "{twin}");
    assert_eq!(twin[1], "p-en-1", "{twin}");
    assert_eq!(twin[2], "⇄ EN 1", "{twin}");
    assert!(
        twin[3]
            .as_str()
            .is_some_and(|t| t.contains("peacekeeping operations")),
        "{twin}"
    );
    until(
        client,
        "the opened passage in view",
        "(() => { const r = document.querySelector('.passages li.target').getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight })()",
    )
    .await;
    std::fs::write(
        screenshot_path().with_file_name("twins.png"),
        client.screenshot().await.expect("screenshot"),
    )
    .expect("saved");
    // The marker, followed with the keyboard, brings the twin into view and focus.
    client
        .execute(
            "document.querySelector('.passages li.target .twin-link').focus()",
            vec![],
        )
        .await
        .expect("focus");
    press(client, &[Key::Enter.into()]).await;
    until(
        client,
        "the twin focused and in view",
        "(() => { const e = document.activeElement; if (e.id !== 'p-en-1') return false; const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight })()",
    )
    .await;
    assert!(
        client
            .execute("return location.search.includes('doc=')", vec![])
            .await
            .expect("script")
            == Value::Bool(true)
    );
}
