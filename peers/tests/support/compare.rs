//! The comparison with boto3: one listing run through paginate ([`paginate_run`]) and
//! through boto3 with the same page sizes, `max_items` and resume tokens, pages, tokens, full
//! results and searches compared ([`check_against_boto3`]).

use std::collections::HashMap;

use paginate_peers::{BlockingClient, PeerError, Protocol, page_of};
use paginated::blocking::Transport;
use paginated::{Model, PageRequest, Reply};
use serde_json::{Value, json};

use super::oracle::{boto3_job, oracle};
use super::servers::Server;
use super::tally::{Tally, decode_token, escapes_non_ascii, has_offset};
use super::view::{Config, View};

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
/// paginate; the oracle removes the same ones for boto3 (its `drop`). With no key to remove
/// it hands the client's reply on as it is, a body unparsed; with keys to remove it writes
/// the page out again as a body, so the run still reads it through the body path. What the
/// client itself answered is counted by the client ([`BlockingClient::replies`]).
pub(crate) struct Without<'a, T> {
    inner: &'a T,
    keys: &'a [&'static str],
}

impl<'a, T: Transport<Error = PeerError>> Without<'a, T> {
    pub(crate) fn new(inner: &'a T, keys: &'a [&'static str]) -> Without<'a, T> {
        Without { inner, keys }
    }
}

impl<T: Transport<Error = PeerError>> Transport for Without<'_, T> {
    type Error = PeerError;

    /// Forwards the run's request as it is, the model's route with it.
    fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, PeerError> {
        let operation = request.operation().to_owned();
        let reply = self.inner.fetch(request)?;
        if self.keys.is_empty() {
            return Ok(reply);
        }
        let mut page = page_of(&operation, reply)?;
        if let Some(object) = page.as_object_mut() {
            for key in self.keys {
                object.remove(*key);
            }
        }
        let text = serde_json::to_vec(&page).map_err(|e| PeerError::NotJson {
            operation,
            reason: e.to_string(),
        })?;
        Ok(Reply::body(text))
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
pub(crate) fn check_against_boto3<P: Protocol>(case: &Case<'_, BlockingClient<P>>) -> Outcome {
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
    // The client counts the replies it gives: those of this comparison's runs are the ones
    // after this.
    let before = case.api.replies();
    let api = Without::new(case.api, &case.drop);
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
    let replies = case.api.replies().since(before);
    tally.bodies = replies.bodies;
    tally.values = replies.values;
    Outcome {
        tally,
        listings: listings
            .into_iter()
            .map(|(p, ours)| (p, ours["pages"].as_array().unwrap().clone()))
            .collect(),
    }
}
