//! The pieces of the pagination-style keys (SEMANTICS P1–P11) that both the checker and the
//! engine read, parsed in one place: where a position value comes from ([`Source`]), where it
//! goes ([`Target`]), what else ends a listing ([`Stop`]), and the whole-page result key `@`;
//! and the checks of those pieces that [`crate::check`] runs: header names, `Link` relations,
//! misspelt or misused `header`/`link` calls, and the `first` value's JSON.

use crate::expression::expression_problems;
use crate::functions::function_names;
use crate::problem::Reason;
use crate::suggest::did_you_mean;

/// The result key that says the page itself is the result: a bare JSON array (P1).
pub const WHOLE_PAGE: &str = "@";

/// Where a position value comes from (P10): a response header, a `Link` relation, or a
/// JMESPath expression on the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source<'a> {
    /// `header('Name')`: the response header's value, as a string.
    Header(&'a str),
    /// `link('rel')`: the target of the `Link` header's relation `rel`.
    Link(&'a str),
    /// Any other text: a JMESPath expression evaluated on the body.
    Expression(&'a str),
}

/// The functions a source may be written with, besides JMESPath's: what a did-you-mean on an
/// unknown function in a source offers too.
pub const SOURCE_FUNCTIONS: [&str; 2] = ["header", "link"];

impl<'a> Source<'a> {
    /// Reads `text` as a source: `header('…')` and `link('…')` as the whole text, with one
    /// raw-string literal argument, are response metadata; anything else is an expression.
    pub fn parse(text: &'a str) -> Source<'a> {
        match call(text) {
            Some(("header", arg)) => Source::Header(arg),
            Some(("link", arg)) => Source::Link(arg),
            _ => Source::Expression(text),
        }
    }
}

/// Where an input token's value goes (P11): a request parameter, or a request header when the
/// entry is written `header('Name')`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    /// A request parameter of this name.
    Param(&'a str),
    /// A request header of this name.
    Header(&'a str),
}

impl<'a> Target<'a> {
    /// Reads an `input_token` entry.
    pub fn parse(entry: &'a str) -> Target<'a> {
        match call(entry) {
            Some(("header", name)) => Target::Header(name),
            _ => Target::Param(entry),
        }
    }
}

/// A stop rule (P7): what else ends a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Stop {
    /// `empty_page`: a page whose primary result has no item.
    EmptyPage,
    /// `short_page`: a page with fewer items than the page size its request asked for.
    ShortPage,
}

impl Stop {
    /// Every stop rule's name, for a did-you-mean.
    pub const NAMES: [&'static str; 2] = ["empty_page", "short_page"];

    /// The rule named `name`, if there is one.
    pub fn parse(name: &str) -> Option<Stop> {
        match name {
            "empty_page" => Some(Stop::EmptyPage),
            "short_page" => Some(Stop::ShortPage),
            _ => None,
        }
    }

    /// The rule's name as written.
    pub fn as_str(self) -> &'static str {
        match self {
            Stop::EmptyPage => "empty_page",
            Stop::ShortPage => "short_page",
        }
    }
}

/// `name('argument')` as the whole text (spaces allowed around the parts), the argument a
/// raw-string literal without quotes or escapes in it; `None` for anything else.
pub fn call(text: &str) -> Option<(&str, &str)> {
    let text = text.trim();
    let open = text.find('(')?;
    let name = text[..open].trim_end();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let inner = text[open + 1..].strip_suffix(')')?.trim();
    let arg = inner.strip_prefix('\'')?.strip_suffix('\'')?;
    (!arg.contains(['\'', '\\'])).then_some((name, arg))
}

/// The characters of an HTTP header name besides ASCII letters and digits (`tchar`, RFC 9110
/// section 5.6.2).
pub const HEADER_NAME_PUNCTUATION: &str = "!#$%&'*+-.^_`|~";

/// The first character of `name` that an HTTP header name cannot hold, if any (an empty name
/// is the caller's to refuse).
pub fn bad_header_char(name: &str) -> Option<char> {
    name.chars()
        .find(|c| !(c.is_ascii_alphanumeric() || HEADER_NAME_PUNCTUATION.contains(*c)))
}

/// Every reason to refuse `text` as a source (P10): an empty or invalid header name, an empty
/// relation, or, for an expression, what [`expression_problems`] finds, with `header` and
/// `link` among the names an unknown function may have meant. `header`/`link` written with an
/// argument that is not one raw string, or inside a larger expression, have reasons of their
/// own.
pub(crate) fn source_reasons(text: &str) -> Vec<Reason> {
    match Source::parse(text) {
        Source::Header(name) => header_reasons(name),
        Source::Link(rel) if rel.trim().is_empty() => {
            vec![Reason::EmptyArgument { function: "link" }]
        }
        // One relation: a `Link` header's relations are split on spaces, so `'next prev'`
        // and `' next '` would never match.
        Source::Link(rel) if rel.contains(char::is_whitespace) => vec![Reason::BadSourceCall {
            function: "link",
            suggestion: format!(
                "link('{}')",
                rel.split_whitespace().next().unwrap_or("next")
            ),
        }],
        Source::Link(_) => Vec::new(),
        Source::Expression(text) => {
            if let Some((function, suggestion)) = misused_call(text) {
                return vec![Reason::BadSourceCall {
                    function,
                    suggestion,
                }];
            }
            expression_problems(text)
                .into_iter()
                .map(|reason| match reason {
                    Reason::UnknownFunction { name, offset, .. } => {
                        match SOURCE_FUNCTIONS.iter().find(|f| **f == name) {
                            Some(function) => Reason::SourceNotWhole { function, offset },
                            None => Reason::UnknownFunction {
                                did_you_mean: did_you_mean(
                                    &name,
                                    function_names().chain(SOURCE_FUNCTIONS),
                                ),
                                name,
                                offset,
                            },
                        }
                    }
                    other => other,
                })
                .collect()
        }
    }
}

/// Headers a declaration may not send (P11): framing, routing, connection handling and
/// credentials, which a position value must not control.
const FORBIDDEN_HEADERS: [&str; 13] = [
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "upgrade",
    "te",
    "trailer",
    "expect",
    "proxy-authorization",
    "proxy-connection",
    "authorization",
    "cookie",
];

/// Every reason to refuse `entry` as an `input_token` entry (P11), besides its being empty or
/// listed twice: a header target's name, `header` written with a bad argument, or a call of a
/// function close to `header`.
pub(crate) fn target_reasons(entry: &str) -> Vec<Reason> {
    match Target::parse(entry) {
        Target::Header(name)
            if FORBIDDEN_HEADERS
                .iter()
                .any(|f| f.eq_ignore_ascii_case(name)) =>
        {
            vec![Reason::ForbiddenHeader {
                name: name.to_owned(),
            }]
        }
        Target::Header(name) => header_reasons(name),
        Target::Param(entry) => {
            if let Some((function, suggestion)) = misused_call(entry) {
                return vec![Reason::BadSourceCall {
                    function,
                    suggestion,
                }];
            }
            match call_name(entry) {
                Some(name) => match did_you_mean(name, ["header"]) {
                    Some(known) => vec![Reason::UnknownFunction {
                        name: name.to_owned(),
                        did_you_mean: Some(known),
                        offset: entry.len() - entry.trim_start().len(),
                    }],
                    None => Vec::new(),
                },
                None => Vec::new(),
            }
        }
    }
}

fn header_reasons(name: &str) -> Vec<Reason> {
    if name.is_empty() {
        return vec![Reason::EmptyArgument { function: "header" }];
    }
    match bad_header_char(name) {
        Some(character) => vec![Reason::BadHeaderName {
            name: name.to_owned(),
            character,
        }],
        None => Vec::new(),
    }
}

/// `header(…)` or `link(…)` as the whole text, but not with one raw-string argument (which
/// [`Source::parse`] would have read): the function, and the call written as it should be,
/// with the argument's quotes or backticks replaced by single quotes.
fn misused_call(text: &str) -> Option<(&'static str, String)> {
    let name = call_name(text)?;
    let function = *SOURCE_FUNCTIONS.iter().find(|f| **f == name)?;
    let inner = text.trim().strip_suffix(')')?;
    let inner = &inner[inner.find('(')? + 1..];
    let mut depth = 0usize;
    for c in inner.chars() {
        match c {
            '(' => depth += 1,
            // The call's `(` closes before the end: a larger expression.
            ')' => depth = depth.checked_sub(1)?,
            _ => {}
        }
    }
    let arg = inner.trim();
    let arg = arg
        .strip_prefix('`')
        .and_then(|a| a.strip_suffix('`'))
        .unwrap_or(arg)
        .trim();
    let arg = ['"', '\'']
        .iter()
        .find_map(|q| arg.strip_prefix(*q).and_then(|a| a.strip_suffix(*q)))
        .unwrap_or(arg);
    let plain = !arg.is_empty() && !arg.contains(['\'', '"', '\\', '`', '(', ')', ',']);
    let arg = match (plain, function) {
        (true, _) => arg,
        (false, "header") => "Name",
        (false, _) => "rel",
    };
    Some((function, format!("{function}('{arg}')")))
}

/// The name of a call at the start of `text`: identifier characters, then (after spaces) `(`.
fn call_name(text: &str) -> Option<&str> {
    let text = text.trim_start();
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    let name = &text[..end];
    (!name.is_empty() && text[end..].trim_start().starts_with('(')).then_some(name)
}

/// Why `text` cannot be the `first` value (P6): not JSON, or JSON that is not a whole
/// number.
pub(crate) fn first_reason(text: &str) -> Option<Reason> {
    use jmespath::Variable;
    let found = match Variable::from_json(text) {
        Err(message) => return Some(Reason::NotJson { message }),
        Ok(Variable::Number(n)) if n.is_u64() => return None,
        Ok(Variable::Number(_)) => "a negative or fractional number",
        Ok(Variable::String(_)) => "a string",
        Ok(Variable::Object(_)) => "an object",
        Ok(Variable::Array(_)) => "an array",
        Ok(Variable::Bool(_)) => "a boolean",
        Ok(Variable::Null | Variable::Expref(_)) => "null",
    };
    Some(Reason::NotANumberOrString { found })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_targets_and_stops_parse() {
        assert_eq!(Source::parse("link('next')"), Source::Link("next"));
        assert_eq!(
            Source::parse(" header( 'X-Next-Page' ) "),
            Source::Header("X-Next-Page")
        );
        assert_eq!(Source::parse("next"), Source::Expression("next"));
        assert_eq!(
            Source::parse("links('next')"),
            Source::Expression("links('next')")
        );
        assert_eq!(
            Source::parse("link(`next`)"),
            Source::Expression("link(`next`)")
        );
        assert_eq!(Target::parse("header('Range')"), Target::Header("Range"));
        assert_eq!(Target::parse("cursor"), Target::Param("cursor"));
        assert_eq!(Stop::parse("short_page"), Some(Stop::ShortPage));
        assert_eq!(Stop::parse("short"), None);
        assert_eq!(call("a(b)"), None);
        assert_eq!(call("header('a'b')"), None);
    }
}
