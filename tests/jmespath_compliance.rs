//! SEMANTICS E3: every case of the official JMESPath compliance suite (vendored in
//! `tests/jmespath/compliance/`, see its README) whose `given` is an object — a page is always
//! an object — gives its expected result through `search` on a one-page run and as an output
//! token; every case with an `error` fails: syntax errors when the search or the model is
//! built, runtime errors as a typed `Error` from the run.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Mutex;

use paginated::blocking::from_fn;
use paginated::{Error, Model};
use serde_json::{Value, json};

struct Case {
    file: String,
    given: Value,
    expression: String,
    expected: Result<Value, String>,
}

fn cases() -> (Vec<Case>, usize, usize) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("jmespath/compliance");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let (mut out, mut not_objects, mut benches) = (Vec::new(), 0, 0);
    for path in files {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let suites: Vec<Value> = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        for suite in suites {
            for case in suite["cases"].as_array().unwrap() {
                if !suite["given"].is_object() {
                    not_objects += 1;
                    continue;
                }
                let expected = match (case.get("result"), case.get("error")) {
                    (Some(result), _) => Ok(result.clone()),
                    (None, Some(error)) => Err(error.as_str().unwrap().to_owned()),
                    // benchmarks.json: `bench` entries without an expected answer.
                    (None, None) => {
                        assert!(case.get("bench").is_some(), "{file}: {case}");
                        benches += 1;
                        continue;
                    }
                };
                out.push(Case {
                    file: file.clone(),
                    given: suite["given"].clone(),
                    expression: case["expression"].as_str().unwrap().to_owned(),
                    expected,
                });
            }
        }
    }
    (out, not_objects, benches)
}

/// JSON equality as the suite's runners compare (Python `==`): `2 == 2.0`.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// Python truthiness: what botocore treats as "no token" (SEMANTICS vocabulary, "absent").
fn absent(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
    }
}

/// G3: what `search` yields for one page whose result is `result`.
fn yielded(result: &Value) -> Vec<Value> {
    match result {
        Value::Array(items) => items.clone(),
        other => vec![other.clone()],
    }
}

fn one_page_model() -> Model {
    // The output token is always null, so a run makes exactly one request.
    Model::builder("Compliance")
        .input_token("ComplianceToken")
        .output_token("`null`")
        .result_key("ComplianceResults")
        .build()
        .unwrap()
}

/// (a) through `search` on a one-page run. Returns a description of the failure, if any.
fn through_search(model: &Model, case: &Case) -> Option<String> {
    let given = case.given.clone();
    let api = from_fn(move |_request| Ok::<_, std::io::Error>(given.clone()));
    let search = model.paginate(&api, json!({})).search(&case.expression);
    match (&case.expected, search) {
        (Err(kind), Err(Error::InvalidSearch { .. }))
            if kind != "invalid-value" && kind != "invalid-type" =>
        {
            None
        }
        (Err(kind), Err(e)) => Some(format!("{kind}: refused when compiled with {e:?}")),
        (Err(kind), Ok(search)) if kind == "syntax" => {
            let _ = search;
            Some("a syntax error compiled".to_owned())
        }
        (Err(_), Ok(search)) => {
            let results: Vec<_> = search.collect();
            match results.as_slice() {
                [Err(Error::Expression { .. })] => None,
                other => Some(format!("expected a runtime error, got {other:?}")),
            }
        }
        (Ok(_), Err(e)) => Some(format!("refused: {e}")),
        (Ok(result), Ok(search)) => {
            let got: Result<Vec<Value>, Error> = search.collect();
            match got {
                Ok(got) => {
                    let want = yielded(result);
                    let ok =
                        got.len() == want.len() && got.iter().zip(&want).all(|(g, w)| same(g, w));
                    (!ok).then(|| format!("search yielded {got:?}, want {want:?}"))
                }
                Err(e) => Some(format!("search failed: {e}")),
            }
        }
    }
}

/// (b) as an output token: the next request carries the result, or there is none.
fn as_output_token(case: &Case) -> Option<String> {
    let model = Model::builder("Compliance")
        .input_token("ComplianceToken")
        .output_token(&case.expression)
        .result_key("ComplianceResults")
        .build();
    let model = match (&case.expected, model) {
        (Err(kind), Err(_)) if kind != "invalid-value" && kind != "invalid-type" => return None,
        (_, Err(e)) => return Some(format!("model refused: {e}")),
        (Err(kind), Ok(_)) if kind == "syntax" => {
            return Some("a syntax error built a model".to_owned());
        }
        (_, Ok(model)) => model,
    };
    let requests = Mutex::new(Vec::new());
    let given = case.given.clone();
    let api = from_fn(|request| {
        let mut seen = requests.lock().unwrap();
        seen.push(request.params().clone());
        let page = if seen.len() == 1 {
            given.clone()
        } else {
            json!({})
        };
        Ok::<_, std::io::Error>(page)
    });
    let outcomes: Vec<Result<Value, Error>> =
        model.paginate(&api, json!({})).max_pages(2).collect();
    let requests = requests.into_inner().unwrap();
    let first_error = outcomes.iter().position(Result::is_err);
    match &case.expected {
        Err(_) => match (first_error, requests.len()) {
            (Some(i), 1) if matches!(outcomes[i], Err(Error::Expression { .. })) => None,
            _ => Some(format!(
                "expected a runtime error, got {outcomes:?} after {requests:?}"
            )),
        },
        Ok(result) if absent(result) => {
            (requests.len() != 1).then(|| format!("absent result, but requests were {requests:?}"))
        }
        Ok(result) => match requests.get(1).and_then(|p| p.get("ComplianceToken")) {
            Some(token) if same(token, result) => None,
            other => Some(format!("next token {other:?}, want {result}")),
        },
    }
}

#[test]
fn e3_compliance_suite_through_search_and_as_output_token() {
    let (cases, not_objects, benches) = cases();
    // 875 cases in the 16 files: 22 have a `given` that is not an object (no page is), and
    // the 14 of benchmarks.json have no expected answer; 839 run, 146 of them errors.
    assert_eq!((cases.len(), not_objects, benches), (839, 22, 14));
    assert_eq!(cases.iter().filter(|c| c.expected.is_err()).count(), 146);
    let model = one_page_model();
    let mut failures = Vec::new();
    for case in &cases {
        for (how, failure) in [
            ("search", through_search(&model, case)),
            ("output token", as_output_token(case)),
        ] {
            if let Some(failure) = failure {
                failures.push(format!(
                    "{} `{}` ({how}) on {}: {failure}",
                    case.file, case.expression, case.given
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// E4: where Python's `jmespath` departs from the specification, the specification wins.
/// Python reads `foo.*.bar.baz` as `(foo.*.bar).baz` and answers `null`; the specification
/// applies `bar.baz` to each value of `foo`, so the answer is `[1]`, through `search` and as
/// an output token alike.
#[test]
fn e4_the_specification_wins_where_python_jmespath_departs_from_it() {
    let case = Case {
        file: "SEMANTICS E4".to_owned(),
        given: json!({"foo": {"a": {"bar": {"baz": 1}}}}),
        expression: "foo.*.bar.baz".to_owned(),
        expected: Ok(json!([1])),
    };
    assert_eq!(through_search(&one_page_model(), &case), None);
    assert_eq!(as_output_token(&case), None);
    // Not vacuous: Python's answer is a different one.
    let python = Case {
        expected: Ok(Value::Null),
        ..case
    };
    assert!(through_search(&one_page_model(), &python).is_some());
}
