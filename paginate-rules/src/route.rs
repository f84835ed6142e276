//! The grammar of HTTP routes, `METHOD /path/{Placeholder}` (the `route` key): written once,
//! read by the checker, by `paginated`'s `Route::parse` (which keeps the pieces this returns)
//! and by the derive (which also matches placeholders against serialized field names).
//!
//! A route is a method and a path separated by one space; the method is one of GET, POST, PUT,
//! PATCH and DELETE; the path starts with `/` and holds no whitespace; braces pair up around a
//! non-empty name, without nesting.

use std::fmt;

use crate::suggest::did_you_mean;

/// The methods a route may name, as written.
pub(crate) const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// A route's HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
}

impl Method {
    fn parse(text: &str) -> Option<Method> {
        Some(match text {
            "GET" => Method::Get,
            "POST" => Method::Post,
            "PUT" => Method::Put,
            "PATCH" => Method::Patch,
            "DELETE" => Method::Delete,
            _ => return None,
        })
    }
}

/// One piece of a route's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text written as it is.
    Text(&'a str),
    /// A `{placeholder}`: the name between the braces.
    Param(&'a str),
}

/// A route that follows the grammar.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ParsedRoute<'a> {
    /// The method.
    pub method: Method,
    /// The path, as written after the space.
    pub path: &'a str,
    /// The path split into text and placeholders, in order.
    pub pieces: Vec<Piece<'a>>,
}

/// What is wrong with the braces of a route's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BraceProblem {
    /// A `{` that is never closed.
    Unclosed,
    /// A `}` that closes nothing.
    Unopened,
    /// `{}`.
    Empty,
    /// A `{` inside a placeholder.
    Nested,
}

impl BraceProblem {
    /// What is wrong, as a noun phrase without an article: "`{` without its `}`".
    pub fn as_str(self) -> &'static str {
        match self {
            BraceProblem::Unclosed => "`{` without its `}`",
            BraceProblem::Unopened => "`}` without its `{`",
            BraceProblem::Empty => "empty placeholder `{}`",
            BraceProblem::Nested => "`{` inside a placeholder",
        }
    }
}

impl BraceProblem {
    /// [`BraceProblem::as_str`] after "a" or "an".
    pub(crate) fn with_article(self) -> String {
        let article = if self == BraceProblem::Empty {
            "an"
        } else {
            "a"
        };
        format!("{article} {}", self.as_str())
    }
}

impl fmt::Display for BraceProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a route text breaks the grammar.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RouteProblem {
    /// Not a method and a path separated by one space.
    Shape,
    /// A method that is not one of `GET`, `POST`, `PUT`, `PATCH` and `DELETE`.
    Method {
        /// The method as written.
        method: String,
        /// The closest allowed method, if one is close.
        did_you_mean: Option<&'static str>,
    },
    /// The path does not start with `/`.
    Path {
        /// The method as written.
        method: String,
        /// The path as written.
        path: String,
    },
    /// Braces that do not pair up around a name.
    Braces {
        /// What is wrong.
        problem: BraceProblem,
        /// Where, in characters of the path (bytes of its UTF-8, from 0).
        at: usize,
        /// The path as written.
        path: String,
    },
}

impl fmt::Display for RouteProblem {
    /// The reason, for a message that has already named the route.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RouteProblem::Shape => f.write_str(
                "must be a method and a path separated by one space, like `GET /v1/orders`",
            ),
            RouteProblem::Method {
                method,
                did_you_mean,
            } => {
                let methods = METHODS.map(|m| format!("`{m}`")).join(", ");
                write!(f, "method `{method}` is not one of {methods}")?;
                match did_you_mean {
                    Some(known) => write!(f, "; did you mean `{known}`?"),
                    None => Ok(()),
                }
            }
            RouteProblem::Path { method, path } => {
                write!(
                    f,
                    "path `{path}` must start with `/`, like `{method} /{path}`"
                )
            }
            RouteProblem::Braces { problem, at, path } => {
                write!(
                    f,
                    "path `{path}` has {} at character {at}",
                    problem.with_article()
                )
            }
        }
    }
}

/// Every problem of `text` against the grammar: the shape first (nothing else is checked
/// without it), then the method and the path, then the braces of a path that starts with `/`.
pub fn route_problems(text: &str) -> Vec<RouteProblem> {
    let mut problems = Vec::new();
    let Some((method, path)) = split(text) else {
        return vec![RouteProblem::Shape];
    };
    if Method::parse(method).is_none() {
        problems.push(RouteProblem::Method {
            method: method.to_owned(),
            did_you_mean: did_you_mean(method, METHODS),
        });
    }
    if !path.starts_with('/') {
        problems.push(RouteProblem::Path {
            method: method.to_owned(),
            path: path.to_owned(),
        });
    } else if let Err((problem, at)) = pieces(path) {
        problems.push(RouteProblem::Braces {
            problem,
            at,
            path: path.to_owned(),
        });
    }
    problems
}

/// Parses `text`; `Err` is the first of [`route_problems`].
pub fn parse_route(text: &str) -> Result<ParsedRoute<'_>, RouteProblem> {
    let (method, path) = split(text).ok_or(RouteProblem::Shape)?;
    let parsed = Method::parse(method).ok_or_else(|| RouteProblem::Method {
        method: method.to_owned(),
        did_you_mean: did_you_mean(method, METHODS),
    })?;
    if !path.starts_with('/') {
        return Err(RouteProblem::Path {
            method: method.to_owned(),
            path: path.to_owned(),
        });
    }
    let pieces = pieces(path).map_err(|(problem, at)| RouteProblem::Braces {
        problem,
        at,
        path: path.to_owned(),
    })?;
    Ok(ParsedRoute {
        method: parsed,
        path,
        pieces,
    })
}

/// The placeholders of `text`'s path, in order, when its shape, path and braces follow the
/// grammar (whatever its method); empty otherwise. The derive checks that each names a
/// serialized field, even when the method is wrong.
pub fn placeholders(text: &str) -> Vec<&str> {
    split(text)
        .filter(|(_, path)| path.starts_with('/'))
        .and_then(|(_, path)| pieces(path).ok())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|piece| match piece {
            Piece::Param(name) => Some(name),
            Piece::Text(_) => None,
        })
        .collect()
}

/// `METHOD path` at its one space, when neither side is empty of a method or holds whitespace.
fn split(text: &str) -> Option<(&str, &str)> {
    text.split_once(' ')
        .filter(|(method, path)| !method.is_empty() && !path.contains(char::is_whitespace))
}

/// Splits a path into text and placeholders; `Err` says what is wrong with the braces, and
/// where.
fn pieces(path: &str) -> Result<Vec<Piece<'_>>, (BraceProblem, usize)> {
    let mut pieces = Vec::new();
    let mut text_from = 0;
    let mut open: Option<usize> = None;
    for (at, c) in path.char_indices() {
        match (c, open) {
            ('{', None) => {
                if at > text_from {
                    pieces.push(Piece::Text(&path[text_from..at]));
                }
                open = Some(at);
            }
            ('{', Some(_)) => return Err((BraceProblem::Nested, at)),
            ('}', None) => return Err((BraceProblem::Unopened, at)),
            ('}', Some(start)) if start + 1 == at => return Err((BraceProblem::Empty, at)),
            ('}', Some(start)) => {
                pieces.push(Piece::Param(&path[start + 1..at]));
                open = None;
                text_from = at + 1;
            }
            _ => {}
        }
    }
    if let Some(at) = open {
        return Err((BraceProblem::Unclosed, at));
    }
    if text_from < path.len() {
        pieces.push(Piece::Text(&path[text_from..]));
    }
    Ok(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_methods_pieces_and_placeholders() {
        let r = parse_route("GET /a/{A}/b/{B}.json").unwrap();
        assert_eq!(r.method, Method::Get);
        assert_eq!(
            r.pieces,
            [
                Piece::Text("/a/"),
                Piece::Param("A"),
                Piece::Text("/b/"),
                Piece::Param("B"),
                Piece::Text(".json")
            ]
        );
        assert_eq!(placeholders("FETCH /a/{A}/{B}"), ["A", "B"]);
        assert!(placeholders("GET a/{A}").is_empty());
    }

    #[test]
    fn reports_every_problem_with_its_place() {
        assert_eq!(route_problems("GET/v1"), [RouteProblem::Shape]);
        assert_eq!(route_problems("GET  /v1"), [RouteProblem::Shape]);
        assert_eq!(route_problems(" /v1"), [RouteProblem::Shape]);
        let both = route_problems("GT v1");
        assert_eq!(both.len(), 2);
        assert_eq!(
            both[0].to_string(),
            "method `GT` is not one of `GET`, `POST`, `PUT`, `PATCH`, `DELETE`; did you mean `GET`?"
        );
        for (path, problem, at) in [
            ("/a/{B", BraceProblem::Unclosed, 3),
            ("/a/B}", BraceProblem::Unopened, 4),
            ("/a/{}", BraceProblem::Empty, 4),
            ("/a/{{B}}", BraceProblem::Nested, 4),
            ("/é/{B", BraceProblem::Unclosed, 4),
        ] {
            let text = format!("GET {path}");
            let expected = RouteProblem::Braces {
                problem,
                at,
                path: path.to_owned(),
            };
            assert_eq!(route_problems(&text), std::slice::from_ref(&expected));
            assert_eq!(parse_route(&text), Err(expected));
        }
        assert!(route_problems("DELETE /v1/{Id}").is_empty());
    }
}
