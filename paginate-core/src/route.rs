//! HTTP routes of operations: `GET /buckets/{Bucket}/objects`, parsed once with the model and
//! rendered for each page by the ready HTTP transports. The engine itself never looks at a
//! route; it only carries it from the model to the transport in a
//! [`PageRequest`](crate::PageRequest). The grammar is `paginated-rules`' (S1), the one the
//! derive checks at compile time.

use std::fmt;
use std::sync::Arc;

use paginated_rules::RouteProblem;
use serde_json::{Map, Value};

use crate::token::json_type;

/// The HTTP methods a route may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// `GET`: the params go into the query string.
    Get,
    /// `POST`: the params go into a JSON body.
    Post,
    /// `PUT`: the params go into a JSON body.
    Put,
    /// `PATCH`: the params go into a JSON body.
    Patch,
    /// `DELETE`: the params go into the query string.
    Delete,
}

impl Method {
    /// The method's name as HTTP writes it: `GET`, `POST`, …
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// True when the params that are not in the path travel in a JSON body (POST, PUT,
    /// PATCH), false when they go into the query string (GET, DELETE).
    pub fn has_body(self) -> bool {
        matches!(self, Method::Post | Method::Put | Method::Patch)
    }

    fn from_rules(method: paginated_rules::Method) -> Method {
        use paginated_rules::Method as M;
        match method {
            M::Get => Method::Get,
            M::Post => Method::Post,
            M::Put => Method::Put,
            M::Patch => Method::Patch,
            M::Delete => Method::Delete,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    /// Written as it is.
    Text(String),
    /// Filled from the param of this name, percent-encoded as one path segment.
    Param(String),
}

/// An operation's HTTP route: a method and a path template whose `{placeholders}` name
/// request parameters.
///
/// ```
/// use paginated::route::{Method, Route};
/// use serde_json::json;
///
/// let route = Route::parse("GET /buckets/{Bucket}/objects")?;
/// assert_eq!(route.method(), Method::Get);
/// assert_eq!(route.placeholders().collect::<Vec<_>>(), ["Bucket"]);
///
/// let params = json!({"Bucket": "my photos/2024", "Marker": "b"});
/// let rendered = route.render(params.as_object().unwrap())?;
/// assert_eq!(rendered.path, "/buckets/my%20photos%2F2024/objects");
/// assert_eq!(rendered.rest, *json!({"Marker": "b"}).as_object().unwrap());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Route(Arc<Parsed>);

#[derive(PartialEq, Eq)]
struct Parsed {
    text: String,
    method: Method,
    pieces: Vec<Piece>,
}

impl fmt::Debug for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Route").field(&self.0.text).finish()
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.text)
    }
}

/// Why a route text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RouteError {
    /// The text is not `METHOD /path`.
    #[error(
        "route `{route}` must be a method and a path separated by one space, like `GET /v1/orders`"
    )]
    Shape {
        /// The route as given.
        route: String,
    },
    /// The method is not one a route may name.
    #[error("route `{route}`: method `{method}` is not one of GET, POST, PUT, PATCH, DELETE")]
    Method {
        /// The route as given.
        route: String,
        /// The method as given.
        method: String,
    },
    /// The path does not start with `/`.
    #[error("route `{route}`: the path must start with `/`")]
    Path {
        /// The route as given.
        route: String,
    },
    /// A brace without its partner, an empty `{}`, or braces inside a placeholder.
    #[error("route `{route}`: {problem} at character {at} of the path")]
    Braces {
        /// The route as given.
        route: String,
        /// What is wrong with the braces.
        problem: &'static str,
        /// Where in the path (from 0).
        at: usize,
    },
}

/// Why a route could not be filled from a page's params.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// A placeholder's param is missing or `null`.
    #[error("route `{route}` needs param `{name}` for its path, and the request has none")]
    Missing {
        /// The route.
        route: String,
        /// The placeholder.
        name: String,
    },
    /// A placeholder that is a whole path segment has the value `.` or `..`, which URLs
    /// read as "this directory" and "the parent directory" (even percent-encoded), so the
    /// request would go to another path.
    #[error(
        "route `{route}`: param `{name}` is `.` or `..`, which a URL cannot carry as a path segment"
    )]
    DotSegment {
        /// The route.
        route: String,
        /// The placeholder.
        name: String,
    },
    /// A placeholder's param is an array or an object, which a path segment cannot hold.
    #[error(
        "route `{route}`: param `{name}` holds a JSON {found}, which cannot be written in a path"
    )]
    NotScalar {
        /// The route.
        route: String,
        /// The placeholder.
        name: String,
        /// Its JSON type.
        found: &'static str,
    },
}

impl RenderError {
    fn dot_segment(route: &str, name: &str) -> RenderError {
        RenderError::DotSegment {
            route: route.to_owned(),
            name: name.to_owned(),
        }
    }
}

impl RouteError {
    /// The shared grammar's `problem` with `route`, the text it was found in, worded as this
    /// crate's error.
    pub(crate) fn from_problem(route: &str, problem: RouteProblem) -> RouteError {
        let route = route.to_owned();
        match problem {
            RouteProblem::Method { method, .. } => RouteError::Method { route, method },
            RouteProblem::Path { .. } => RouteError::Path { route },
            RouteProblem::Braces { problem, at, .. } => RouteError::Braces {
                route,
                problem: problem.as_str(),
                at,
            },
            // `Shape`, and any problem a later grammar adds.
            _ => RouteError::Shape { route },
        }
    }
}

/// A route filled from one request's params: the path, and the params it did not use.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Rendered {
    /// The path, placeholders filled and percent-encoded: `/buckets/my%20photos/objects`.
    pub path: String,
    /// The params that are not placeholders, for the query string or the body.
    pub rest: Map<String, Value>,
}

impl Route {
    /// Parses `METHOD /path/{Placeholder}/…`. The method is one of GET, POST, PUT, PATCH and
    /// DELETE; the path starts with `/`; every `{` has its `}` and holds a name.
    pub fn parse(text: &str) -> Result<Route, RouteError> {
        let parsed = paginated_rules::parse_route(text)
            .map_err(|problem| RouteError::from_problem(text, problem))?;
        let pieces = parsed
            .pieces
            .iter()
            .map(|piece| match piece {
                paginated_rules::Piece::Text(text) => Piece::Text((*text).to_owned()),
                paginated_rules::Piece::Param(name) => Piece::Param((*name).to_owned()),
            })
            .collect();
        Ok(Route(Arc::new(Parsed {
            text: text.to_owned(),
            method: Method::from_rules(parsed.method),
            pieces,
        })))
    }

    /// The method.
    pub fn method(&self) -> Method {
        self.0.method
    }

    /// The route as written: `GET /buckets/{Bucket}/objects`.
    pub fn as_str(&self) -> &str {
        &self.0.text
    }

    /// The names in the path's `{placeholders}`, in order.
    pub fn placeholders(&self) -> impl Iterator<Item = &str> {
        self.0.pieces.iter().filter_map(|piece| match piece {
            Piece::Param(name) => Some(name.as_str()),
            Piece::Text(_) => None,
        })
    }

    /// True when the placeholder `name` fills a path segment on its own (`/{Bucket}/`).
    fn whole_segment(&self, name: &str) -> bool {
        let pieces = &self.0.pieces;
        pieces.iter().enumerate().any(|(i, piece)| {
            let ends = |text: Option<&Piece>, after: bool| match text {
                None => after,
                Some(Piece::Text(t)) => {
                    if after {
                        t.starts_with('/')
                    } else {
                        t.ends_with('/')
                    }
                }
                Some(Piece::Param(_)) => false,
            };
            matches!(piece, Piece::Param(n) if n == name)
                && ends(i.checked_sub(1).and_then(|j| pieces.get(j)), false)
                && ends(pieces.get(i + 1), true)
        })
    }

    /// Fills the placeholders from `params`, each value percent-encoded as one path segment
    /// (so `/`, spaces and non-ASCII are escaped); strings are written as they are, numbers
    /// and booleans as JSON writes them.
    pub fn render(&self, params: &Map<String, Value>) -> Result<Rendered, RenderError> {
        let mut path = String::new();
        let mut rest = params.clone();
        for piece in &self.0.pieces {
            match piece {
                Piece::Text(text) => path.push_str(text),
                Piece::Param(name) => {
                    // `shift_remove` keeps the other params in the order they were given.
                    let value = rest.shift_remove(name);
                    let text = match &value {
                        None | Some(Value::Null) => {
                            return Err(RenderError::Missing {
                                route: self.0.text.clone(),
                                name: name.clone(),
                            });
                        }
                        Some(Value::String(s)) => s.clone(),
                        Some(v @ (Value::Number(_) | Value::Bool(_))) => v.to_string(),
                        Some(other) => {
                            return Err(RenderError::NotScalar {
                                route: self.0.text.clone(),
                                name: name.clone(),
                                found: json_type(other),
                            });
                        }
                    };
                    if (text == "." || text == "..") && self.whole_segment(name) {
                        return Err(RenderError::dot_segment(&self.0.text, name));
                    }
                    path.extend(percent_encoding::utf8_percent_encode(&text, SEGMENT));
                }
            }
        }
        Ok(Rendered { path, rest })
    }
}

/// Everything but RFC 3986's unreserved characters is escaped in a placeholder's value, so a
/// value is always exactly one path segment.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn params(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn parses_methods_paths_and_placeholders() {
        let r = Route::parse("POST /v1/search").unwrap();
        assert_eq!(r.method(), Method::Post);
        assert!(r.method().has_body());
        assert_eq!(r.placeholders().count(), 0);
        let r = Route::parse("GET /a/{A}/b/{B}.json").unwrap();
        assert_eq!(r.placeholders().collect::<Vec<_>>(), ["A", "B"]);
        assert!(!r.method().has_body());
        assert_eq!(r.to_string(), "GET /a/{A}/b/{B}.json");
    }

    #[test]
    fn refuses_malformed_routes_with_the_reason() {
        let cases = [
            ("GET/v1", "must be a method and a path"),
            ("GET  /v1", "must be a method and a path"),
            ("FETCH /v1", "method `FETCH` is not one of"),
            ("get /v1", "method `get` is not one of"),
            ("GET v1", "must start with `/`"),
            ("GET /a/{B", "`{` without its `}` at character 3"),
            ("GET /a/B}", "`}` without its `{` at character 4"),
            ("GET /a/{}", "empty placeholder `{}` at character 4"),
            ("GET /a/{{B}}", "`{` inside a placeholder at character 4"),
        ];
        for (text, expected) in cases {
            let message = Route::parse(text).unwrap_err().to_string();
            assert!(message.contains(expected), "{text}: {message}");
        }
    }

    #[test]
    fn placeholders_are_encoded_as_one_segment() {
        let r = Route::parse("GET /buckets/{Bucket}/objects/{Key}").unwrap();
        let out = r
            .render(&params(
                json!({"Bucket": "a/b c", "Key": "ünï?#%", "Max": 5}),
            ))
            .unwrap();
        assert_eq!(
            out.path,
            "/buckets/a%2Fb%20c/objects/%C3%BCn%C3%AF%3F%23%25"
        );
        assert_eq!(out.rest, params(json!({"Max": 5})));
        let out = r
            .render(&params(json!({"Bucket": 7, "Key": true})))
            .unwrap();
        assert_eq!(out.path, "/buckets/7/objects/true");
    }

    #[test]
    fn dot_segments_are_refused_where_they_would_change_the_path() {
        let r = Route::parse("GET /b/{Bucket}/o").unwrap();
        for dots in [".", ".."] {
            assert_eq!(
                r.render(&params(json!({"Bucket": dots}))).unwrap_err(),
                RenderError::DotSegment {
                    route: "GET /b/{Bucket}/o".into(),
                    name: "Bucket".into()
                }
            );
        }
        let end = Route::parse("GET /b/{Bucket}").unwrap();
        assert!(end.render(&params(json!({"Bucket": ".."}))).is_err());
        // Inside a segment, dots are ordinary characters.
        let file = Route::parse("GET /f/{Name}.json").unwrap();
        assert_eq!(
            file.render(&params(json!({"Name": ".."}))).unwrap().path,
            "/f/...json"
        );
        assert_eq!(
            r.render(&params(json!({"Bucket": "..."}))).unwrap().path,
            "/b/.../o"
        );
    }

    #[test]
    fn missing_and_unwritable_placeholders_are_errors() {
        let r = Route::parse("GET /b/{Bucket}").unwrap();
        for p in [json!({}), json!({"Bucket": null})] {
            assert_eq!(
                r.render(&params(p)).unwrap_err().to_string(),
                "route `GET /b/{Bucket}` needs param `Bucket` for its path, and the request has none"
            );
        }
        assert_eq!(
            r.render(&params(json!({"Bucket": [1]})))
                .unwrap_err()
                .to_string(),
            "route `GET /b/{Bucket}`: param `Bucket` holds a JSON array, which cannot be written in a path"
        );
    }
}
