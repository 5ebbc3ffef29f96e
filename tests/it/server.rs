//! The real `quorum serve`, started on an ephemeral loopback port, and a plain HTTP/1.1
//! client for it: the helpers of the HTTP and browser tests.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The documents of the fixture index: French and English passages, accents, both
/// apostrophes, and ids with slashes, spaces and parentheses.
pub const FIXTURE: &str = concat!(
    r#"{"id": "S/RES/242 (1967)", "lang": "fr", "symbol": "S/RES/242 (1967)", "title": "Résolution 242 (1967)", "date": "1967-11-22", "doc_type": "resolution", "text": "Le Conseil de sécurité,\n\nExprimant l’inquiétude que continue de lui causer la grave situation au Moyen-Orient,\n\nSouligne l’inadmissibilité de l’acquisition de territoire par la guerre.\n\nAffirme que l’Organisation doit veiller au retrait des forces armées."}"#,
    "\n",
    r#"{"id": "S/RES/242 (1967)", "lang": "en", "symbol": "S/RES/242 (1967)", "title": "Resolution 242 (1967)", "date": "1967-11-22", "doc_type": "resolution", "text": "The Security Council,\n\nExpressing its continuing concern with the grave situation in the Middle East,\n\nEmphasizing the inadmissibility of the acquisition of territory by war.\n\nAffirms that the Organization must see to the withdrawal of armed forces."}"#,
    "\n",
    r#"{"id": "S/RES/2086 (2013)", "lang": "fr", "symbol": "S/RES/2086 (2013)", "date": "2013-01-21", "doc_type": "resolution", "text": "Les pays fournisseurs de contingents participent aux opérations de maintien de la paix.\n\nLe Conseil salue l'engagement des contingents et du personnel de police."}"#,
    "\n",
    r#"{"id": "S/RES/2086 (2013)", "lang": "en", "symbol": "S/RES/2086 (2013)", "date": "2013-01-21", "doc_type": "resolution", "text": "Troop-contributing countries provide contingents to peacekeeping operations.\n\nThe Council welcomes the commitment of contingents and police personnel."}"#,
    "\n",
    r#"{"id": "S/PRST/1994/22", "lang": "fr", "symbol": "S/PRST/1994/22", "date": "1994-05-03", "doc_type": "presidential statement", "text": "Le Président déclare que la sécurité des contingents est une préoccupation élevée.\n\nLes élections se dérouleront dans le calme."}"#,
    "\n",
    r#"{"id": "note-1990", "lang": "en", "title": "A note", "date": "1990-02-01", "text": "Delegations met in closed consultations on the security of the region."}"#,
    "\n",
);

/// A folder with the fixture corpus and its index, removed when dropped.
pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub index: PathBuf,
}

impl Fixture {
    pub fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let docs = dir.path().join("docs");
        std::fs::create_dir(&docs).expect("docs");
        std::fs::write(docs.join("council.jsonl"), FIXTURE).expect("write");
        let index = dir.path().join("index");
        index_into(&index, &docs, false);
        Fixture { dir, index }
    }

    pub fn docs(&self) -> PathBuf {
        self.dir.path().join("docs")
    }
}

/// Runs `quorum index` (with `--rebuild`) of `docs` into `index`.
pub fn index_into(index: &Path, docs: &Path, rebuild: bool) {
    let mut cmd = crate::util::quorum();
    cmd.arg("index").arg("--index").arg(index).arg(docs);
    if rebuild {
        cmd.arg("--rebuild");
    }
    let output = cmd.output().expect("quorum index runs");
    assert!(
        output.status.success(),
        "quorum index failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The `quorum` binary as a process of its own (a server runs while the test talks to
/// it), with the environment of [`crate::util::quorum`].
pub fn process() -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("quorum"));
    cmd.env("NO_COLOR", "1").env_remove("QUORUM_INDEX").env(
        "XDG_DATA_HOME",
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("data-home"),
    );
    cmd
}

/// Reads a starting server's stderr up to its `serving … on http://ADDR/` line, and
/// returns the address and what it wrote before; kills it and fails when it exits first.
pub fn wait_for_address(child: &mut Child, stderr: &mut impl BufRead) -> (SocketAddr, String) {
    let mut line = String::new();
    let mut seen = String::new();
    loop {
        line.clear();
        if stderr.read_line(&mut line).expect("reads stderr") == 0 {
            let _ = child.kill();
            panic!("quorum serve exited before listening:\n{seen}");
        }
        seen.push_str(&line);
        if let Some(rest) = line.trim().strip_prefix("serving ") {
            let url = rest.rsplit(" on ").next().unwrap_or_default();
            let addr = url
                .trim_start_matches("http://")
                .trim_end_matches('/')
                .parse()
                .unwrap_or_else(|e| panic!("no address in {line:?}: {e}"));
            return (addr, seen);
        }
    }
}

/// A running `quorum serve`, killed when dropped.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    /// What the server wrote to stderr after its address line, read on drop.
    log: Option<std::thread::JoinHandle<String>>,
}

impl Server {
    /// Starts `quorum serve --index INDEX --addr 127.0.0.1:0` and waits for its address.
    pub fn start(index: &Path) -> Server {
        Server::start_with(index, &[])
    }

    pub fn start_with(index: &Path, args: &[&str]) -> Server {
        let mut cmd = process();
        cmd.arg("serve")
            .arg("--index")
            .arg(index)
            .args(["--addr", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("quorum serve starts");
        let stderr = child.stderr.take().expect("stderr piped");
        let mut lines = BufReader::new(stderr);
        let (addr, _) = wait_for_address(&mut child, &mut lines);
        let log = std::thread::spawn(move || {
            let mut rest = String::new();
            let _ = lines.read_to_string(&mut rest);
            rest
        });
        Server {
            child,
            addr,
            log: Some(log),
        }
    }

    /// `GET path`.
    pub fn get(&self, path: &str) -> Reply {
        get(self.addr, path)
    }

    /// Sends `raw` as it is and reads the whole reply.
    pub fn request(&self, raw: &str) -> Reply {
        request(self.addr, raw)
    }

    /// How the server process ended, or `None` while it runs: a crash (a panic that
    /// escaped, a stack overflow's abort) shows here.
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child
            .try_wait()
            .expect("the server process can be asked")
    }

    /// Stops the server and returns what it logged.
    pub fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.log
            .take()
            .and_then(|log| log.join().ok())
            .unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `GET path` from the server at `addr`.
pub fn get(addr: SocketAddr, path: &str) -> Reply {
    request(
        addr,
        &format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
    )
}

/// Sends `raw` as it is to the server at `addr` and reads the whole reply.
pub fn request(addr: SocketAddr, raw: &str) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    stream.write_all(raw.as_bytes()).expect("sends");
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).expect("reads the reply");
    Reply::parse(&bytes)
}

/// An HTTP reply.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    /// Reads a whole reply as it came from the socket.
    pub fn parse(bytes: &[u8]) -> Reply {
        let split = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or(bytes.len());
        let head = String::from_utf8_lossy(&bytes[..split]);
        let body = bytes.get(split + 4..).unwrap_or_default();
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status line in {head:?}"));
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let chunked = headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
        let body = if chunked {
            dechunk(body)
        } else {
            body.to_vec()
        };
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.body))
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line) = body.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&body[..line])
            .ok()
            .and_then(|s| usize::from_str_radix(s.trim(), 16).ok())
            .unwrap_or(0);
        let rest = &body[line + 2..];
        if size == 0 || rest.len() < size {
            break;
        }
        out.extend_from_slice(&rest[..size]);
        body = rest[size..].strip_prefix(b"\r\n").unwrap_or(&rest[size..]);
    }
    out
}

/// `text` percent-encoded for a query string.
pub fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
