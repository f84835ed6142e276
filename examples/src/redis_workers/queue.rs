//! The shared state of the redis-workers example, all of it in Redis: the jobs (one per run
//! of the fan-out), their leases, their checkpoints and what each worker has processed.
//!
//! Keys, under a namespace `ns`:
//!
//! | key | type | holds |
//! | --- | --- | --- |
//! | `ns:total` | string | how many jobs were planned (ids `0..total`) |
//! | `ns:jobs` | list | ids of jobs waiting for a worker |
//! | `ns:processing` | list | ids taken by a worker and not done |
//! | `ns:done` | set | ids of finished jobs |
//! | `ns:job:ID` | hash | `params` (the run's first-page params, JSON), `token` (its checkpoint; absent: from the start), `state`, `owner`, `done_by`, `items:WORKER` (items that worker committed) |
//! | `ns:job:ID:claims` | list | one `WORKER TOKEN` entry per claim (`-` for the start), in order |
//! | `ns:lease:ID` | string | the worker that owns the job, expiring after the lease time |
//! | `ns:workers` | set | every worker that ran |
//! | `ns:results:WORKER` | list | the key of every item that worker processed |
//!
//! Ownership is the lease key: a job is worked on only by the worker whose `SET … NX PX`
//! made it, and every write of a worker is a transaction that `WATCH`es that key and checks
//! it still names the worker. A worker that dies stops renewing its lease; once it expires,
//! any worker may claim the job, and carries on from the last token committed. A worker that
//! was merely slow and lost its lease finds its next transaction refused, and drops the job.

use paginated::fanout::{FanCheckpoint, RunCheckpoint};
use redis::{Connection, Value};

/// The results of this module: a Redis error, or a state the example cannot work with.
pub(crate) type Result<T, E = Box<dyn std::error::Error + Send + Sync>> = std::result::Result<T, E>;

/// A job a worker owns: its id, the run's params and where to start it.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    pub(crate) id: u64,
    pub(crate) params: String,
    pub(crate) token: Option<String>,
}

/// What became of a worker's write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Commit {
    /// Written, and the lease renewed.
    Done,
    /// Not written: the lease has gone to another worker (or expired), who now owns the job.
    LeaseLost,
}

/// One worker's (or the planner's) connection to the shared state.
pub(crate) struct Queue {
    con: Connection,
    ns: String,
}

impl std::fmt::Debug for Queue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Queue")
            .field("ns", &self.ns)
            .finish_non_exhaustive()
    }
}

impl Queue {
    /// Connects to the Redis server at `url` (`redis://127.0.0.1:6379/`), for namespace `ns`.
    pub(crate) fn connect(url: &str, ns: &str) -> Result<Queue> {
        let con = redis::Client::open(url)?.get_connection()?;
        Ok(Queue {
            con,
            ns: ns.to_owned(),
        })
    }

    fn key(&self, name: &str) -> String {
        format!("{}:{name}", self.ns)
    }

    fn job_key(&self, id: u64) -> String {
        format!("{}:job:{id}", self.ns)
    }

    fn lease_key(&self, id: u64) -> String {
        format!("{}:lease:{id}", self.ns)
    }

    /// Pushes one job per run, each from the start, in one transaction. Refused when the
    /// namespace already holds a plan.
    pub(crate) fn plan(&mut self, runs: &[String]) -> Result<()> {
        let total = self.key("total");
        let (jobs, ns) = (self.key("jobs"), self.ns.clone());
        let planned = redis::transaction(&mut self.con, &[&total], |con, pipe| {
            let existing: Option<u64> = redis::cmd("GET").arg(&total).query(con)?;
            if existing.is_some() {
                return Ok(Some(false));
            }
            for (id, params) in runs.iter().enumerate() {
                pipe.cmd("HSET")
                    .arg(format!("{ns}:job:{id}"))
                    .arg("params")
                    .arg(params)
                    .arg("state")
                    .arg("queued")
                    .ignore();
                pipe.cmd("RPUSH").arg(&jobs).arg(id).ignore();
            }
            pipe.cmd("SET").arg(&total).arg(runs.len()).ignore();
            pipe.query::<Option<()>>(con)
                .map(|done| done.map(|()| true))
        })?;
        if planned {
            Ok(())
        } else {
            Err(format!(
                "namespace {:?} already holds a plan: pick another --namespace, or empty it",
                self.ns
            )
            .into())
        }
    }

    /// How many jobs were planned, and how many are done.
    pub(crate) fn progress(&mut self) -> Result<(u64, u64)> {
        let total: Option<u64> = redis::cmd("GET")
            .arg(self.key("total"))
            .query(&mut self.con)?;
        let total = total.ok_or_else(|| format!("nothing planned in namespace {:?}", self.ns))?;
        let done: u64 = redis::cmd("SCARD")
            .arg(self.key("done"))
            .query(&mut self.con)?;
        Ok((total, done))
    }

    /// Records that `worker` runs, so that its results are found.
    pub(crate) fn register(&mut self, worker: &str) -> Result<()> {
        redis::cmd("SADD")
            .arg(self.key("workers"))
            .arg(worker)
            .exec(&mut self.con)?;
        Ok(())
    }

    /// Takes the next waiting job, waiting up to `wait_secs` for one: `BLMOVE jobs →
    /// processing`, then the lease. `None` when none came, or another worker claimed it first.
    pub(crate) fn take(
        &mut self,
        worker: &str,
        lease_ms: u64,
        wait_secs: f64,
    ) -> Result<Option<Job>> {
        let id: Option<u64> = redis::cmd("BLMOVE")
            .arg(self.key("jobs"))
            .arg(self.key("processing"))
            .arg("LEFT")
            .arg("RIGHT")
            .arg(wait_secs)
            .query(&mut self.con)?;
        match id {
            Some(id) => self.claim(id, worker, lease_ms),
            None => Ok(None),
        }
    }

    /// Claims a job of `processing` whose lease has expired (its worker died, or was too
    /// slow to renew it), if there is one.
    pub(crate) fn reclaim(&mut self, worker: &str, lease_ms: u64) -> Result<Option<Job>> {
        let ids: Vec<u64> = redis::cmd("LRANGE")
            .arg(self.key("processing"))
            .arg(0)
            .arg(-1)
            .query(&mut self.con)?;
        for id in ids {
            if let Some(job) = self.claim(id, worker, lease_ms)? {
                return Ok(Some(job));
            }
        }
        Ok(None)
    }

    /// Takes the lease of job `id` if nobody holds it, and reads where the job stands.
    fn claim(&mut self, id: u64, worker: &str, lease_ms: u64) -> Result<Option<Job>> {
        let lease = self.lease_key(id);
        let got: Option<String> = redis::cmd("SET")
            .arg(&lease)
            .arg(worker)
            .arg("NX")
            .arg("PX")
            .arg(lease_ms)
            .query(&mut self.con)?;
        if got.is_none() {
            return Ok(None);
        }
        // From here on this worker owns the job: nobody else can write to it.
        let job_key = self.job_key(id);
        let (params, token, state): (Option<String>, Option<String>, Option<String>) =
            redis::cmd("HMGET")
                .arg(&job_key)
                .arg("params")
                .arg("token")
                .arg("state")
                .query(&mut self.con)?;
        let params = params.ok_or_else(|| format!("job {id} has no params"))?;
        if state.as_deref() == Some("done") {
            // Finished between our look at `processing` and the claim (or a stale entry of
            // a job that was handed back and finished meanwhile): tidy up, and leave it.
            redis::pipe()
                .atomic()
                .cmd("LREM")
                .arg(self.key("processing"))
                .arg(0)
                .arg(id)
                .ignore()
                .cmd("DEL")
                .arg(&lease)
                .ignore()
                .exec(&mut self.con)?;
            return Ok(None);
        }
        let claim = format!("{worker} {}", token.as_deref().unwrap_or("-"));
        redis::pipe()
            .atomic()
            .cmd("HSET")
            .arg(&job_key)
            .arg("state")
            .arg("running")
            .arg("owner")
            .arg(worker)
            .ignore()
            .cmd("RPUSH")
            .arg(format!("{job_key}:claims"))
            .arg(claim)
            .ignore()
            .exec(&mut self.con)?;
        Ok(Some(Job { id, params, token }))
    }

    /// Commits one processed item of `job` together with the run's new checkpoint, in one
    /// transaction: the item's key goes into the worker's results, the token into the job,
    /// and the lease is renewed. `next` is `None` when the run has nothing left after this
    /// item; then the same transaction marks the job done.
    pub(crate) fn commit_item(
        &mut self,
        job: &Job,
        worker: &str,
        item_key: &str,
        next: Option<&str>,
        lease_ms: u64,
    ) -> Result<Commit> {
        self.fenced(job.id, worker, |q, pipe| {
            pipe.cmd("RPUSH")
                .arg(q.key(&format!("results:{worker}")))
                .arg(item_key)
                .ignore();
            pipe.cmd("HINCRBY")
                .arg(q.job_key(job.id))
                .arg(format!("items:{worker}"))
                .arg(1)
                .ignore();
            match next {
                Some(token) => {
                    pipe.cmd("HSET")
                        .arg(q.job_key(job.id))
                        .arg("token")
                        .arg(token)
                        .ignore();
                    pipe.cmd("PEXPIRE")
                        .arg(q.lease_key(job.id))
                        .arg(lease_ms)
                        .ignore();
                }
                None => q.finish_into(pipe, job.id, worker),
            }
        })
    }

    /// Marks `job` done (its run ended), releasing its lease.
    pub(crate) fn finish(&mut self, job: &Job, worker: &str) -> Result<Commit> {
        self.fenced(job.id, worker, |q, pipe| {
            q.finish_into(pipe, job.id, worker)
        })
    }

    /// Hands `job` back to the queue, as it stands, for another worker (after an error).
    pub(crate) fn release(&mut self, job: &Job, worker: &str) -> Result<Commit> {
        self.fenced(job.id, worker, |q, pipe| {
            pipe.cmd("HSET")
                .arg(q.job_key(job.id))
                .arg("state")
                .arg("queued")
                .ignore();
            pipe.cmd("LREM")
                .arg(q.key("processing"))
                .arg(0)
                .arg(job.id)
                .ignore();
            pipe.cmd("RPUSH").arg(q.key("jobs")).arg(job.id).ignore();
            pipe.cmd("DEL").arg(q.lease_key(job.id)).ignore();
        })
    }

    fn finish_into(&self, pipe: &mut redis::Pipeline, id: u64, worker: &str) {
        pipe.cmd("HSET")
            .arg(self.job_key(id))
            .arg("state")
            .arg("done")
            .arg("done_by")
            .arg(worker)
            .ignore();
        pipe.cmd("HDEL").arg(self.job_key(id)).arg("token").ignore();
        pipe.cmd("LREM")
            .arg(self.key("processing"))
            .arg(0)
            .arg(id)
            .ignore();
        pipe.cmd("SADD").arg(self.key("done")).arg(id).ignore();
        pipe.cmd("DEL").arg(self.lease_key(id)).ignore();
    }

    /// Runs the writes that `fill` queues as one `MULTI`/`EXEC`, only while `worker` holds
    /// job `id`'s lease: the lease key is `WATCH`ed and checked first, so a lease that
    /// changes hands (or expires) before `EXEC` aborts the transaction.
    fn fenced(
        &mut self,
        id: u64,
        worker: &str,
        fill: impl Fn(&Queue, &mut redis::Pipeline),
    ) -> Result<Commit> {
        let lease = self.lease_key(id);
        let mut pipe = redis::pipe();
        loop {
            redis::cmd("WATCH").arg(&lease).exec(&mut self.con)?;
            let owner: Option<String> = redis::cmd("GET").arg(&lease).query(&mut self.con)?;
            if owner.as_deref() != Some(worker) {
                redis::cmd("UNWATCH").exec(&mut self.con)?;
                return Ok(Commit::LeaseLost);
            }
            pipe.clear();
            pipe.atomic();
            fill(self, &mut pipe);
            // `EXEC` answers nil when a watched key changed: look at the lease again.
            let answer: Value = pipe.query(&mut self.con)?;
            if answer != Value::Nil {
                return Ok(Commit::Done);
            }
        }
    }

    /// Where the fan-out as a whole stands: run `i` is job `i`, done or resumed from its
    /// committed token. The same checkpoint an in-process [`paginated::fanout::FanOut`] gives.
    pub(crate) fn checkpoint(&mut self) -> Result<FanCheckpoint> {
        let (total, _) = self.progress()?;
        let mut runs = Vec::new();
        for id in 0..total {
            let (token, state): (Option<String>, Option<String>) = redis::cmd("HMGET")
                .arg(self.job_key(id))
                .arg("token")
                .arg("state")
                .query(&mut self.con)?;
            runs.push(match state.as_deref() {
                Some("done") => RunCheckpoint::Done,
                _ => RunCheckpoint::Resume(token),
            });
        }
        Ok(FanCheckpoint::new(runs))
    }

    /// One line per job: id, params, state, and the items each worker committed to it.
    pub(crate) fn describe(&mut self) -> Result<Vec<String>> {
        let (total, _) = self.progress()?;
        let mut lines = Vec::new();
        for id in 0..total {
            let fields: Vec<(String, String)> = redis::cmd("HGETALL")
                .arg(self.job_key(id))
                .query(&mut self.con)?;
            let field = |name: &str| {
                fields
                    .iter()
                    .find(|(k, _)| k == name)
                    .map_or("-", |(_, v)| v.as_str())
            };
            let counts: Vec<String> = fields
                .iter()
                .filter_map(|(k, v)| k.strip_prefix("items:").map(|w| format!("{w}={v}")))
                .collect();
            lines.push(format!(
                "job {id}: {} {} (by {}), items [{}]",
                field("params"),
                field("state"),
                field("done_by"),
                counts.join(", ")
            ));
        }
        Ok(lines)
    }
}
