//! The style servers, started by the tests themselves: json-server 0.17, json-server 1.x and
//! Django REST framework, installed by `peers/styles.sh install` (pinned versions there) under
//! `target/peers/styles` (or `$PAGINATE_STYLES_DIR`), run through the launchers in
//! `peers/styles/`.
//!
//! [`Server::start`] spawns one, reads the port it chose from its first line
//! (`listening on 127.0.0.1:PORT`), polls until it answers a real listing request, and the
//! guard kills it (by its PID) when dropped. Each server is a process of its own, so tests
//! can run in parallel; a server also exits by itself when the test process goes away (its
//! stdin closes). [`Server::data`] is what the server holds, as it serves it unpaginated,
//! for comparing a paginated listing with.
#![allow(dead_code)] // Support for the style tests: not every test uses every part.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How to get the servers, said by every failure that is about a missing install.
pub(crate) const HOW: &str = "install them with `peers/styles.sh install` (needs python3 and npm; \
     the pinned versions go to target/peers/styles, or to $PAGINATE_STYLES_DIR)";

/// How long a server may take to say its port and then to answer.
const STARTUP: Duration = Duration::from_secs(60);
/// How often readiness is polled.
const POLL: Duration = Duration::from_millis(10);

/// One of the servers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    /// json-server 0.17: `GET /posts?_page=N&_limit=M`, a bare array, `Link` and
    /// `X-Total-Count` headers.
    JsonServer017,
    /// json-server 1.x: `GET /posts?_page=N&_per_page=M`,
    /// `{"first", "prev", "next", "last", "pages", "items", "data"}`.
    JsonServer1,
    /// Django REST framework: `/pn/items/`, `/lo/items/`, `/cursor/items/` (and the same under
    /// `/tls/` and `/foreign/`), `/all/items/` unpaginated.
    Drf,
}

impl Kind {
    pub(crate) const ALL: [Kind; 3] = [Kind::JsonServer017, Kind::JsonServer1, Kind::Drf];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::JsonServer017 => "json-server-0.17",
            Kind::JsonServer1 => "json-server-1",
            Kind::Drf => "djangorestframework",
        }
    }

    /// The installed (pinned) version of the server.
    pub(crate) fn version(self) -> &'static str {
        installed().versions[self.name()].as_str().unwrap_or("?")
    }

    /// How many items the server holds when started with [`Server::start`].
    pub(crate) fn default_items(self) -> usize {
        match self {
            Kind::JsonServer017 => 500,
            Kind::JsonServer1 => 3000,
            Kind::Drf => 1000,
        }
    }

    /// The path that lists the whole collection unpaginated.
    pub(crate) fn all_path(self) -> &'static str {
        match self {
            Kind::JsonServer017 | Kind::JsonServer1 => "/posts",
            Kind::Drf => "/all/items/",
        }
    }
}

/// What `peers/styles.sh install` wrote to `installed.json`: where each runtime and package is.
#[derive(Debug)]
pub(crate) struct Installed {
    pub(crate) dir: PathBuf,
    pub(crate) node: PathBuf,
    pub(crate) python: PathBuf,
    pub(crate) json_server_017: PathBuf,
    pub(crate) json_server_1: PathBuf,
    pub(crate) versions: Value,
}

/// The install directory: `$PAGINATE_STYLES_DIR`, else `target/peers/styles`.
pub(crate) fn styles_dir() -> PathBuf {
    match std::env::var_os("PAGINATE_STYLES_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../target/peers/styles"
        )),
    }
}

/// The launchers (`peers/styles/`), part of the repository.
pub(crate) fn launchers_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/styles"))
}

/// The install in `dir`; panics, saying what to do, when it is missing or incomplete.
pub(crate) fn installed_in(dir: &Path) -> Installed {
    let path = dir.join("installed.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the style tests need json-server 0.17, json-server 1.x and Django REST framework \
             installed, and {} ({e}) says they are not: {HOW}",
            path.display()
        )
    });
    let doc: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not JSON ({e}): {HOW}", path.display()));
    let field = |name: &str| {
        let value = PathBuf::from(
            doc[name]
                .as_str()
                .unwrap_or_else(|| panic!("{} has no `{name}`: {HOW}", path.display())),
        );
        assert!(
            value.exists(),
            "{} says `{name}` is {}, which does not exist: {HOW}",
            path.display(),
            value.display()
        );
        value
    };
    Installed {
        dir: dir.to_path_buf(),
        node: field("node"),
        python: field("python"),
        json_server_017: field("json_server_017"),
        json_server_1: field("json_server_1"),
        versions: doc["versions"].clone(),
    }
}

/// The install the tests use (read once).
pub(crate) fn installed() -> &'static Installed {
    static INSTALLED: OnceLock<Installed> = OnceLock::new();
    INSTALLED.get_or_init(|| installed_in(&styles_dir()))
}

/// One running server; killed (by PID) and reaped when dropped.
#[derive(Debug)]
pub(crate) struct Server {
    kind: Kind,
    items: usize,
    port: u16,
    base: String,
    child: Child,
    /// Held open: the server exits when it closes (the guard dropped, or the test process gone).
    stdin: Option<ChildStdin>,
    /// Everything the server wrote to stderr so far, for failure messages.
    stderr: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `kind` with its default data set ([`Kind::default_items`]).
    pub(crate) fn start(kind: Kind) -> Server {
        Server::start_with(kind, kind.default_items())
    }

    /// Starts `kind` holding `items` items (`post-0001`… / `item-0001`…, ids from 1), waits
    /// until it answers a listing request, and returns its guard.
    pub(crate) fn start_with(kind: Kind, items: usize) -> Server {
        let installed = installed();
        let launchers = launchers_dir();
        let mut command = match kind {
            Kind::JsonServer017 => {
                let mut c = Command::new(&installed.node);
                c.arg(launchers.join("json-server-0.17.cjs"))
                    .arg(&installed.json_server_017);
                c
            }
            Kind::JsonServer1 => {
                let mut c = Command::new(&installed.node);
                c.arg(launchers.join("json-server-1.mjs"))
                    .arg(&installed.json_server_1);
                c
            }
            Kind::Drf => {
                let mut c = Command::new(&installed.python);
                c.arg(launchers.join("drf_server.py"))
                    .env("PYTHONUNBUFFERED", "1")
                    .env("PYTHONDONTWRITEBYTECODE", "1");
                c
            }
        };
        command
            .arg(items.to_string())
            .env("PAGINATE_STYLES_EXIT_ON_EOF", "1")
            // No `public/` there for json-server to serve.
            .current_dir(&installed.dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().unwrap_or_else(|e| {
            panic!("could not start {} ({command:?}): {e}; {HOW}", kind.name())
        });
        let stdin = child.stdin.take();

        // stderr: drained all along (a full pipe would block the server), kept for messages.
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut pipe = child.stderr.take().unwrap();
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            while let Ok(n @ 1..) = pipe.read(&mut chunk) {
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&chunk[..n]));
            }
        });
        // stdout: the first `listening on 127.0.0.1:PORT` line gives the port; the rest is
        // drained too.
        let (tx, rx) = mpsc::channel();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                if !sent && let Some(port) = line.trim().strip_prefix("listening on 127.0.0.1:") {
                    let _ = tx.send(port.parse::<u16>().ok());
                    sent = true;
                }
            }
        });

        let mut server = Server {
            kind,
            items,
            port: 0,
            base: String::new(),
            child,
            stdin,
            stderr,
        };
        let deadline = Instant::now() + STARTUP;
        server.port = loop {
            match rx.recv_timeout(POLL) {
                Ok(Some(port)) => break port,
                Ok(None) => server.fail("printed a `listening on` line without a port"),
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    server.fail("closed its stdout without saying which port it listens on")
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    server.check_alive("before saying which port it listens on");
                    if Instant::now() > deadline {
                        server.fail(&format!(
                            "did not say which port it listens on within {STARTUP:?}"
                        ));
                    }
                }
            }
        };
        server.base = format!("http://127.0.0.1:{}", server.port);

        // Ready means: answers a real listing request.
        let probe = match kind {
            Kind::JsonServer017 => "/posts?_page=1&_limit=1",
            Kind::JsonServer1 => "/posts?_page=1&_per_page=1",
            Kind::Drf => "/pn/items/?page_size=1",
        };
        let client = client();
        loop {
            let last = match client.get(server.url(probe)).send() {
                Ok(response) if response.status().is_success() => break,
                Ok(response) => format!("HTTP {}", response.status()),
                Err(e) => e.to_string(),
            };
            server.check_alive("before answering");
            if Instant::now() > deadline {
                server.fail(&format!(
                    "did not answer GET {probe} within {STARTUP:?} (last: {last})"
                ));
            }
            std::thread::sleep(POLL);
        }
        server
    }

    pub(crate) fn kind(&self) -> Kind {
        self.kind
    }

    /// The number of items it was started with.
    pub(crate) fn items(&self) -> usize {
        self.items
    }

    pub(crate) fn port(&self) -> u16 {
        self.port
    }

    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub(crate) fn base(&self) -> &str {
        &self.base
    }

    /// The absolute URL of `path_and_query` (which starts with `/`).
    pub(crate) fn url(&self, path_and_query: &str) -> String {
        assert!(
            path_and_query.starts_with('/'),
            "not a path: {path_and_query}"
        );
        format!("{}{path_and_query}", self.base)
    }

    /// `json-server-0.17 0.17.4 at http://127.0.0.1:PORT (PID n)`, for messages.
    pub(crate) fn describe(&self) -> String {
        format!(
            "{} {} at {} (PID {})",
            self.kind.name(),
            self.kind.version(),
            self.base,
            self.pid()
        )
    }

    /// What the server wrote to stderr so far.
    pub(crate) fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// `GET path_and_query`: status, headers and body, the body parsed as JSON.
    pub(crate) fn get(&self, path_and_query: &str) -> Response {
        get_url(&self.url(path_and_query))
    }

    /// Everything the server holds, as it serves it unpaginated (`GET /posts` for json-server,
    /// `GET /all/items/` for DRF), in its order (by id).
    pub(crate) fn data(&self) -> Vec<Value> {
        let response = self.get(self.kind.all_path());
        assert_eq!(
            response.status,
            200,
            "{}: GET {}: {}",
            self.describe(),
            self.kind.all_path(),
            response.text
        );
        match response.body {
            Value::Array(items) => items,
            other => panic!(
                "{}: GET {} is not an array: {other}",
                self.describe(),
                self.kind.all_path()
            ),
        }
    }

    fn check_alive(&mut self, when: &str) {
        if let Ok(Some(status)) = self.child.try_wait() {
            self.fail(&format!("exited ({status}) {when}"));
        }
    }

    fn fail(&mut self, what: &str) -> ! {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // The stderr reader may still be copying the last output.
        std::thread::sleep(Duration::from_millis(50));
        panic!(
            "{} {} {what}; its stderr:\n{}\n(is it installed? {HOW})",
            self.kind.name(),
            self.kind.version(),
            self.stderr()
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP response, read whole.
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) text: String,
    /// The body as JSON (`Value::Null` when it is not JSON).
    pub(crate) body: Value,
}

impl Response {
    /// The value of header `name` as a string (`None` when absent or not text).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A blocking client for the tests' own requests (set-up, probes, smoke tests).
pub(crate) fn client() -> &'static reqwest::blocking::Client {
    static CLIENT: OnceLock<reqwest::blocking::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap()
    })
}

/// `GET url`, read whole.
pub(crate) fn get_url(url: &str) -> Response {
    let response = client()
        .get(url)
        .send()
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response
        .text()
        .unwrap_or_else(|e| panic!("GET {url}: reading the body: {e}"));
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Response {
        status,
        headers,
        text,
        body,
    }
}

/// The items `kind` holds when started with `items` items, as it serves them: what the
/// launchers generate (json-server 1.x serves ids as strings, as it does for a db.json).
pub(crate) fn expected_items(kind: Kind, items: usize) -> Vec<Value> {
    (1..=items)
        .map(|n| match kind {
            Kind::JsonServer017 => json!({"id": n, "title": format!("post-{n:04}")}),
            Kind::JsonServer1 => json!({"id": n.to_string(), "title": format!("post-{n:04}")}),
            Kind::Drf => json!({"id": n, "title": format!("item-{n:04}")}),
        })
        .collect()
}

/// The relations of a `Link` header (RFC 8288), in order: `(rel, target)`. Enough for the
/// headers these servers write (`<url>; rel="name"`, comma-separated, no commas in URLs).
pub(crate) fn link_relations(header: &str) -> Vec<(String, String)> {
    header
        .split(',')
        .filter_map(|part| {
            let (target, params) = part.trim().split_once(';')?;
            let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
            let rel = params.split(';').find_map(|p| {
                let (name, value) = p.trim().split_once('=')?;
                (name.trim().eq_ignore_ascii_case("rel")).then(|| value.trim().trim_matches('"'))
            })?;
            Some((rel.to_owned(), target.to_owned()))
        })
        .collect()
}
