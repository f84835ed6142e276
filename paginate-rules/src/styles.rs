//! The pieces of the pagination-style keys (SEMANTICS P1–P11) that both the checker and the
//! engine read, parsed in one place: where a position value comes from ([`Source`]), where it
//! goes ([`Target`]), what else ends a listing ([`Stop`]), and the whole-page result key `@`.

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
