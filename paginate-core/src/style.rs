//! A model's pagination style, compiled (SEMANTICS §8, P1–P11): where each position value
//! comes from ([`Source`]), where it goes ([`Target`]), how the position advances
//! ([`Advance`]) and what else ends a listing. The declaration was checked by
//! `paginated-rules` before it gets here (S1); this file only turns it into what the engine
//! reads, and reads sources off a page and its response.

use http::HeaderName;
use serde_json::Value;
use url::Url;

use crate::body::ReplyMeta;
use crate::expr::Expr;
use crate::page::{SearchFailed, TakenPage};
use crate::route::Route;

/// Where one position value comes from (P10).
#[derive(Debug, Clone)]
pub(crate) struct Source {
    text: String,
    kind: SourceKind,
}

#[derive(Debug, Clone)]
enum SourceKind {
    Body(Expr),
    Header(HeaderName),
    /// The relation, lowercased (relations compare case-insensitively, RFC 8288 §2.1.1).
    Link(String),
}

/// Why a source could not be read.
#[derive(Debug)]
pub(crate) enum SourceFailed {
    /// The body expression could not be evaluated.
    Search(SearchFailed),
    /// The response's metadata could not be read: a `Link` header that does not parse, a
    /// relative target with no URL to resolve it against.
    Meta { value: String, reason: String },
}

impl Source {
    /// Compiles a checked source; `Err` carries the compiler's reason (never met after the
    /// shared checks, S1).
    pub(crate) fn compile(text: &str) -> Result<Source, String> {
        use paginated_rules::Source as Parsed;
        let kind = match Parsed::parse(text) {
            Parsed::Header(name) => SourceKind::Header(
                HeaderName::from_bytes(name.as_bytes()).map_err(|e| e.to_string())?,
            ),
            Parsed::Link(rel) => SourceKind::Link(rel.to_ascii_lowercase()),
            Parsed::Expression(source) => {
                SourceKind::Body(Expr::compile(source).map_err(|e| e.to_string())?)
            }
        };
        Ok(Source {
            text: text.to_owned(),
            kind,
        })
    }

    /// The source as declared.
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// The expression of a source read from the body; `None` for a header or a `Link`.
    pub(crate) fn expr(&self) -> Option<&Expr> {
        match &self.kind {
            SourceKind::Body(expr) => Some(expr),
            SourceKind::Header(_) | SourceKind::Link(_) => None,
        }
    }

    /// The value on `page`, whose response said `meta`; `None` when absent. A `Link` target
    /// comes back as an absolute URL string, resolved against the URL that fetched the page.
    pub(crate) fn read(
        &self,
        page: &TakenPage,
        meta: &ReplyMeta,
    ) -> Result<Option<Value>, SourceFailed> {
        match &self.kind {
            SourceKind::Body(expr) => page.search(expr).map_err(SourceFailed::Search),
            SourceKind::Header(name) => Ok(header_text(meta, name).map(Value::String)),
            SourceKind::Link(rel) => link_target(meta, rel).map(|url| url.map(Value::String)),
        }
    }
}

/// The header's value as text (several lines joined with `, `, RFC 9110 §5.3); `None` when
/// absent or empty.
fn header_text(meta: &ReplyMeta, name: &HeaderName) -> Option<String> {
    let mut values = meta.headers.get_all(name).iter().peekable();
    values.peek()?;
    let text = values
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned())
        .collect::<Vec<_>>()
        .join(", ");
    (!text.is_empty()).then_some(text)
}

/// The longest `Link` header read (P10): GitHub's and Shopify's are a few hundred bytes.
const MAX_LINK_HEADER: usize = 16 * 1024;

/// The base a `Link` target is resolved against when the transport gave no URL: a target
/// that comes back on it was relative, and cannot be followed.
const NO_BASE: &str = "paginated-no-base:/";

/// P10: the target of relation `rel` in the `Link` header, absolute.
fn link_target(meta: &ReplyMeta, rel: &str) -> Result<Option<String>, SourceFailed> {
    let link = http::header::LINK;
    let Some(text) = header_text(meta, &link) else {
        return Ok(None);
    };
    // The parser's work grows with relations times attributes: a header far beyond what any
    // API sends is refused before it is parsed.
    if text.len() > MAX_LINK_HEADER {
        return Err(SourceFailed::Meta {
            value: text.chars().take(200).collect(),
            reason: format!(
                "the `Link` header is {} bytes long; the limit is {MAX_LINK_HEADER}",
                text.len()
            ),
        });
    }
    let fallback;
    let base = match &meta.url {
        Some(url) => url,
        None => {
            fallback = Url::parse(NO_BASE).map_err(|e| SourceFailed::Meta {
                value: text.clone(),
                reason: e.to_string(),
            })?;
            &fallback
        }
    };
    let links = http_link::parse_link_header(&text, base).map_err(|e| SourceFailed::Meta {
        value: text.clone(),
        reason: format!("the `Link` header does not parse: {e}"),
    })?;
    let Some(found) = links.into_iter().find(|l| l.rel == rel) else {
        return Ok(None);
    };
    if meta.url.is_none() && found.target.scheme() == "paginated-no-base" {
        return Err(SourceFailed::Meta {
            value: text,
            reason: format!(
                "the `{rel}` link is relative and the transport did not say which URL fetched \
                 the page (answer with `Reply::with_url`)"
            ),
        });
    }
    Ok(Some(found.target.into()))
}

/// P2: `value`, a next URL from a page, as an absolute URL: resolved against the URL that
/// fetched the page when relative.
pub(crate) fn resolve_url(value: &Value, meta: &ReplyMeta) -> Result<Url, String> {
    let Value::String(text) = value else {
        return Err(format!(
            "a next URL must be a string, not {}",
            crate::token::json_type(value)
        ));
    };
    match Url::options().base_url(meta.url.as_ref()).parse(text) {
        Ok(url) => Ok(url),
        Err(url::ParseError::RelativeUrlWithoutBase) => Err(
            "it is relative and the transport did not say which URL fetched the page \
             (answer with `Reply::with_url`)"
                .to_owned(),
        ),
        Err(e) => Err(format!("it is not a URL: {e}")),
    }
}

/// Where a position value goes (P3, P11).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Target {
    /// A request parameter.
    Param(String),
    /// A request header.
    Header(HeaderName),
    /// The URL of the request (P2).
    Url,
}

/// How the position advances from one page to the next.
#[derive(Debug, Clone)]
pub(crate) enum Advance {
    /// Each input token takes its output token's value (L2, L3), as botocore does.
    Tokens,
    /// The next request goes to the URL the source gives (P2). `sized`: the position's second
    /// value is the page size, recorded in tokens (the URL's own limit would otherwise be
    /// replaced by another page size on resume, and a page-number URL would skip).
    NextUrl { source: Source, sized: bool },
    /// An item offset, by the items each page returned (P4).
    Offset,
    /// A page number, by one or to the output token's value (P5). `sized`: the position's
    /// second value is the page size, recorded in tokens.
    PageNumber { sized: bool },
}

/// What else ends a listing (P7, P8).
#[derive(Debug, Clone, Default)]
pub(crate) struct Stops {
    pub(crate) empty_page: bool,
    pub(crate) short_page: bool,
    pub(crate) total: Option<Source>,
}

/// A model's style. The botocore style (`Advance::Tokens`, every target a param, no stop rule)
/// is the default and what every botocore model has (P12).
#[derive(Debug, Clone)]
pub(crate) struct Style {
    pub(crate) advance: Advance,
    /// One per position value, paired with the model's input tokens.
    pub(crate) targets: Vec<Target>,
    pub(crate) stops: Stops,
    pub(crate) resend: Vec<String>,
    /// The first request's offset or page number (P6).
    pub(crate) first: Option<Value>,
    pub(crate) continue_route: Option<Route>,
    /// Where the page size goes (O2, P11): the limit parameter, or a request header.
    pub(crate) limit: Option<Target>,
}

impl Style {
    /// The botocore style, for `names` all request parameters.
    pub(crate) fn tokens(names: &[String]) -> Style {
        Style {
            advance: Advance::Tokens,
            targets: names.iter().map(|n| Target::Param(n.clone())).collect(),
            stops: Stops::default(),
            resend: Vec::new(),
            first: None,
            continue_route: None,
            limit: None,
        }
    }

    /// True when requests after the first are sent with only the position and the re-sent
    /// params (P2, P3, P9).
    pub(crate) fn narrows_later_requests(&self) -> bool {
        matches!(self.advance, Advance::NextUrl { .. }) || self.continue_route.is_some()
    }

    /// P4, P7: whether the rules need the primary items a page returned, as received.
    pub(crate) fn counts_received(&self) -> bool {
        matches!(self.advance, Advance::Offset | Advance::PageNumber { .. })
            || self.stops.empty_page
            || self.stops.short_page
    }

    /// P2, P5: the position's second value is the page size its requests ask for.
    pub(crate) fn records_size(&self) -> bool {
        matches!(
            self.advance,
            Advance::PageNumber { sized: true } | Advance::NextUrl { sized: true, .. }
        )
    }
}
