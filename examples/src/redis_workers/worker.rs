//! The worker of the redis-workers example: takes jobs from the queue (or reclaims one whose
//! worker died), paginates each run from its committed token with the ready blocking HTTP
//! transport, and commits every item together with the token that resumes after it.

use std::time::Duration;

use paginate_examples::{ListObjects, Object};
use paginated::Paginated as _;
use paginated::http::BlockingHttpTransport;
use serde_json::Value;

use crate::queue::{Commit, Job, Queue, Result};

/// How a worker runs.
#[derive(Debug, Clone)]
pub(crate) struct WorkerOptions {
    /// Its name, in leases, results and claims.
    pub(crate) name: String,
    /// The example API's base URL.
    pub(crate) base_url: String,
    /// How long a lease lasts without a commit renewing it.
    pub(crate) lease_ms: u64,
    /// A pause after each committed item, to make a worker slow enough to be caught
    /// mid-run (the test kills one that way).
    pub(crate) pause_ms: u64,
}

/// How long one `BLMOVE` waits for a job before the worker looks for expired leases.
const WAIT_SECS: f64 = 0.2;

/// Works until every planned job is done. Returns how many items this worker committed.
pub(crate) fn run(queue: &mut Queue, options: &WorkerOptions) -> Result<u64> {
    let api = BlockingHttpTransport::new(
        reqwest::blocking::Client::builder().build()?,
        &options.base_url,
    )?;
    queue.register(&options.name)?;
    let mut committed = 0;
    loop {
        let (total, done) = queue.progress()?;
        if done >= total {
            return Ok(committed);
        }
        let job = match queue.take(&options.name, options.lease_ms, WAIT_SECS)? {
            Some(job) => Some(job),
            None => queue.reclaim(&options.name, options.lease_ms)?,
        };
        if let Some(job) = job {
            committed += work(queue, &api, &job, options)?;
        }
    }
}

/// Runs one job from its token to its end, or until its lease is lost. Returns the items
/// committed. On an error of the run the job goes back to the queue as it stands.
fn work(
    queue: &mut Queue,
    api: &BlockingHttpTransport,
    job: &Job,
    options: &WorkerOptions,
) -> Result<u64> {
    let name = options.name.as_str();
    let from = job
        .token
        .as_deref()
        .map_or("the start", |_| "its checkpoint");
    println!("{name}: job {} {} from {from}", job.id, job.params);
    let params: Value = serde_json::from_str(&job.params)?;
    let model = ListObjects::pagination_model()?;
    let mut items = model
        .paginate(api, params)
        .starting_token(job.token.clone())
        .items()
        .typed::<Object>();
    let mut committed = 0;
    loop {
        let object = match items.next() {
            Some(Ok(object)) => object,
            Some(Err(e)) => {
                queue.release(job, name)?;
                return Err(format!("job {}: {e}; handed back to the queue", job.id).into());
            }
            None => break,
        };
        // After this item: `None` when the run has nothing more, and the commit ends the job.
        let next = items.resume_token();
        let outcome =
            queue.commit_item(job, name, &object.key, next.as_deref(), options.lease_ms)?;
        if outcome == Commit::LeaseLost {
            println!(
                "{name}: job {} lost its lease after {committed} items",
                job.id
            );
            return Ok(committed);
        }
        committed += 1;
        if next.is_none() {
            println!("{name}: job {} done, {committed} items", job.id);
            return Ok(committed);
        }
        if options.pause_ms > 0 {
            std::thread::sleep(Duration::from_millis(options.pause_ms));
        }
    }
    // The run ended with no item after the last commit (or none at all).
    match queue.finish(job, name)? {
        Commit::Done => println!("{name}: job {} done, {committed} items", job.id),
        Commit::LeaseLost => println!("{name}: job {} lost its lease at its end", job.id),
    }
    Ok(committed)
}
