//! No expression text can abort the process (SEMANTICS S1, E3): an expression nested 100,000
//! levels deep, of every shape that nests, is refused with a typed error naming the problem
//! and the limit — through `search`, the model builder's expressions and paths, and a
//! registry file — on a thread with a 2 MiB stack (a tokio worker's default), where the
//! recursive parser would otherwise overflow. The deepest accepted expression of each shape
//! compiles and evaluates within an eighth of that stack (256 KiB), the margin the limit was
//! chosen for.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use paginated::blocking::from_fn;
use paginated::model::{ModelBuilder, Registry};
use paginated::{Error, Model, PageRequest};
use serde_json::{Value, json};

const REFUSAL: &str = "expression nests deeper than 64 levels";

/// The shapes that nest, each as (name, expression of depth n, a page it evaluates deeply on).
type Shape = (&'static str, fn(usize) -> String, fn(usize) -> Value);

fn nested_objects(n: usize) -> Value {
    let mut v = json!(1);
    for _ in 0..n {
        v = json!({ "a": v });
    }
    v
}

fn nested_filter_page(n: usize) -> Value {
    let mut v = json!({"b": 1});
    for _ in 0..n {
        v = json!({"a": [v], "b": 1});
    }
    v
}

fn shapes() -> Vec<Shape> {
    vec![
        (
            "subexpression",
            |n| vec!["a"; n + 1].join("."),
            nested_objects,
        ),
        (
            "parentheses",
            |n| "(".repeat(n) + "a" + &")".repeat(n),
            |_| json!({"a": 1}),
        ),
        ("or", |n| vec!["a"; n + 1].join(" || "), |_| json!({"a": 0})),
        (
            "and",
            |n| vec!["a"; n + 1].join(" && "),
            |_| json!({"a": 1}),
        ),
        ("pipe", |n| vec!["a"; n + 1].join(" | "), nested_objects),
        (
            "multi-select list",
            |n| "[".repeat(n) + "a" + &"]".repeat(n),
            |_| json!({"a": 1}),
        ),
        ("not", |n| "!".repeat(n) + "a", |_| json!({"a": 1})),
        (
            "multi-select hash",
            |n| "{a:".repeat(n) + "a" + &"}".repeat(n),
            |_| json!({"a": 1}),
        ),
        (
            "function",
            |n| "abs(".repeat(n) + "a" + &")".repeat(n),
            |_| json!({"a": -1}),
        ),
        (
            "filter",
            |n| "a[?".repeat(n) + "b" + &"]".repeat(n),
            nested_filter_page,
        ),
        (
            "projection",
            |n| vec!["a[*]"; n + 1].join("."),
            |_| json!({"a": [{"a": [1]}]}),
        ),
        (
            "comparison",
            |n| vec!["a"; n + 1].join(" == "),
            |_| json!({"a": 1}),
        ),
    ]
}

fn on_thread(stack: usize, f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(stack)
        .spawn(f)
        .unwrap()
        .join()
        .expect("the thread panicked");
}

fn one_page_api(page: Value) -> impl Fn(PageRequest<'_>) -> Result<Value, std::io::Error> {
    move |_request| Ok(page.clone())
}

fn model() -> Model {
    Model::builder("Deep")
        .input_token("Marker")
        .output_token("Next")
        .result_key("Items")
        .build()
        .unwrap()
}

fn refused(what: &str, shape: &str, e: Error) {
    let text = e.to_string();
    assert!(
        text.contains(REFUSAL),
        "{shape} via {what}: {}",
        &text[..text.len().min(300)]
    );
    assert!(
        text.contains("(at character "),
        "{shape} via {what} names no position"
    );
}

#[test]
fn s1_expressions_100000_levels_deep_are_refused_on_a_2_mib_thread() {
    on_thread(2 << 20, || {
        for (shape, expr, _) in shapes() {
            let expr = expr(100_000);
            let api = from_fn(one_page_api(json!({})));
            match model().paginate(&api, json!({})).search(&expr) {
                Err(e @ Error::InvalidSearch { .. }) => refused("search", shape, e),
                other => panic!("{shape} via search: {:?}", other.map(|_| ())),
            }
            let built = |b: ModelBuilder| {
                b.build()
                    .map(|_| ())
                    .expect_err("a deep expression built a model")
            };
            let base = || Model::builder("Deep").input_token("Marker");
            refused(
                "output_token",
                shape,
                built(base().output_token(&expr).result_key("Items")),
            );
            refused(
                "more_results",
                shape,
                built(
                    base()
                        .output_token("Next")
                        .more_results(&expr)
                        .result_key("Items"),
                ),
            );
            refused(
                "result_key",
                shape,
                built(base().output_token("Next").result_key(&expr)),
            );
            refused(
                "non_aggregate_key",
                shape,
                built(
                    base()
                        .output_token("Next")
                        .result_key("Items")
                        .non_aggregate_key(&expr),
                ),
            );
            let file = json!({"pagination": {"ListDeep": {
                "input_token": "Marker", "output_token": expr, "result_key": "Items"
            }}});
            match Registry::from_json(&file.to_string()) {
                Err(e) => refused("registry", shape, e),
                Ok(_) => panic!("{shape} via registry: loaded"),
            }
        }
    });
}

#[test]
fn s1_the_deepest_accepted_expressions_run_within_256_kib() {
    on_thread(256 << 10, || {
        for (shape, expr, page) in shapes() {
            let api = from_fn(one_page_api(json!({})));
            let accepted = |n: usize| model().paginate(&api, json!({})).search(&expr(n)).is_ok();
            // The limit counts levels, not repetitions: find the deepest accepted instance.
            let deepest = (1..1000).take_while(|&n| accepted(n)).last().unwrap();
            assert!(!accepted(deepest + 1));
            assert!(deepest >= 10, "{shape}: only {deepest} levels accepted");
            let expr = expr(deepest);
            let page = page(deepest);
            let api = from_fn(one_page_api(page.clone()));
            let results: Result<Vec<Value>, Error> = model()
                .paginate(&api, json!({}))
                .search(&expr)
                .unwrap()
                .collect();
            let results = results.unwrap_or_else(|e| panic!("{shape}: {e}"));
            assert!(!results.is_empty(), "{shape}");
            // The same text as an output token and in a registry file.
            let built = Model::builder("Deep")
                .input_token("Marker")
                .output_token(&expr)
                .more_results(&expr)
                .result_key("Items")
                .build()
                .unwrap();
            let mut pages = built.paginate(&api, json!({})).max_pages(1);
            assert!(pages.next().unwrap().is_ok(), "{shape}");
            let file = json!({"pagination": {"ListDeep": {
                "input_token": "Marker", "output_token": expr, "result_key": "Items"
            }}});
            assert!(Registry::from_json(&file.to_string()).is_ok(), "{shape}");
        }
    });
}

/// The deepest accepted subexpression answers what it should, not merely something.
#[test]
fn the_limit_is_exact_for_dotted_paths() {
    on_thread(2 << 20, || {
        let page = nested_objects(65);
        let api = from_fn(one_page_api(page));
        let at_limit = vec!["a"; 65].join(".");
        let found: Vec<Value> = model()
            .paginate(&api, json!({}))
            .search(&at_limit)
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(found, [json!(1)]);
        let over = vec!["a"; 66].join(".");
        let Err(Error::InvalidSearch { reason, .. }) =
            model().paginate(&api, json!({})).search(&over)
        else {
            panic!("66 names, 65 dots, must be refused");
        };
        assert_eq!(
            reason,
            "expression nests deeper than 64 levels (at character 129)"
        );
    });
}
