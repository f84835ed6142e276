//! Fan-out of derived requests (G7, G9): typed items, a page size per run that reaches the
//! transport, `Paginated::fan_out` in one call, a resume from the fan-out's checkpoint with
//! each run's options again, the page boundary on each tagged item and the request count,
//! all checked against the server's data and its request log.

use std::sync::{Arc, Mutex};

use paginated::Paginated;
use paginated::fanout::{FanCheckpoint, FanOut, Tagged};
use paginated::nonblocking;
use serde_json::{Map, Value, json};

#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
struct User {
    tenant: u64,
    id: u64,
}

#[derive(serde::Serialize, Paginated)]
#[paginate(
    input_token = "after",
    output_token = "next",
    result_key = "users",
    limit_key = "limit",
    item = "User"
)]
struct ListUsers {
    tenant: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    after: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<u64>,
}

/// The page size the server uses when a request sends none.
const DEFAULT_LIMIT: u64 = 3;

/// One request as the server received it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Logged {
    tenant: u64,
    limit: Option<u64>,
}

/// Tenant `t` has the users `0..users[t]`; a page holds `limit` of them from `after` on.
#[derive(Debug)]
struct Server {
    users: Vec<u64>,
    log: Mutex<Vec<Logged>>,
}

impl Server {
    fn new(users: &[u64]) -> Arc<Server> {
        Arc::new(Server {
            users: users.to_vec(),
            log: Mutex::new(Vec::new()),
        })
    }

    fn answer(&self, params: &Map<String, Value>) -> Value {
        let tenant = params["tenant"].as_u64().unwrap();
        let limit = params.get("limit").map(|l| l.as_u64().unwrap());
        self.log.lock().unwrap().push(Logged { tenant, limit });
        // The token is the next user's id, so never 0 (which would be absent).
        let from = params.get("after").map_or(0, |a| a.as_u64().unwrap());
        let total = self.users[tenant as usize];
        let end = total.min(from + limit.unwrap_or(DEFAULT_LIMIT));
        let ids: Vec<u64> = (from..end).collect();
        let next = (end < total).then_some(end);
        let users: Vec<Value> = ids
            .iter()
            .map(|id| json!({"tenant": tenant, "id": id}))
            .collect();
        json!({"users": users, "next": next})
    }

    fn log(&self) -> Vec<Logged> {
        self.log.lock().unwrap().clone()
    }
}

type Answer = Box<
    dyn Fn(paginated::PageRequest<'static>) -> std::future::Ready<Result<Value, std::io::Error>>
        + Send
        + Sync,
>;

fn api(server: &Arc<Server>) -> nonblocking::FromFn<Answer> {
    let server = server.clone();
    let answer: Answer =
        Box::new(move |request| std::future::ready(Ok(server.answer(request.params()))));
    nonblocking::from_fn(answer)
}

fn requests(tenants: usize) -> Vec<ListUsers> {
    (0..tenants as u64)
        .map(|tenant| ListUsers {
            tenant,
            after: None,
            limit: None,
        })
        .collect()
}

/// Each run's users in order, and for each whether it ended its page, as a plain listing
/// with pages of `size` has them.
fn expected(users: &[u64], sizes: &[u64]) -> Vec<Vec<(User, bool)>> {
    users
        .iter()
        .zip(sizes)
        .enumerate()
        .map(|(tenant, (&n, &size))| {
            (0..n)
                .map(|id| {
                    let user = User {
                        tenant: tenant as u64,
                        id,
                    };
                    (user, (id + 1) % size == 0 || id + 1 == n)
                })
                .collect()
        })
        .collect()
}

/// The elements of a fan-out to its end, by run.
async fn drain<S>(fan: &mut FanOut<S>, runs: usize) -> Vec<Vec<(User, bool)>>
where
    S: paginated::fanout::Member<Item = Result<User, paginated::Error>>,
{
    let mut by_run = vec![Vec::new(); runs];
    while let Some(next) = fan.next().await {
        let Tagged {
            run,
            value,
            page_done,
            ..
        } = next.unwrap();
        by_run[run].push((value, page_done));
    }
    by_run
}

/// Each run sends its own page size on every request, its typed items are the tenant's
/// users in order, each tagged item says whether it ended its page, and the fan-out counts
/// the requests the server logged.
#[tokio::test(flavor = "current_thread")]
async fn each_run_sends_its_own_page_size_and_gives_typed_items() {
    let users = [7, 5, 4, 0];
    let sizes = [2, 5, 3, 4];
    let server = Server::new(&users);
    let api = api(&server);
    let requests = requests(users.len());
    let mut fan: FanOut<_> = requests
        .iter()
        .zip(sizes)
        .map(|(request, size)| request.paginate_async(&api).page_size(size).items())
        .collect();
    fan = fan.concurrency(2);
    assert_eq!(
        fan.requests_sent(),
        0,
        "nothing is sent before the first poll"
    );

    let got = drain(&mut fan, users.len()).await;

    assert_eq!(got, expected(&users, &sizes));
    let log = server.log();
    for (tenant, (&n, &size)) in users.iter().zip(&sizes).enumerate() {
        let sent: Vec<&Logged> = log.iter().filter(|l| l.tenant == tenant as u64).collect();
        assert_eq!(
            sent.len() as u64,
            n.div_ceil(size).max(1),
            "tenant {tenant}"
        );
        assert!(
            sent.iter().all(|l| l.limit == Some(size)),
            "tenant {tenant} sent {sent:?}"
        );
    }
    assert_eq!(fan.requests_sent(), log.len() as u64);
    assert!(fan.checkpoint().is_done());
}

/// `Paginated::fan_out` takes the requests by reference or by value and gives every
/// tenant's users, typed, with the page size the requests themselves carry.
#[tokio::test(flavor = "current_thread")]
async fn fan_out_in_one_call_from_derived_requests() {
    let users = [4, 7, 3];
    let server = Server::new(&users);
    let api = api(&server);

    let by_ref = requests(users.len());
    let mut fan = ListUsers::fan_out(&api, &by_ref);
    let got = drain(&mut fan, users.len()).await;
    assert_eq!(got, expected(&users, &[DEFAULT_LIMIT; 3]));
    assert!(server.log().iter().all(|l| l.limit.is_none()));
    assert_eq!(fan.requests_sent(), server.log().len() as u64);

    // By value, each request carrying its own limit field.
    let sent_before = server.log().len();
    let by_value = (0..3).map(|tenant| ListUsers {
        tenant,
        after: None,
        limit: Some(tenant + 1),
    });
    let mut fan = ListUsers::fan_out(&api, by_value);
    let got = drain(&mut fan, users.len()).await;
    assert_eq!(got, expected(&users, &[1, 2, 3]));
    let log = server.log();
    assert!(
        log[sent_before..]
            .iter()
            .all(|l| l.limit == Some(l.tenant + 1))
    );
    assert_eq!(fan.requests_sent(), (log.len() - sent_before) as u64);
}

/// A fan-out with a page size per run, stopped after `k` items for every `k`, its
/// checkpoint stored with each item and read back, resumes with `FanOut::resume` and each
/// run's page size again: every user comes exactly once, the page boundaries are those of
/// an uninterrupted listing (a resumed page ends where it did), the resumed runs still send
/// their page sizes, and the resumed fan-out counts its own requests from 0.
#[tokio::test(flavor = "current_thread")]
async fn a_derived_fan_out_resumes_from_its_checkpoint() {
    let users = [5, 3, 6];
    let sizes = [2, 3, 4];
    let total: u64 = users.iter().sum();
    let want = expected(&users, &sizes);
    let requests = requests(users.len());
    for stop_after in 0..=total {
        let server = Server::new(&users);
        let api = api(&server);
        let build = |run: usize, token: Option<String>| {
            requests[run]
                .paginate_async(&api)
                .page_size(sizes[run])
                .starting_token(token)
                .items()
        };
        let mut fan: FanOut<_> = (0..users.len()).map(|run| build(run, None)).collect();
        let mut got = vec![Vec::new(); users.len()];
        let mut stored = fan.checkpoint().encode();
        for _ in 0..stop_after {
            let tagged = fan.next().await.unwrap().unwrap();
            got[tagged.run].push((tagged.value, tagged.page_done));
            stored = fan.checkpoint().encode();
        }
        drop(fan);

        let sent_before = server.log().len();
        let checkpoint = FanCheckpoint::decode(&stored).unwrap();
        let mut rest = FanOut::resume(&checkpoint, build);
        assert_eq!(rest.requests_sent(), 0);
        for (run, items) in drain(&mut rest, users.len()).await.into_iter().enumerate() {
            got[run].extend(items);
        }

        assert_eq!(got, want, "stopped after {stop_after}");
        let log = server.log();
        assert!(
            log.iter()
                .all(|l| l.limit == Some(sizes[l.tenant as usize])),
            "stopped after {stop_after}: {log:?}"
        );
        assert_eq!(
            rest.requests_sent(),
            (log.len() - sent_before) as u64,
            "stopped after {stop_after}"
        );
        assert!(rest.checkpoint().is_done());
    }
}
