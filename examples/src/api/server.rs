//! Running the API: on the caller's tokio runtime ([`Server`]) or on a thread of its own with
//! a runtime of its own ([`BlockingServer`], for blocking programs).
//!
//! Both bind `127.0.0.1:0` before they return, so the server is ready as soon as it has an
//! address: connections made before the accept loop runs wait in the listen backlog. Both
//! shut down gracefully on `stop` or on drop.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::JoinHandle;

use tokio::sync::oneshot;

use super::{Dataset, Faults, router};

/// What both handles share: the address, the data, the counter and the shutdown switch.
#[derive(Debug)]
struct Running {
    addr: SocketAddr,
    data: Arc<Dataset>,
    requests: Arc<AtomicU64>,
    shutdown: Option<oneshot::Sender<()>>,
}

impl Running {
    fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Asks the server to stop accepting, finish the requests in progress and close idle
    /// connections. Idempotent.
    fn signal_shutdown(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            // The server may already be gone; either way it is stopping.
            let _ = tx.send(());
        }
    }
}

/// Serves the API on `listener` until `shutdown` fires (or its sender is dropped).
async fn serve(
    listener: tokio::net::TcpListener,
    data: Arc<Dataset>,
    requests: Arc<AtomicU64>,
    faults: Faults,
    shutdown: oneshot::Receiver<()>,
) -> io::Result<()> {
    axum::serve(listener, router(data, requests, faults))
        .with_graceful_shutdown(async {
            let _ = shutdown.await;
        })
        .await
}

/// The API served by a task on the current tokio runtime. Start it with [`Server::start`].
///
/// Dropping it signals a graceful shutdown without waiting for it; [`Server::stop`] waits.
#[derive(Debug)]
pub struct Server {
    running: Running,
    task: Option<tokio::task::JoinHandle<io::Result<()>>>,
}

impl Server {
    /// Binds `127.0.0.1` at a port the OS picks and serves a freshly generated [`Dataset`]
    /// in the background. Needs a tokio runtime with I/O enabled.
    pub async fn start() -> io::Result<Server> {
        Server::start_with(Faults::default()).await
    }

    /// Like [`Server::start`], injecting `faults`. Needs a tokio runtime with I/O and time
    /// enabled.
    pub async fn start_with(faults: Faults) -> io::Result<Server> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let data = Arc::new(Dataset::generate());
        let requests = Arc::new(AtomicU64::new(0));
        let (tx, rx) = oneshot::channel();
        let task = tokio::spawn(serve(listener, data.clone(), requests.clone(), faults, rx));
        Ok(Server {
            running: Running {
                addr,
                data,
                requests,
                shutdown: Some(tx),
            },
            task: Some(task),
        })
    }

    /// The base URL, e.g. `http://127.0.0.1:40123` (no trailing slash).
    pub fn base_url(&self) -> String {
        self.running.base_url()
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.running.addr
    }

    /// The data being served.
    pub fn data(&self) -> &Dataset {
        &self.running.data
    }

    /// How many HTTP requests the server has received so far, whatever their path or outcome.
    pub fn requests(&self) -> u64 {
        self.running.requests.load(Ordering::SeqCst)
    }

    /// Shuts down gracefully and waits until the server has stopped.
    pub async fn stop(mut self) -> io::Result<()> {
        self.running.signal_shutdown();
        match self.task.take() {
            Some(task) => task.await.map_err(io::Error::other)?,
            None => Ok(()),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.running.signal_shutdown();
    }
}

/// The API served on a thread of its own with a tokio runtime of its own, for blocking
/// programs (`reqwest::blocking` must not run inside a tokio runtime). Start it with
/// [`BlockingServer::start`].
///
/// Dropping it shuts the server down and waits for its thread, as [`BlockingServer::stop`]
/// does.
#[derive(Debug)]
pub struct BlockingServer {
    running: Running,
    thread: Option<JoinHandle<io::Result<()>>>,
}

impl BlockingServer {
    /// Binds `127.0.0.1` at a port the OS picks and serves a freshly generated [`Dataset`]
    /// from a new thread. Returns once the runtime is up, or with the error that stopped it.
    /// Call it from blocking code, not from inside an async runtime.
    pub fn start() -> io::Result<BlockingServer> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let data = Arc::new(Dataset::generate());
        let requests = Arc::new(AtomicU64::new(0));
        let (tx, rx) = oneshot::channel();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (thread_data, thread_requests) = (data.clone(), requests.clone());
        let thread = std::thread::Builder::new()
            .name(format!("api-server-{}", addr.port()))
            .spawn(move || {
                let started = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .thread_name("api-server-worker")
                    .enable_all()
                    .build()
                    .and_then(|runtime| {
                        let listener = {
                            let _context = runtime.enter();
                            tokio::net::TcpListener::from_std(listener)?
                        };
                        Ok((runtime, listener))
                    });
                let (runtime, listener) = match started {
                    Ok(started) => {
                        let _ = ready_tx.send(Ok(()));
                        started
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return Ok(());
                    }
                };
                runtime.block_on(serve(
                    listener,
                    thread_data,
                    thread_requests,
                    Faults::default(),
                    rx,
                ))
            })?;
        // Wait for the thread's word: its runtime is up, or the error that stopped it.
        match ready_rx.recv() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(e),
            Err(_) => return Err(io::Error::other("the server thread ended before starting")),
        }
        Ok(BlockingServer {
            running: Running {
                addr,
                data,
                requests,
                shutdown: Some(tx),
            },
            thread: Some(thread),
        })
    }

    /// The base URL, e.g. `http://127.0.0.1:40123` (no trailing slash).
    pub fn base_url(&self) -> String {
        self.running.base_url()
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.running.addr
    }

    /// The data being served.
    pub fn data(&self) -> &Dataset {
        &self.running.data
    }

    /// How many HTTP requests the server has received so far, whatever their path or outcome.
    pub fn requests(&self) -> u64 {
        self.running.requests.load(Ordering::SeqCst)
    }

    /// Shuts down gracefully and waits for the server's thread to end.
    pub fn stop(mut self) -> io::Result<()> {
        self.shut_down()
    }

    fn shut_down(&mut self) -> io::Result<()> {
        self.running.signal_shutdown();
        match self.thread.take() {
            Some(thread) => thread
                .join()
                .map_err(|_| io::Error::other("the server thread panicked"))?,
            None => Ok(()),
        }
    }
}

impl Drop for BlockingServer {
    fn drop(&mut self) {
        // Errors cannot be reported from drop; `stop` reports them.
        let _ = self.shut_down();
    }
}
