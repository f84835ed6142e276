//! The peer servers and this package's clients for them: the endpoints `peers/peers.sh start`
//! writes, one client per service, and the set-up calls (tables, items, buckets) every test
//! makes before it lists anything.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use paginate_peers::{AwsJson, BlockingClient, Credentials, Endpoint, PeerError, Protocol, S3Rest};
use serde_json::Value;

use super::HOW;

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
pub(crate) fn setup<P: Protocol>(
    server: Server,
    api: &BlockingClient<P>,
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
