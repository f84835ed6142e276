//! Unit tests of the evaluator. Expected values were checked against Python `jmespath` 1.0.1
//! (botocore's evaluator); the compliance suite (`tests/jmespath_compliance.rs`) is the broad
//! agreement check.

use super::*;
use serde_json::json;

fn search(src: &str, data: &Value) -> Option<Value> {
    let e = Expr::compile(src).unwrap();
    e.search(data).unwrap().map(Cow::into_owned)
}

// S3 and §7: the evaluator's answers on a listing page, each checked against Python.
#[test]
fn s3_paths_filters_projections_and_functions() {
    let page = json!({
        "NextMarker": "n",
        "IsTruncated": false,
        "Contents": [
            {"Key": "a", "Size": 10, "LastModified": "2022-12-31"},
            {"Key": "b", "Size": 500, "LastModified": "2023-01-01"},
            {"Key": "c", "Size": 500.0, "LastModified": "2023-06-30", "Tags": [{"K": "x"}, {"K": "y"}]},
            {"Key": "d"}
        ],
        "Nested": [[1, [2]], [3], 4],
        "A": {"B": {"C": [10, 20, 30]}, "D": {"x": 1, "y": 2}},
        "N": 0,
        "E": {}
    });
    let cases = [
        ("NextMarker || Contents[-1].Key", json!("n")),
        ("Missing || Contents[-1].Key", json!("d")),
        ("Contents[0].Key", json!("a")),
        ("Contents[-4].Key", json!("a")),
        ("A.B.C[-1]", json!(30)),
        ("Contents[?Size > `100`].Key", json!(["b", "c"])),
        ("Contents[?Size == `500`].Key", json!(["b", "c"])),
        ("Contents[?Size != `500`].Key", json!(["a", "d"])),
        ("Contents[?!Size].Key", json!(["d"])),
        ("Contents[?Size > `0` && Key != 'b'].Key", json!(["a", "c"])),
        (
            "Contents[?LastModified >= '2023-01-01'].Key",
            json!(["b", "c"]),
        ),
        ("Contents[*].Key", json!(["a", "b", "c", "d"])),
        ("Contents[].Tags[].K", json!(["x", "y"])),
        ("Nested[]", json!([1, [2], 3, 4])),
        ("Nested[][]", json!([1, 2, 3, 4])),
        ("A.D.*", json!([1, 2])),
        ("A.*.C", json!([[10, 20, 30]])),
        ("Contents[:2].Key", json!(["a", "b"])),
        ("Contents[::-2].Key", json!(["d", "b"])),
        (
            "{n: NextMarker, k: Contents[0].Key}",
            json!({"n": "n", "k": "a"}),
        ),
        ("[NextMarker, IsTruncated]", json!(["n", false])),
        ("!IsTruncated", json!(true)),
        ("N && 'zero is true'", json!("zero is true")),
        (
            "E || 'empty object is false'",
            json!("empty object is false"),
        ),
        ("Contents | [0].Key", json!("a")),
        ("length(Contents[?Size > `100`])", json!(2)),
        (
            "sort_by(Contents[?Size], &LastModified)[-1].Key",
            json!("c"),
        ),
        ("max_by(Contents[?Size], &Size).Key", json!("b")),
        ("min_by(Contents[?Size], &LastModified).Key", json!("a")),
        ("map(&Key, Contents)", json!(["a", "b", "c", "d"])),
        ("map(&Size, Contents)", json!([10, 500, 500.0, null])),
        ("sum(Contents[].Size)", json!(1010.0)),
        ("avg(A.B.C)", json!(20.0)),
        ("max(Contents[].Key)", json!("d")),
        ("join(', ', Contents[].Key)", json!("a, b, c, d")),
        ("keys(A.D)", json!(["x", "y"])),
        ("not_null(Missing, N, 'x')", json!(0)),
        ("to_string(A.D)", json!("{\"x\":1,\"y\":2}")),
        ("to_number('12')", json!(12)),
        ("to_number('1.5')", json!(1.5)),
        ("type(E)", json!("object")),
        ("contains(Contents[].Size, `500`)", json!(true)),
        ("ceil(`1.5`)", json!(2)),
        ("floor(`-1.5`)", json!(-2)),
        (
            "abs(`-9223372036854775808`)",
            json!(9_223_372_036_854_775_808_u64),
        ),
    ];
    for (src, want) in cases {
        let got = search(src, &page);
        assert!(
            got.as_ref().is_some_and(|g| compare::equal(g, &want)),
            "{src}: got {got:?}, want {want}"
        );
    }
    for src in [
        "Missing",
        "Contents[9]",
        "Contents.Key",
        "A.D[0]",
        "N < 'a'",
        "&Key",
    ] {
        assert_eq!(search(src, &page), None, "{src} is null");
    }
}

#[test]
fn s3_paths_borrow_from_the_page() {
    let page = json!({"Contents": [{"Key": "a"}, {"Key": "b"}], "M": null});
    for src in [
        "Contents[1].Key",
        "M || Contents[0]",
        "Contents | [0]",
        "not_null(M, Contents)",
    ] {
        let e = Expr::compile(src).unwrap();
        assert!(
            matches!(e.search(&page).unwrap(), Some(Cow::Borrowed(_))),
            "{src} borrows"
        );
    }
}

// E1, E2: exact comparisons everywhere.
#[test]
fn e1_e2_exact_comparisons() {
    let page = json!({"Big": 9_007_199_254_740_993_u64, "Near": 9_007_199_254_740_992.0});
    let cases = [
        ("'a' < 'b'", true),
        ("'b' <= 'a'", false),
        ("'Z' < 'a'", true),
        ("'é' > 'z'", true),
        ("`1` == `1.0`", true),
        ("`1` == `1.0000000000000002`", false),
        ("`1` < `1.0000000000000002`", true),
        ("`9007199254740993` == `9007199254740992`", false),
        ("`9007199254740993` > `9007199254740992`", true),
        ("Big == Near", false),
        ("Big > Near", true),
        ("`18446744073709551615` > `18446744073709551614`", true),
        ("`-9223372036854775808` < `-9223372036854775807`", true),
        ("`[1, {\"a\": 2}]` == `[1.0, {\"a\": 2.0}]`", true),
        ("`true` == `1`", false),
    ];
    for (src, want) in cases {
        assert_eq!(search(src, &page), Some(json!(want)), "{src}");
    }
    for src in [
        "'a' < `1`",
        "`true` < `false`",
        "`null` >= `null`",
        "`[1]` < `[2]`",
    ] {
        assert_eq!(search(src, &page), None, "{src} is null");
    }
}

#[test]
fn runtime_and_compile_errors() {
    let page = json!({"a": [0, 1, 2], "s": "x"});
    let runtime = |src: &str| Expr::compile(src).unwrap().search(&page).unwrap_err();
    assert_eq!(runtime("a[::0]"), "invalid-value: a slice step cannot be 0");
    assert_eq!(
        runtime("abs(s)"),
        "invalid-type: `abs()` expects a number as argument 1, got string"
    );
    assert!(runtime("sort(`[1, \"a\"]`)").starts_with("invalid-type: `sort()`"));
    assert!(runtime("sort_by(a, Key)").starts_with("invalid-type: `sort_by()`"));
    assert!(runtime("length(Missing)").starts_with("invalid-type: `length()`"));
    let compile = |src: &str| Expr::compile(src).unwrap_err().to_string();
    assert_eq!(
        compile("nope(a)"),
        "unknown-function: `nope` is not a JMESPath built-in function (at character 4)"
    );
    assert_eq!(
        compile("a.abs(a, s)"),
        "invalid-arity: `abs()` takes 1 argument, got 2 (at character 5)"
    );
    assert_eq!(
        compile("merge()"),
        "invalid-arity: `merge()` takes at least 1 argument, got 0 (at character 5)"
    );
    assert_eq!(
        compile("Contents["),
        "unexpected end of expression (at character 9)"
    );
    assert!(Expr::compile("a[-2147483648]").is_err());
    assert!(Expr::compile("a[::-2147483648]").is_err());
    assert!(Expr::compile("a[-2147483647]").is_ok());
    assert!(Expr::compile("a[5::2147483647]").is_err());
    assert_eq!(search("a[1::2]", &page), Some(json!([1])));
}

#[test]
fn nesting_bound_applies_to_expressions_and_paths() {
    let deep = "a.".repeat(5_000) + "a";
    let err = Expr::compile(&deep).unwrap_err();
    assert_eq!(
        err.to_string(),
        "expression nests deeper than 64 levels (at character 129)"
    );
    let Err(Some(err)) = Path::parse(&deep) else {
        panic!("a deep path must be refused as unparsable");
    };
    assert_eq!(err.column, 129);
}

#[test]
fn absent_is_python_truthiness() {
    for v in [
        json!(null),
        json!(false),
        json!(0),
        json!(0.0),
        json!(""),
        json!([]),
        json!({}),
    ] {
        assert!(is_absent(Some(&v)), "{v} is absent");
    }
    for v in [
        json!(true),
        json!(1),
        json!(-0.5),
        json!("0"),
        json!([0]),
        json!({"a": 0}),
    ] {
        assert!(!is_absent(Some(&v)), "{v} is present");
    }
    assert!(is_absent(None));
}

#[test]
fn paths() {
    let p = Path::parse("EngineDefaults.Parameters").unwrap();
    let mut page = json!({"EngineDefaults": {"Parameters": [1]}});
    assert_eq!(p.get(&page), Some(&json!([1])));
    *p.get_mut(&mut page).unwrap() = json!([]);
    assert_eq!(page, json!({"EngineDefaults": {"Parameters": []}}));
    let mut out = Map::new();
    p.set(&mut out, json!(5)).unwrap();
    assert_eq!(
        Value::Object(out),
        json!({"EngineDefaults": {"Parameters": 5}})
    );
    let mut clash = Map::new();
    clash.insert("EngineDefaults".into(), json!([1]));
    assert_eq!(
        p.set(&mut clash, json!(1)),
        Err(("EngineDefaults".to_owned(), "array"))
    );
    assert_eq!(Path::parse("Contents[0]"), Err(None));
    assert_eq!(Path::parse("a || b"), Err(None));
    assert!(matches!(Path::parse("a."), Err(Some(_))));
    assert_eq!(
        Path::parse("\"quoted-name\".x").unwrap().parts,
        ["quoted-name", "x"]
    );
}
