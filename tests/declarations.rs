//! "A declaration that compiles never fails to build its model" (SEMANTICS S1), as a property:
//! random declarations go to `paginated_rules::check` (what `#[derive(Paginated)]` runs at
//! compile time) and to `Model::builder` / `Model::from_botocore` (run time), and the two
//! verdicts must be the same. The checker accepting what the builder refuses would be a
//! derive that compiles and fails at first use; the reverse, a derive refusing a model the
//! engine runs. The builder calls the checker itself, so the checker is also held against
//! what does not call it: the engine's own expression compiler (through `search`) and
//! `Route::parse`.
//!
//! Declarations are drawn from a small grammar aimed at the edges of the rules: token counts
//! that differ, empty and repeated names, expressions with built-in and unknown functions
//! called with any number of arguments, indices and slice steps at and beyond the engine's
//! ranges, nesting around the bound (E5), broken syntax, result keys that are not dotted paths,
//! and routes with good and bad methods, spaces, slashes and braces. And the pagination-style
//! keys (P1–P11): one way of paging or two, keys without the key they need, `header('…')` and
//! `link('…')` sources and targets written well, misspelt or misused, `@` alone or not, stop
//! rules, `first` values that are and are not JSON numbers or strings.

use paginated::model::ModelProblem;
use paginated::route::Route;
use paginated::{Error, Model};
use paginated_rules::{Declaration, check, expression_problems, route_problems};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{Value, json};

#[path = "declarations/strategies.rs"]
mod strategies;

use strategies::*;

fn declaration(a: &Attributes) -> Declaration<'_> {
    let mut d = Declaration::new(&a.operation);
    d.input_tokens = &a.input_tokens;
    d.output_tokens = &a.output_tokens;
    d.result_keys = &a.result_keys;
    d.limit_key = a.limit_key.as_deref();
    d.more_results = a.more_results.as_deref();
    d.non_aggregate_keys = &a.non_aggregate_keys;
    d.route = a.route.as_deref();
    d.next_url = a.next_url.as_deref();
    d.resend = &a.resend;
    d.offset = a.offset.as_deref();
    d.page_number = a.page_number.as_deref();
    d.first = a.first.as_deref();
    d.stop = &a.stop;
    d.total = a.total.as_deref();
    d.continue_route = a.continue_route.as_deref();
    d
}

fn build(a: &Attributes) -> Result<Model, Error> {
    let mut b = Model::builder(a.operation.clone());
    for t in &a.input_tokens {
        b = b.input_token(t);
    }
    for t in &a.output_tokens {
        b = b.output_token(t);
    }
    for k in &a.result_keys {
        b = b.result_key(k);
    }
    for k in &a.non_aggregate_keys {
        b = b.non_aggregate_key(k);
    }
    if let Some(k) = &a.limit_key {
        b = b.limit_key(k);
    }
    if let Some(e) = &a.more_results {
        b = b.more_results(e);
    }
    if let Some(r) = &a.route {
        b = b.route(r);
    }
    if let Some(s) = &a.next_url {
        b = b.next_url(s);
    }
    for p in &a.resend {
        b = b.resend(p);
    }
    if let Some(p) = &a.offset {
        b = b.offset(p);
    }
    if let Some(p) = &a.page_number {
        b = b.page_number(p);
    }
    if let Some(v) = &a.first {
        b = b.first(v);
    }
    for s in &a.stop {
        b = b.stop(s);
    }
    if let Some(s) = &a.total {
        b = b.total(s);
    }
    if let Some(r) = &a.continue_route {
        b = b.continue_route(r);
    }
    b.build()
}

/// The same declaration as a botocore entry (which has no route), style keys included.
fn from_botocore(a: &Attributes) -> Result<Model, Error> {
    let mut entry = json!({
        "input_token": a.input_tokens,
        "output_token": a.output_tokens,
        "result_key": a.result_keys,
        "non_aggregate_keys": a.non_aggregate_keys,
    });
    if let Some(fields) = entry.as_object_mut() {
        let mut single = |key: &str, value: &Option<String>| {
            if let Some(v) = value {
                fields.insert(key.into(), Value::String(v.clone()));
            }
        };
        single("limit_key", &a.limit_key);
        single("more_results", &a.more_results);
        single("next_url", &a.next_url);
        single("offset", &a.offset);
        single("page_number", &a.page_number);
        single("first", &a.first);
        single("total", &a.total);
        single("continue_route", &a.continue_route);
        if !a.resend.is_empty() {
            fields.insert("resend".into(), json!(a.resend));
        }
        if !a.stop.is_empty() {
            fields.insert("stop".into(), json!(a.stop));
        }
    }
    Model::from_botocore(a.operation.clone(), &entry)
}

proptest! {
    #![proptest_config(Config { cases: 3000, ..Config::default() })]

    // S1: the shared checker and the builder give the same verdict on every declaration, and
    // a refusal names the operation and the key of the checker's first problem.
    #[test]
    fn s1_checker_and_builder_agree(a in attributes()) {
        let problems = check(&declaration(&a));
        let built = build(&a);
        prop_assert_eq!(
            problems.is_empty(),
            built.is_ok(),
            "checker: {:?}\nbuilder: {:?}",
            problems,
            built.as_ref().err()
        );
        if let (Some(first), Err(Error::InvalidModel { operation, problem })) =
            (problems.first(), &built)
        {
            prop_assert_eq!(operation, &a.operation);
            let message = problem.to_string();
            prop_assert!(
                message.contains(&format!("`{}`", first.key.as_str())),
                "{} does not name {:?}",
                message,
                first.key
            );
        }
        if a.has_style_keys() {
            // P12: a botocore entry never accepts a style key.
            let botocore = from_botocore(&a);
            prop_assert!(
                matches!(
                    &botocore,
                    Err(Error::InvalidModel { problem: ModelProblem::UnknownField { .. }, .. })
                ),
                "{:?}",
                botocore
            );
        } else if a.route.is_none() && a.has_style_values() {
            // P12: nor a style value in a key it knows.
            prop_assert!(from_botocore(&a).is_err());
        } else if a.route.is_none() {
            prop_assert_eq!(from_botocore(&a).is_ok(), built.is_ok());
        }
    }
}

proptest! {
    #![proptest_config(Config { cases: 3000, ..Config::default() })]

    // S1, E5: the checker's verdict on an expression is the engine's own compiler's, reached
    // without the checker: `search` compiles its expression directly (S3). So the builder
    // agreeing with the checker (above) is not only the builder calling the checker.
    #[test]
    fn s1_e5_checker_and_engine_compiler_agree_on_expressions(e in expression()) {
        let never = paginated::blocking::from_fn(|_request| -> Result<Value, std::io::Error> {
            Err(std::io::Error::other("no request is sent"))
        });
        // Any model will do: `search` compiles its expression before any request.
        let model = match Model::builder("ListThings")
            .input_token("Marker")
            .output_token("NextMarker")
            .result_key("Things")
            .build()
        {
            Ok(model) => model,
            Err(e) => return Err(TestCaseError::fail(e.to_string())),
        };
        let compiled = model.paginate(&never, json!({})).search(&e).map(|_| ());
        let problems = expression_problems(&e);
        prop_assert_eq!(
            problems.is_empty(),
            compiled.is_ok(),
            "checker: {:?}\nsearch: {:?}",
            problems,
            compiled.err()
        );
    }

    // S1: the derive's route check and `Route::parse` agree on every route.
    #[test]
    fn s1_route_check_and_route_parse_agree(r in route()) {
        let problems = route_problems(&r);
        let parsed = Route::parse(&r);
        prop_assert_eq!(
            problems.is_empty(),
            parsed.is_ok(),
            "checker: {:?}\nparse: {:?}",
            problems,
            parsed.err()
        );
    }
}

/// The property is not vacuous: the grammar yields both verdicts, with every kind of refusal.
#[test]
fn the_grammar_reaches_both_verdicts() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = attributes();
    let (mut accepted, mut refused) = (0, 0);
    let mut reasons = std::collections::BTreeSet::new();
    for _ in 0..3000 {
        let a = strategy.new_tree(&mut runner).unwrap().current();
        let problems = check(&declaration(&a));
        if problems.is_empty() {
            accepted += 1;
        } else {
            refused += 1;
        }
        for p in problems {
            let debug = format!("{:?}", p.reason);
            reasons.insert(debug.split([' ', '(', '{']).next().unwrap_or("").to_owned());
        }
    }
    assert!(
        accepted > 300 && refused > 300,
        "{accepted} accepted, {refused} refused"
    );
    for kind in [
        "Missing",
        "Empty",
        "Duplicate",
        "CountMismatch",
        "TooDeep",
        "Syntax",
        "UnknownFunction",
        "WrongArity",
        "OutOfRange",
        "NotADottedPath",
        "Route",
        "Conflicts",
        "Requires",
        "TooMany",
        "WholePageNotAlone",
        "BadHeaderName",
        "EmptyArgument",
        "BadSourceCall",
        "SourceNotWhole",
        "UnknownStop",
        "NotJson",
        "NotANumberOrString",
        "SameParam",
    ] {
        assert!(reasons.contains(kind), "no {kind} among {reasons:?}");
    }
}

/// P1–P11 at run time: a style problem the checker finds is `ModelProblem::Style`, naming the
/// field and the value (the checker's first problem, as for every key).
#[test]
fn p2_p3_p9_style_problems_name_their_field_and_value() {
    let problem = |b: paginated::model::ModelBuilder| match b.build() {
        Err(Error::InvalidModel { problem, .. }) => problem,
        other => panic!("{other:?}"),
    };
    let conflict = problem(
        Model::builder("ListIssues")
            .next_url("link('next')")
            .input_token("cursor")
            .output_token("next")
            .result_key("items"),
    );
    assert_eq!(
        conflict,
        ModelProblem::Style {
            field: "next_url",
            value: "link('next')".to_owned(),
            reason: "cannot be used with `input_token`: a declaration pages one way".to_owned(),
        }
    );
    assert_eq!(
        conflict.to_string(),
        "`next_url` = `link('next')` cannot be used with `input_token`: a declaration pages one way"
    );
    let requires = problem(
        Model::builder("ListVaults")
            .input_token("cursor")
            .output_token("next")
            .resend("api-version")
            .result_key("value"),
    );
    assert_eq!(
        requires.to_string(),
        "`resend` needs `next_url` or `continue_route`"
    );
    let route = problem(
        Model::builder("ListFolder")
            .input_token("cursor")
            .output_token("cursor")
            .continue_route("post /continue")
            .result_key("entries"),
    );
    assert_eq!(
        route.to_string(),
        "`continue_route` = `post /continue` method `post` is not one of `GET`, `POST`, `PUT`, `PATCH`, `DELETE`; did you mean `POST`?"
    );
}

/// P12: a botocore entry with a style key is refused as an unknown field, as before.
#[test]
fn p12_botocore_entries_take_no_style_key() {
    let entry = json!({"next_url": "link('next')", "result_key": "items"});
    let refused = Model::from_botocore("ListIssues", &entry);
    assert!(
        matches!(
            &refused,
            Err(Error::InvalidModel { problem: ModelProblem::UnknownField { field }, .. })
                if field == "next_url"
        ),
        "{refused:?}"
    );
}
