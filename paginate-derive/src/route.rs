//! The check of `route = "GET /buckets/{Bucket}/objects"`: the grammar of
//! `paginated::Route::parse`, at compile time, and placeholders that name serialized
//! fields.
//!
//! The grammar is the core's, written again here because the derive cannot depend on the crate
//! that re-exports it: `METHOD /path` with one space, a method among GET, POST, PUT, PATCH and
//! DELETE, a path that starts with `/` and holds no whitespace, and braces that pair up around
//! a non-empty name. A route the derive accepts is one the core parses, so the model built at
//! run time cannot fail on it. Every problem is reported on the string literal.

use syn::LitStr;

use crate::ast::Input;
use crate::attr::{backticked, did_you_mean};
use crate::ctxt::Ctxt;
use crate::symbol::ROUTE;
use crate::valid::names_a_serialized_field;

const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// Checks the route on `lit`; `false` when something was reported.
pub(crate) fn check(ctxt: &Ctxt, input: &Input<'_>, lit: &LitStr) -> bool {
    let text = lit.value();
    let Some((method, path)) = text
        .split_once(' ')
        .filter(|(method, path)| !method.is_empty() && !path.contains(char::is_whitespace))
    else {
        ctxt.error(
            lit.span(),
            format!(
                "`{ROUTE}` must be a method and a path separated by one space, like `GET /v1/orders`; `{text}` is not"
            ),
        );
        return false;
    };
    let mut ok = true;
    if !METHODS.contains(&method) {
        let hint = did_you_mean(method, &METHODS)
            .map_or(String::new(), |known| format!("; did you mean `{known}`?"));
        ctxt.error(
            lit.span(),
            format!(
                "`{ROUTE}` method `{method}` is not one of {}{hint}",
                backticked(&METHODS)
            ),
        );
        ok = false;
    }
    if !path.starts_with('/') {
        ctxt.error(
            lit.span(),
            format!("`{ROUTE}` path `{path}` must start with `/`, like `{method} /{path}`"),
        );
        return false;
    }
    let placeholders = match placeholders(path) {
        Ok(names) => names,
        Err((problem, at)) => {
            ctxt.error(
                lit.span(),
                format!("`{ROUTE}` path `{path}` has {problem} at character {at}"),
            );
            return false;
        }
    };
    for name in placeholders {
        let subject = format!("placeholder `{{{name}}}` of `{ROUTE} = \"{text}\"`");
        ok &= names_a_serialized_field(ctxt, input, lit, name, &subject).is_some();
    }
    ok
}

/// The names between braces, in order; `Err` says what is wrong with the braces, and at which
/// character of the path (from 0, as the core's `RouteError::Braces` counts).
fn placeholders(path: &str) -> Result<Vec<&str>, (&'static str, usize)> {
    let mut names = Vec::new();
    let mut open: Option<usize> = None;
    for (at, c) in path.char_indices() {
        match (c, open) {
            ('{', None) => open = Some(at),
            ('{', Some(_)) => return Err(("a `{` inside a placeholder", at)),
            ('}', None) => return Err(("a `}` without its `{`", at)),
            ('}', Some(start)) if start + 1 == at => return Err(("an empty placeholder `{}`", at)),
            ('}', Some(start)) => {
                names.push(&path[start + 1..at]);
                open = None;
            }
            _ => {}
        }
    }
    match open {
        Some(at) => Err(("a `{` without its `}`", at)),
        None => Ok(names),
    }
}

#[cfg(test)]
mod tests {
    use super::placeholders;

    #[test]
    fn placeholders_are_read_and_bad_braces_located_as_the_core_does() {
        assert_eq!(placeholders("/a/{A}/b/{B}.json").unwrap(), ["A", "B"]);
        assert_eq!(placeholders("/v1/orders").unwrap(), Vec::<&str>::new());
        for (path, problem, at) in [
            ("/a/{B", "a `{` without its `}`", 3),
            ("/a/B}", "a `}` without its `{`", 4),
            ("/a/{}", "an empty placeholder `{}`", 4),
            ("/a/{{B}}", "a `{` inside a placeholder", 4),
            ("/é/{B", "a `{` without its `}`", 4),
        ] {
            assert_eq!(placeholders(path), Err((problem, at)), "{path}");
        }
    }
}
