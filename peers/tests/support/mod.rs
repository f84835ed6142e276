//! What every peer test shares: the servers' endpoints (written by `peers/peers.sh start`),
//! botocore's real paginator models, the boto3 oracle (`python/oracle.py`), and the driver
//! that runs one listing through paginate and through boto3 with the same page sizes,
//! `max_items` and resume tokens and compares items, page boundaries, tokens, full results
//! and searches.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use paginated::{Model, PageRequest, Registry, Route, Transport};
use paginate_peers::{AwsJson, BlockingClient, Credentials, Endpoint, PeerError, S3Rest};
use serde_json::{Map, Value, json};

/// How to get the servers, said by every failure that is about a missing server.
pub(crate) const HOW: &str = "install and start them with `peers/peers.sh install && peers/peers.sh start` \
    (needs python3, node >= 20 with npm, cargo and curl; `.ci/run` does this), and stop them \
    afterwards with `peers/peers.sh stop`";

// ------------------------------------------------------------------------------- servers

/// The endpoints file `peers/peers.sh start` writes.
#[derive(Debug)]
pub(crate) struct Env {
    pub(crate) moto: String,
    pub(crate) dynalite: String,
    pub(crate) s3s_fs: String,
    pub(crate) s3s_fs_credentials: Credentials,
    pub(crate) python: String,
    pub(crate) versions: Value,
}

fn endpoints_path() -> PathBuf {
    match std::env::var_os("PAGINATE_PEERS_DIR") {
        Some(dir) => PathBuf::from(dir).join("endpoints.json"),
        None => PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../target/peers/endpoints.json"
        )),
    }
}

/// The servers' endpoints; fails loudly, saying what to do, when they are not running.
pub(crate) fn env() -> &'static Env {
    static ENV: OnceLock<Env> = OnceLock::new();
    ENV.get_or_init(|| {
        let path = endpoints_path();
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "the peer tests need moto, dynalite and s3s-fs running, and {} ({e}) says \
                 they are not: {HOW}",
                path.display()
            )
        });
        let doc: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not JSON ({e}): {HOW}", path.display()));
        let field = |name: &str| {
            doc[name]
                .as_str()
                .unwrap_or_else(|| panic!("{} has no `{name}`: {HOW}", path.display()))
                .to_owned()
        };
        Env {
            moto: field("moto"),
            dynalite: field("dynalite"),
            s3s_fs: field("s3s_fs"),
            s3s_fs_credentials: Credentials::new(
                field("s3s_fs_access_key"),
                field("s3s_fs_secret_key"),
            ),
            python: field("python"),
            versions: doc["versions"].clone(),
        }
    })
}

/// One of the peer servers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Server {
    Moto,
    Dynalite,
    S3sFs,
}

impl Server {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Server::Moto => "moto",
            Server::Dynalite => "dynalite",
            Server::S3sFs => "s3s-fs",
        }
    }

    pub(crate) fn url(self) -> &'static str {
        let env = env();
        match self {
            Server::Moto => &env.moto,
            Server::Dynalite => &env.dynalite,
            Server::S3sFs => &env.s3s_fs,
        }
    }

    pub(crate) fn credentials(self) -> Credentials {
        match self {
            Server::S3sFs => env().s3s_fs_credentials.clone(),
            Server::Moto | Server::Dynalite => Credentials::unchecked(),
        }
    }

    pub(crate) fn endpoint(self) -> Endpoint {
        Endpoint::new(self.url(), self.credentials()).unwrap()
    }

    /// `name 1.2.3 at http://…`, for messages.
    pub(crate) fn describe(self) -> String {
        format!(
            "{} {} at {}",
            self.name(),
            env().versions[self.name()].as_str().unwrap_or("?"),
            self.url()
        )
    }
}

pub(crate) type Json = BlockingClient<AwsJson>;
pub(crate) type S3 = BlockingClient<S3Rest>;

pub(crate) fn dynamodb(server: Server) -> Json {
    BlockingClient::new(AwsJson::dynamodb(server.endpoint())).unwrap()
}

pub(crate) fn s3(server: Server) -> S3 {
    BlockingClient::new(S3Rest::new(server.endpoint())).unwrap()
}

pub(crate) fn logs() -> Json {
    BlockingClient::new(AwsJson::logs(Server::Moto.endpoint())).unwrap()
}

pub(crate) fn secrets_manager() -> Json {
    BlockingClient::new(AwsJson::secrets_manager(Server::Moto.endpoint())).unwrap()
}

/// Sends one set-up request (creating tables, items, buckets, …); a failure says which
/// server did not answer and how to start it.
pub(crate) fn setup<T: Transport<Error = PeerError>>(
    server: Server,
    api: &T,
    operation: &str,
    params: Value,
) -> Value {
    let params = params.as_object().cloned().unwrap_or_default();
    match api.call(operation, &params) {
        Ok(page) => page,
        Err(e @ PeerError::Request { .. }) => {
            let mut causes = String::new();
            // The message has the first cause already; add the ones under it.
            let mut source = std::error::Error::source(&e).and_then(|s| s.source());
            while let Some(cause) = source {
                causes.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            panic!(
                "{} does not answer: {e}{causes}\nIs it running? {HOW}",
                server.describe()
            )
        }
        Err(e) => panic!("set-up on {} failed: {e}", server.describe()),
    }
}

/// A name no other test (or earlier run against the same servers) uses: lowercase letters,
/// digits and `-`, so it is a valid bucket name too.
pub(crate) fn unique(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "{prefix}-{}-{}-{nanos:09}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Calls `probe` until it returns `Some`, at most for `limit`; polling, not a fixed wait.
pub(crate) fn poll<T>(what: &str, limit: Duration, mut probe: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(value) = probe() {
            return value;
        }
        assert!(Instant::now() < deadline, "{what}: not within {limit:?}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

// -------------------------------------------------------------------- botocore and boto3

/// Runs `python/oracle.py` with the virtualenv's Python (boto3 and moto live there) and
/// returns what it did, failed or not.
pub(crate) fn run_oracle(request: &Value) -> std::process::Output {
    let python = &env().python;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/python/oracle.py");
    let mut child = Command::new(python)
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("the boto3 oracle needs {python} ({e}): {HOW}"));
    let input = serde_json::to_vec(request).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    out
}

/// Runs the oracle and returns its answer; its failure fails the test.
pub(crate) fn oracle(request: &Value) -> Value {
    let out = run_oracle(request);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let hint = if stderr.contains("No module named") {
        format!("\nboto3 is missing for {}: {HOW}", env().python)
    } else {
        String::new()
    };
    assert!(
        out.status.success(),
        "the boto3 oracle failed: {}{hint}",
        stderr.trim()
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// One oracle job: boto3's paginator for `operation` on `server` (see `python/oracle.py`).
pub(crate) fn boto3_job(
    server: Server,
    service: &str,
    operation: &str,
    params: &Value,
    config: &Config,
) -> Value {
    let credentials = server.credentials();
    json!({
        "service": service,
        "endpoint": server.url(),
        "access_key": credentials.access_key,
        "secret_key": credentials.secret_key,
        "operation": operation,
        "params": params,
        "config": config.boto3(),
    })
}

/// botocore's `paginators-1.json` of the services the tests use, as the installed botocore
/// loads them for boto3 (sdk-extras merged).
struct Botocore {
    version: String,
    registries: HashMap<String, Registry>,
}

fn botocore() -> &'static Botocore {
    static BOTOCORE: OnceLock<Botocore> = OnceLock::new();
    BOTOCORE.get_or_init(|| {
        let services = ["dynamodb", "s3", "logs", "secretsmanager"];
        let answer = oracle(&json!({ "models": services }));
        let registries = services
            .iter()
            .map(|s| {
                (
                    s.to_string(),
                    Registry::from_value(&answer["models"][s]).unwrap(),
                )
            })
            .collect();
        Botocore {
            version: answer["botocore"].as_str().unwrap().to_owned(),
            registries,
        }
    })
}

/// botocore's real model of `operation` of `service`, with the HTTP route the service's
/// protocol gives the operation (botocore's paginator models carry none): runs go where the
/// model says.
pub(crate) fn model(service: &str, operation: &str) -> Model {
    let model = botocore().registries[service].get(operation).unwrap();
    assert!(model.route().is_none(), "botocore's models have no routes");
    model.with_route(route(service, operation))
}

/// The route of `operation` of `service` in its protocol.
pub(crate) fn route(service: &str, operation: &str) -> Route {
    match service {
        "s3" => S3Rest::route_of(operation),
        _ => AwsJson::route_of(operation),
    }
    .unwrap()
}

pub(crate) fn botocore_version() -> &'static str {
    &botocore().version
}

// ---------------------------------------------------------------------- views of pages

/// The part of a page both sides can be compared on: the result keys (whole items, or
/// some of their fields, leaving out what botocore turns into other types, like
/// timestamps) and some page-level values (tokens, flags, counts).
#[derive(Debug, Clone)]
pub(crate) struct View {
    /// (result key, fields of each item; empty = the whole item). The first is primary.
    pub(crate) lists: Vec<(&'static str, Vec<&'static str>)>,
    /// Page-level keys compared as they are (absent stays absent).
    pub(crate) scalars: Vec<&'static str>,
}

impl View {
    pub(crate) fn project_item(fields: &[&str], item: &Value) -> Value {
        if fields.is_empty() {
            return item.clone();
        }
        let mut out = Map::new();
        for field in fields {
            if let Some(value) = item.get(*field) {
                out.insert((*field).to_owned(), value.clone());
            }
        }
        Value::Object(out)
    }

    pub(crate) fn list(&self, page: &Value, index: usize) -> Vec<Value> {
        let (key, fields) = &self.lists[index];
        match page.get(*key) {
            Some(Value::Array(items)) => items
                .iter()
                .map(|i| View::project_item(fields, i))
                .collect(),
            _ => Vec::new(),
        }
    }

    pub(crate) fn primary(&self, page: &Value) -> Vec<Value> {
        self.list(page, 0)
    }

    pub(crate) fn of(&self, page: &Value, skip_secondary_lists: bool) -> Value {
        let mut out = Map::new();
        for (index, (key, _)) in self.lists.iter().enumerate() {
            if index > 0 && skip_secondary_lists {
                continue;
            }
            // A secondary key the page lacks is absent on both sides, though botocore writes
            // it as `None` on the first page of a resumed run (its `_handle_first_request`
            // sets an empty value for every secondary key); paginate leaves it absent.
            if page.get(*key).is_some_and(Value::is_array) {
                out.insert((*key).to_owned(), Value::Array(self.list(page, index)));
            }
        }
        // `null` is absent: botocore drops a member a JSON service sends as null (moto sends
        // `"NextToken": null` on last pages, where AWS leaves the member out).
        for key in &self.scalars {
            if let Some(value) = page.get(*key).filter(|v| !v.is_null()) {
                out.insert((*key).to_owned(), value.clone());
            }
        }
        Value::Object(out)
    }
}

// ------------------------------------------------------------------------------ the runs

/// The options of one run, as paginate and boto3's `PaginationConfig` take them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Config {
    pub(crate) page_size: Option<u64>,
    pub(crate) max_items: Option<u64>,
    pub(crate) starting_token: Option<String>,
}

impl Config {
    pub(crate) fn boto3(&self) -> Value {
        let mut config = Map::new();
        if let Some(p) = self.page_size {
            config.insert("PageSize".into(), json!(p));
        }
        if let Some(m) = self.max_items {
            config.insert("MaxItems".into(), json!(m));
        }
        if let Some(t) = &self.starting_token {
            config.insert("StartingToken".into(), json!(t));
        }
        Value::Object(config)
    }
}

/// paginate's run, in the shape the oracle prints boto3's: pages, the resume token after
/// the last page, the full result (a second run) and a search (a third).
pub(crate) fn paginate_run<T: Transport<Error = PeerError>>(
    model: &Model,
    api: &T,
    params: &Value,
    config: &Config,
    search: &str,
) -> Value {
    let start = || {
        let mut run = model.paginate(api, params.clone());
        if let Some(p) = config.page_size {
            run = run.page_size(p);
        }
        if let Some(m) = config.max_items {
            run = run.max_items(m);
        }
        if let Some(t) = &config.starting_token {
            run = run.starting_token(Some(t.clone()));
        }
        run
    };
    let context = || format!("paginate {} {params} {config:?}", model.operation());
    let mut pages = start();
    let listed: Vec<Value> = pages
        .by_ref()
        .map(|p| p.unwrap_or_else(|e| panic!("{}: {e}", context())))
        .collect();
    let resume_token = pages.resume_token();
    let full = start()
        .build_full_result()
        .unwrap_or_else(|e| panic!("{}: {e}", context()));
    let found: Vec<Value> = start()
        .search(search)
        .unwrap()
        .map(|r| r.unwrap_or_else(|e| panic!("{}: {e}", context())))
        .collect();
    json!({"pages": listed, "resume_token": resume_token, "full_result": full, "search": found})
}

/// The decoded JSON of a resume token (botocore's format: base64 of JSON).
pub(crate) fn decode_token(token: &str) -> Value {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(token)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// Whether a token's JSON holds `\uXXXX` escapes (Python's `json.dumps` writes every
/// character outside ASCII so; paginate must write the same bytes).
fn escapes_non_ascii(token: &str) -> bool {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(token)
        .unwrap();
    String::from_utf8(bytes).unwrap().contains("\\u")
}

fn has_offset(token: &str) -> bool {
    decode_token(token).get("boto_truncate_amount").is_some()
}

/// What one comparison covered, summed over a test.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Tally {
    /// Items (of every result key, in pages, full results and searches) found equal.
    pub(crate) items: usize,
    /// Pages whose boundaries and contents were found equal.
    pub(crate) pages: usize,
    /// Runs compared (each is three runs on each side: pages, full result, search).
    pub(crate) runs: usize,
    /// Resume tokens found byte-identical, or made by one side and resumed by the other.
    pub(crate) tokens: usize,
    /// Secondary results (S3 `CommonPrefixes`, `DeleteMarkers`) botocore dropped from the
    /// first page of a run resumed at a page boundary, and paginate returned (botocore#3119).
    pub(crate) lost_by_botocore: usize,
    /// Of `tokens`, those whose JSON escapes characters outside ASCII (`\u00e9`).
    pub(crate) escaped_tokens: usize,
}

impl Tally {
    pub(crate) fn add(&mut self, other: Tally) {
        self.items += other.items;
        self.pages += other.pages;
        self.runs += other.runs;
        self.tokens += other.tokens;
        self.lost_by_botocore += other.lost_by_botocore;
        self.escaped_tokens += other.escaped_tokens;
    }

    /// Prints the line `.ci/run` sums: `peers: <test>: compared N items …`.
    pub(crate) fn print(&self, test: &str, detail: &str) {
        println!(
            "peers: {test}: compared {} items against boto3 ({} pages, {} runs, {} resume tokens \
             of which {} with \\u escapes; {} secondary results botocore dropped on resume and \
             paginate kept){}{detail}",
            self.items,
            self.pages,
            self.runs,
            self.tokens,
            self.escaped_tokens,
            self.lost_by_botocore,
            if detail.is_empty() { "" } else { "; " },
        );
    }
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap()
}

/// Compares paginate's run with boto3's run of the same config on the same server.
///
/// `resumed_at_page_boundary`: the run starts from a token without `boto_truncate_amount`.
/// botocore then empties the secondary result keys of the first page (botocore#3119, it
/// loses S3's `CommonPrefixes`); paginate keeps them (SEMANTICS R6). Those lists are checked
/// for boto3 to be empty, and for paginate by the callers, against the whole listing.
fn compare_run(
    context: &str,
    view: &View,
    ours: &Value,
    theirs: &Value,
    resumed_at_page_boundary: bool,
) -> Tally {
    let mut tally = Tally {
        runs: 1,
        ..Tally::default()
    };
    let (our_pages, their_pages) = (
        ours["pages"].as_array().unwrap(),
        theirs["pages"].as_array().unwrap(),
    );
    let boundaries = |pages: &[Value]| {
        pages
            .iter()
            .map(|p| view.primary(p).len())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        our_pages.len(),
        their_pages.len(),
        "{context}: paginate got {} pages (items per page {:?}), boto3 {} ({:?})",
        our_pages.len(),
        boundaries(our_pages),
        their_pages.len(),
        boundaries(their_pages)
    );
    for (index, (our_page, their_page)) in our_pages.iter().zip(their_pages).enumerate() {
        let skip = resumed_at_page_boundary && index == 0;
        if skip {
            for (list, (key, _)) in view.lists.iter().enumerate().skip(1) {
                assert!(
                    view.list(their_page, list).is_empty(),
                    "{context}: botocore keeps `{key}` on the first page of a run resumed at a page boundary: {}",
                    pretty(their_page)
                );
                tally.lost_by_botocore += view.list(our_page, list).len();
            }
        }
        let (a, b) = (view.of(our_page, skip), view.of(their_page, skip));
        assert_eq!(
            a,
            b,
            "{context}: page {index} differs\npaginate: {}\nboto3: {}",
            pretty(&a),
            pretty(&b)
        );
        tally.pages += 1;
        tally.items += (0..view.lists.len())
            .filter(|&l| !(skip && l > 0))
            .map(|l| view.list(our_page, l).len())
            .sum::<usize>();
    }
    assert_eq!(
        ours["resume_token"], theirs["resume_token"],
        "{context}: the resume tokens after the last page differ"
    );
    if let Some(token) = theirs["resume_token"].as_str() {
        tally.tokens += 1;
        if escapes_non_ascii(token) {
            tally.escaped_tokens += 1;
        }
    }
    let (our_full, their_full) = (&ours["full_result"], &theirs["full_result"]);
    let (a, b) = (
        view.of(our_full, resumed_at_page_boundary),
        view.of(their_full, resumed_at_page_boundary),
    );
    assert_eq!(
        a,
        b,
        "{context}: build_full_result differs\npaginate: {}\nboto3: {}",
        pretty(&a),
        pretty(&b)
    );
    assert_eq!(
        our_full.get("NextToken"),
        their_full.get("NextToken"),
        "{context}: build_full_result()[\"NextToken\"] differs"
    );
    assert_eq!(
        our_full.get("NextToken"),
        theirs["resume_token"].as_str().map(|t| json!(t)).as_ref(),
        "{context}: boto3's NextToken is not its page iterator's resume_token"
    );
    tally.items += view.primary(our_full).len();
    assert_eq!(
        ours["search"],
        theirs["search"],
        "{context}: search differs\npaginate: {}\nboto3: {}",
        pretty(&ours["search"]),
        pretty(&theirs["search"])
    );
    tally.items += ours["search"].as_array().map_or(0, Vec::len);
    tally
}

/// A transport that removes some keys from every page, on the way from the server to
/// paginate; the oracle removes the same ones for boto3 (its `drop`).
struct Without<'a, T> {
    inner: &'a T,
    keys: &'a [&'static str],
}

impl<T: Transport<Error = PeerError>> Without<'_, T> {
    fn strip(&self, mut page: Value) -> Value {
        if let Some(object) = page.as_object_mut() {
            for key in self.keys {
                object.remove(*key);
            }
        }
        page
    }
}

impl<T: Transport<Error = PeerError>> Transport for Without<'_, T> {
    type Error = PeerError;

    fn call(&self, operation: &str, params: &Map<String, Value>) -> Result<Value, PeerError> {
        Ok(self.strip(self.inner.call(operation, params)?))
    }

    /// Forwards the run's request as it is, the model's route with it.
    fn send(&self, request: PageRequest<'_>) -> Result<Value, PeerError> {
        Ok(self.strip(self.inner.send(request)?))
    }
}

/// A listing to check against boto3.
pub(crate) struct Case<'a, T> {
    /// "S3 ListObjects on moto, delimiter /", for messages.
    pub(crate) label: String,
    pub(crate) server: Server,
    /// boto3's service name.
    pub(crate) service: &'static str,
    pub(crate) model: Model,
    pub(crate) api: &'a T,
    pub(crate) params: Value,
    pub(crate) view: View,
    /// A JMESPath expression on the primary key, for `search` on both sides.
    pub(crate) search: &'static str,
    pub(crate) page_sizes: Vec<u64>,
    pub(crate) max_items: Vec<u64>,
    /// The primary items the test created, projected as in `view`.
    pub(crate) expected: Vec<Value>,
    /// Whether the server lists them in `expected`'s order (a DynamoDB Scan does not).
    pub(crate) ordered: bool,
    /// Page keys removed from every response on both sides before paginating (to give a
    /// page the shape AWS gives it where a server departs from AWS).
    pub(crate) drop: Vec<&'static str>,
}

/// What the comparison learned, for the server-specific assertions of a test.
pub(crate) struct Outcome {
    pub(crate) tally: Tally,
    /// paginate's pages of the whole listing at each page size (equal to boto3's).
    pub(crate) listings: Vec<(u64, Vec<Value>)>,
}

/// The items cut down to the fields the expected items have (a view may compare more with
/// boto3 than the test can know in advance, like an ARN or a creation time).
fn like(items: &[Value], expected: &[Value]) -> Vec<Value> {
    match expected.first().and_then(Value::as_object) {
        Some(first) => {
            let fields: Vec<&str> = first.keys().map(String::as_str).collect();
            items
                .iter()
                .map(|i| View::project_item(&fields, i))
                .collect()
        }
        None => items.to_vec(),
    }
}

fn sorted(mut items: Vec<Value>) -> Vec<Value> {
    items.sort_by_key(|v| v.to_string());
    items
}

/// The secondary lists of a run's pages, concatenated (key → items).
fn secondary(view: &View, pages: &[Value]) -> Vec<Vec<Value>> {
    (1..view.lists.len())
        .map(|l| pages.iter().flat_map(|p| view.list(p, l)).collect())
        .collect()
}

/// Runs the whole comparison of one listing:
///
/// 1. at each page size, the whole listing: pages, full result and search equal on both
///    sides, and the items equal to the data the test created;
/// 2. at each page size and `max_items`, a chain of runs, each resumed from the token boto3
///    made (`build_full_result()["NextToken"]`): paginate resumes from it, and its own token
///    is byte-identical to boto3's; together the runs list every item once;
/// 3. tokens only paginate makes (after one item, in the middle of a page, after the first
///    page) given to boto3 as `StartingToken`: boto3 resumes exactly where paginate stopped.
pub(crate) fn check_against_boto3<T: Transport<Error = PeerError>>(case: &Case<'_, T>) -> Outcome {
    let view = &case.view;
    assert_eq!(
        case.model.result_keys().next(),
        Some(view.lists[0].0),
        "{}: the view's first list must be the model's primary result key",
        case.label
    );
    let job = |config: &Config| {
        let mut job = boto3_job(
            case.server,
            case.service,
            case.model.operation(),
            &case.params,
            config,
        );
        job["search"] = json!(case.search);
        job["drop"] = json!(case.drop);
        job
    };
    let api = Without {
        inner: case.api,
        keys: &case.drop,
    };
    let run = |config: &Config| paginate_run(&case.model, &api, &case.params, config, case.search);

    // paginate's whole listings first: they give the order of the items (for a Scan) and
    // the tokens only paginate makes (step 3).
    let mut listings = Vec::new();
    let mut own_tokens = Vec::new(); // (page size, token, items before it)
    for &page_size in &case.page_sizes {
        let config = Config {
            page_size: Some(page_size),
            ..Config::default()
        };
        let ours = run(&config);
        let pages = ours["pages"].as_array().unwrap().clone();
        let total: usize = pages.iter().map(|p| view.primary(p).len()).sum();
        // After the first page: a page-boundary token.
        let mut first = case
            .model
            .paginate(&api, case.params.clone())
            .page_size(page_size);
        if let Some(page) = first.next() {
            let taken = view.primary(&page.unwrap()).len();
            if let Some(token) = first.resume_token() {
                own_tokens.push((page_size, token, taken));
            }
        }
        // After 1 item, and in the middle of the second page: item-level tokens.
        for taken in [1, page_size as usize + (page_size as usize).div_ceil(2)] {
            if taken >= total {
                continue;
            }
            let mut items = case
                .model
                .paginate(&api, case.params.clone())
                .page_size(page_size)
                .items();
            for _ in 0..taken {
                items.next().unwrap().unwrap();
            }
            own_tokens.push((page_size, items.resume_token().unwrap(), taken));
        }
        listings.push((page_size, ours));
    }

    // One oracle call for everything boto3 does.
    let mut jobs = Vec::new();
    for &page_size in &case.page_sizes {
        jobs.push(job(&Config {
            page_size: Some(page_size),
            ..Config::default()
        }));
        for &max_items in &case.max_items {
            let mut chain = job(&Config {
                page_size: Some(page_size),
                max_items: Some(max_items),
                ..Config::default()
            });
            chain["chain"] = json!(true);
            jobs.push(chain);
        }
    }
    for (page_size, token, _) in &own_tokens {
        jobs.push(job(&Config {
            page_size: Some(*page_size),
            starting_token: Some(token.clone()),
            ..Config::default()
        }));
    }
    let answer = oracle(&json!({ "jobs": jobs }));
    let mut results = answer["results"].as_array().unwrap().iter();

    let mut tally = Tally::default();
    let mut orders = HashMap::new();
    for (page_size, ours) in &listings {
        let context = format!("{} at page size {page_size}", case.label);
        let theirs = results.next().unwrap();
        tally.add(compare_run(&context, view, ours, theirs, false));
        let pages = ours["pages"].as_array().unwrap();
        let items: Vec<Value> = pages.iter().flat_map(|p| view.primary(p)).collect();
        if case.ordered {
            assert_eq!(
                like(&items, &case.expected),
                case.expected,
                "{context}: the listing is not the data the test created"
            );
        } else {
            assert_eq!(
                sorted(like(&items, &case.expected)),
                sorted(case.expected.clone()),
                "{context}: the listing is not the data the test created"
            );
        }
        orders.insert(*page_size, (items, secondary(view, pages)));

        for &max_items in &case.max_items {
            let context = format!("{context}, max_items {max_items}");
            let chain = results.next().unwrap()["runs"].as_array().unwrap().clone();
            let mut token: Option<String> = None;
            let mut items = Vec::new();
            let mut lists = vec![Vec::new(); view.lists.len() - 1];
            for (index, theirs) in chain.iter().enumerate() {
                let context = format!("{context}, run {index} from {token:?}");
                let config = Config {
                    page_size: Some(*page_size),
                    max_items: Some(max_items),
                    starting_token: token.clone(),
                };
                let ours = run(&config);
                let at_boundary = token.as_deref().is_some_and(|t| !has_offset(t));
                tally.add(compare_run(&context, view, &ours, theirs, at_boundary));
                if token.is_some() {
                    tally.tokens += 1; // boto3's token, resumed by paginate
                }
                let pages = ours["pages"].as_array().unwrap();
                let got: usize = pages.iter().map(|p| view.primary(p).len()).sum();
                assert!(
                    got as u64 <= max_items,
                    "{context}: {got} items, more than max_items"
                );
                items.extend(pages.iter().flat_map(|p| view.primary(p)));
                for (list, found) in lists.iter_mut().zip(secondary(view, pages)) {
                    list.extend(found);
                }
                token = theirs["full_result"]["NextToken"]
                    .as_str()
                    .map(str::to_owned);
                if index + 1 == chain.len() {
                    assert_eq!(token, None, "{context}: boto3's chain ended with a token");
                }
            }
            let (whole, whole_lists) = &orders[page_size];
            assert_eq!(
                &items, whole,
                "{context}: the resumed runs together are not the whole listing"
            );
            assert_eq!(
                &lists, whole_lists,
                "{context}: paginate's resumed runs together lost or repeated secondary results"
            );
        }
    }
    for (page_size, token, taken) in &own_tokens {
        let context = format!(
            "{} at page size {page_size}, paginate's token after {taken} items ({}) resumed by boto3",
            case.label,
            decode_token(token)
        );
        let theirs = results.next().unwrap();
        let ours = run(&Config {
            page_size: Some(*page_size),
            starting_token: Some(token.clone()),
            ..Config::default()
        });
        tally.add(compare_run(
            &context,
            view,
            &ours,
            theirs,
            !has_offset(token),
        ));
        tally.tokens += 1;
        if escapes_non_ascii(token) {
            tally.escaped_tokens += 1;
        }
        let resumed: Vec<Value> = theirs["pages"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| view.primary(p))
            .collect();
        assert_eq!(
            resumed,
            orders[page_size].0[*taken..],
            "{context}: boto3 did not resume right after the {taken}th item"
        );
    }
    assert!(
        results.next().is_none(),
        "{}: more oracle results than jobs",
        case.label
    );
    Outcome {
        tally,
        listings: listings
            .into_iter()
            .map(|(p, ours)| (p, ours["pages"].as_array().unwrap().clone()))
            .collect(),
    }
}
