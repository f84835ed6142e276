//! The `fanout` mode's server: a child process (`paginate-bench fanout-server`) serving
//! per-tenant S3 ListObjects-style listings from bodies rendered at start-up, and the handle
//! the bench keeps on it ([`ServerChild`]), which kills it when dropped.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{PER_PAGE, RUNS, key, pages_per_run};
use crate::fail;

/// Every page body, by configuration, tenant and page.
type Bodies = std::collections::HashMap<(usize, usize, usize), Bytes>;

fn render_bodies() -> Bodies {
    let mut bodies = Bodies::new();
    for runs in RUNS {
        let pages = pages_per_run(runs);
        for tenant in 0..runs {
            for page in 0..pages {
                let first = page * PER_PAGE;
                let contents: Vec<Value> = (first..first + PER_PAGE)
                    .map(|i| {
                        json!({"Key": key(tenant, i), "Size": (i * 7919 + tenant) % 100_000,
                               "ETag": format!("\"{:032x}\"", (i + tenant * 1_000_003).wrapping_mul(2_654_435_761)),
                               "StorageClass": "STANDARD"})
                    })
                    .collect();
                let marker = if page == 0 {
                    String::new()
                } else {
                    key(tenant, first - 1)
                };
                let body = json!({"Name": format!("tenant-{tenant:04}"), "Prefix": "", "Marker": marker,
                                  "MaxKeys": PER_PAGE, "IsTruncated": page + 1 < pages, "Contents": contents});
                bodies.insert((runs, tenant, page), Bytes::from(body.to_string()));
            }
        }
    }
    bodies
}

#[derive(Debug, Deserialize)]
struct MarkerQuery {
    marker: Option<String>,
}

/// The page a marker asks for: the one after the page whose last key it is.
fn page_after(tenant: usize, marker: Option<&str>) -> Option<usize> {
    let Some(marker) = marker.filter(|m| !m.is_empty()) else {
        return Some(0);
    };
    let prefix = format!("tenants/{tenant:04}/photos/2024/IMG_");
    let index: usize = marker
        .strip_prefix(&prefix)?
        .strip_suffix(".jpg")?
        .parse()
        .ok()?;
    (index + 1)
        .is_multiple_of(PER_PAGE)
        .then_some((index + 1) / PER_PAGE)
}

async fn listing(
    State(bodies): State<Arc<Bodies>>,
    Path((runs, tenant)): Path<(usize, usize)>,
    Query(query): Query<MarkerQuery>,
) -> Result<([(header::HeaderName, &'static str); 1], Bytes), (StatusCode, String)> {
    let page = page_after(tenant, query.marker.as_deref());
    match page.and_then(|page| bodies.get(&(runs, tenant, page))) {
        Some(body) => Ok(([(header::CONTENT_TYPE, "application/json")], body.clone())),
        None => Err((
            StatusCode::NOT_FOUND,
            format!(
                "no page of tenant {tenant} of {runs} after {:?}",
                query.marker
            ),
        )),
    }
}

/// The hidden `fanout-server` mode: serves until stdin closes.
pub(crate) fn serve() {
    let bodies = Arc::new(render_bodies());
    let listener = match std::net::TcpListener::bind(("127.0.0.1", 0)) {
        Ok(l) => l,
        Err(e) => fail(&format!("fanout server: bind: {e}")),
    };
    let port = match listener.local_addr() {
        Ok(addr) => addr.port(),
        Err(e) => fail(&format!("fanout server: {e}")),
    };
    if let Err(e) = listener.set_nonblocking(true) {
        fail(&format!("fanout server: {e}"));
    }
    // The parent gone (stdin closed), the server goes too.
    std::thread::spawn(|| {
        let _ = std::io::stdin().read_to_end(&mut Vec::new());
        std::process::exit(0);
    });
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => fail(&format!("fanout server: {e}")),
    };
    let app = Router::new()
        .route("/fanout/{runs}/tenants/{tenant}/objects", get(listing))
        .with_state(bodies);
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        println!("{port}");
        std::io::stdout().flush()?;
        axum::serve(listener, app).await
    });
    if let Err(e) = served {
        fail(&format!("fanout server: {e}"));
    }
}

/// The server child; dropping it kills it.
pub(super) struct ServerChild {
    child: Child,
    pub(super) addr: SocketAddr,
}

impl ServerChild {
    pub(super) fn start() -> Result<ServerChild, String> {
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let mut child = Command::new(exe)
            .arg("fanout-server")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("starting the server: {e}"))?;
        let mut line = String::new();
        let read = match child.stdout.take() {
            Some(out) => BufReader::new(out).read_line(&mut line),
            None => Ok(0),
        };
        let port = match read {
            Ok(_) => line.trim().parse::<u16>().ok(),
            Err(_) => None,
        };
        let mut started = ServerChild {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        };
        match port {
            Some(port) => {
                started.addr.set_port(port);
                Ok(started)
            }
            None => Err(format!("the server printed no port: {line:?}")),
        }
    }
}

impl Drop for ServerChild {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
