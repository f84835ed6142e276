//! Which URLs a transport may follow (SEMANTICS P2): a next URL comes from a page or from a
//! resume token, and a transport that carries credentials must send them only to the API it
//! was configured for. [`Origin`] is that check; the ready HTTP transports run every
//! [`PageRequest::url`](crate::PageRequest::url) through it before sending.

use std::fmt;

use url::Url;

/// The scheme, host, port and base path a transport sends to, and the check that a URL it is
/// asked to follow is under them (SEMANTICS P2).
///
/// A URL is admitted when it is `http` or `https`, has the base URL's scheme, host and port
/// (a port left out counts as the scheme's default, so `https://h:443` is `https://h`), has no
/// user name or password, and its path is the base path or under it on a segment boundary:
/// under `https://api.example.com/v1`, `/v1` and `/v1/orders` are admitted, `/v1orders` and
/// `/admin` are not. URLs are compared as [`Url`] parses them (WHATWG): hosts are lower-cased
/// and IDNA-encoded, IP addresses normalised, `.` and `..` segments (also written `%2e%2e`, or
/// with backslashes) resolved before the check, so `/v1/../admin` is `/admin` and refused. A
/// dot segment hidden behind an encoded slash (`/v1/x%2F..%2F..%2Fadmin`, which some servers
/// and proxies decode) is refused too. The URL checked is the URL sent: nothing re-parses it
/// in between.
///
/// ```
/// use paginated::Origin;
/// use url::Url;
///
/// let origin = Origin::new(Url::parse("https://api.example.com/v1")?);
/// assert!(origin.check(&Url::parse("https://API.example.com:443/v1/orders?page=2")?).is_ok());
/// for foreign in [
///     "https://api.example.com.evil.com/v1/orders",
///     "https://api.example.com@evil.com/v1/orders",
///     "http://api.example.com/v1/orders",
///     "https://api.example.com/v1/../admin",
///     "https://api.example.com/v1orders",
/// ] {
///     assert!(origin.check(&Url::parse(foreign)?).is_err(), "{foreign}");
/// }
///
/// let refused = origin.check(&Url::parse("https://evil.example/v1/orders")?).unwrap_err();
/// assert_eq!(
///     refused.to_string(),
///     "refused to follow https://evil.example/v1/orders: its host `evil.example` is not \
///      `api.example.com`; the transport only follows URLs under https://api.example.com/v1; \
///      if the server writes its links behind a proxy (`http://` behind TLS, an internal host \
///      name), opt in with `rebase_urls(true)` on the transport (`Origin::rebasing(true)`)"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// A server behind a TLS-terminating proxy often writes its links with the scheme, host or
/// port it sees (Django REST framework's `next` says `http://` behind an `https://` proxy).
/// [`Origin::rebasing`] opts in to moving such a URL onto the base's scheme, host and port,
/// path and query kept, when its path is under the base path; [`Origin::admit`] does the check
/// or that move:
///
/// ```
/// use paginated::Origin;
/// use url::Url;
///
/// let origin = Origin::new(Url::parse("https://api.example.com/v1")?).rebasing(true);
/// let next = Url::parse("http://10.0.0.7:8000/v1/orders/?cursor=cD0x")?;
/// assert_eq!(origin.admit(&next)?.as_str(), "https://api.example.com/v1/orders/?cursor=cD0x");
/// // Never outside the base path, never with credentials in it.
/// assert!(origin.admit(&Url::parse("http://10.0.0.7:8000/admin")?).is_err());
/// assert!(origin.admit(&Url::parse("http://me:pw@10.0.0.7/v1/orders")?).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The base URL, without user info, query or fragment.
    base: Url,
    /// The base path without its trailing `/`: empty for `/`.
    path: String,
    /// Whether [`Origin::admit`] moves URLs of another scheme, host or port onto the base.
    rebase: bool,
}

impl Origin {
    /// The origin of a transport whose base URL is `base` (`https://api.example.com/v1`): its
    /// scheme, host, port and path. Its user info, query and fragment play no part. A base
    /// that is not `http` or `https` admits no URL.
    pub fn new(base: Url) -> Origin {
        let mut base = base;
        base.set_query(None);
        base.set_fragment(None);
        // Fails only for URLs that cannot have user info, which then have none.
        let _ = base.set_username("");
        let _ = base.set_password(None);
        let path = base.path().trim_end_matches('/').to_owned();
        Origin {
            base,
            path,
            rebase: false,
        }
    }

    /// The same origin with rebasing on or off (off by default): when on,
    /// [`admit`](Origin::admit) moves a URL whose scheme, host or port differ from the base's
    /// onto the base's, path and query kept, if its path is under the base path. For servers
    /// that write their links as they see themselves behind a proxy (`http://` behind TLS, an
    /// internal host name or port).
    #[must_use]
    pub fn rebasing(self, on: bool) -> Origin {
        Origin { rebase: on, ..self }
    }

    /// Whether [`admit`](Origin::admit) rebases.
    pub fn is_rebasing(&self) -> bool {
        self.rebase
    }

    /// The base URL (without user info, query or fragment).
    pub fn base(&self) -> &Url {
        &self.base
    }

    /// `Ok` when `url` is on this origin as it is: scheme, host and port of the base, no user
    /// info, a path under the base path. Never rebases, whatever [`rebasing`](Origin::rebasing)
    /// says.
    ///
    /// ```
    /// use paginated::{Origin, Refusal};
    /// use url::Url;
    ///
    /// let origin = Origin::new(Url::parse("http://[::1]:8080/api/")?);
    /// assert!(origin.check(&Url::parse("http://[0:0::1]:8080/api")?).is_ok());
    /// let refused = origin.check(&Url::parse("http://[::1]:8080/apix")?).unwrap_err();
    /// assert_eq!(refused.refusal(), &Refusal::OutsidePath);
    /// # Ok::<(), url::ParseError>(())
    /// ```
    pub fn check(&self, url: &Url) -> Result<(), ForeignUrl> {
        self.refusal(url, false)
            .map_or(Ok(()), |refusal| Err(self.foreign(url, refusal)))
    }

    /// The URL to send for `url`: `url` itself when [`check`](Origin::check) admits it; with
    /// [`rebasing`](Origin::rebasing) on, a URL that differs from the base only in scheme,
    /// host or port, moved onto the base's (path and query kept); otherwise the refusal.
    ///
    /// ```
    /// use paginated::Origin;
    /// use url::Url;
    ///
    /// let strict = Origin::new(Url::parse("https://api.example.com")?);
    /// let next = Url::parse("http://api.example.com/orders?page=2")?;
    /// assert!(strict.admit(&next).is_err());
    /// let admitted = strict.rebasing(true).admit(&next)?;
    /// assert_eq!(admitted.as_str(), "https://api.example.com/orders?page=2");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn admit(&self, url: &Url) -> Result<Url, ForeignUrl> {
        match self.refusal(url, self.rebase) {
            Some(refusal) => Err(self.foreign(url, refusal)),
            None if self.same_place(url).is_none() => Ok(url.clone()),
            None => {
                let moved = self.rebase_onto(url);
                // The move is checked like any URL: what is sent is what was checked.
                match self.refusal(&moved, false) {
                    None => Ok(moved),
                    Some(refusal) => Err(self.foreign(url, refusal)),
                }
            }
        }
    }

    /// Why `url` is refused, or `None`; with `rebase`, a URL elsewhere whose other parts are
    /// fine is not refused (and one whose path is outside is refused for that).
    fn refusal(&self, url: &Url, rebase: bool) -> Option<Refusal> {
        if !is_http(url.scheme()) || !is_http(self.base.scheme()) {
            return Some(Refusal::NotHttp);
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Some(Refusal::Userinfo);
        }
        // Rebasing takes care of the place; the path must be under the base either way.
        if let Some(refusal) = self.same_place(url)
            && !rebase
        {
            return Some(refusal);
        }
        if !under_path(url.path(), &self.path) {
            return Some(Refusal::OutsidePath);
        }
        if hides_dot_segment(url) {
            return Some(Refusal::HiddenDotSegment);
        }
        None
    }

    /// `None` when `url` has the base's scheme, host and port; else which differ.
    fn same_place(&self, url: &Url) -> Option<Refusal> {
        let scheme = url.scheme() != self.base.scheme();
        let host = url.host() != self.base.host();
        let port = url.port_or_known_default() != self.base.port_or_known_default();
        (scheme || host || port).then_some(Refusal::OtherOrigin { scheme, host, port })
    }

    /// `url` on the base's scheme, host and port.
    fn rebase_onto(&self, url: &Url) -> Url {
        let mut moved = url.clone();
        // Between http and https, and onto a host and port the base has: these cannot fail
        // for the http(s) URLs that reach here; a failure leaves a part that the check after
        // the move refuses.
        let _ = moved.set_scheme(self.base.scheme());
        let _ = moved.set_host(self.base.host_str());
        let _ = moved.set_port(self.base.port());
        moved
    }

    fn foreign(&self, url: &Url, refusal: Refusal) -> ForeignUrl {
        // Rebasing would admit it: only the place differs.
        let rebasable =
            matches!(refusal, Refusal::OtherOrigin { .. }) && self.refusal(url, true).is_none();
        ForeignUrl(Box::new(Foreign {
            url: url.clone(),
            origin: self.clone(),
            refusal,
            rebasable,
        }))
    }
}

/// `https://api.example.com/v1`: the scheme, host, port and base path (without the trailing
/// `/`).
impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let origin = self.base.origin();
        if origin.is_tuple() {
            write!(f, "{}{}", origin.ascii_serialization(), self.path)
        } else {
            write!(f, "{}", self.base)
        }
    }
}

fn is_http(scheme: &str) -> bool {
    scheme == "http" || scheme == "https"
}

/// `path` is `base` or under it on a segment boundary (`base` without its trailing `/`).
fn under_path(path: &str, base: &str) -> bool {
    match path.strip_prefix(base) {
        Some(rest) => rest.is_empty() || rest.starts_with('/'),
        None => false,
    }
}

/// A segment that decodes to `.` or `..` once its encoded slashes (`%2F`, `%5C`) are read as
/// separators: `x%2F..%2Fadmin`. `Url` resolves plain and `%2e` dot segments itself; these it
/// leaves, and a server or proxy that decodes before routing would climb out of the base path.
fn hides_dot_segment(url: &Url) -> bool {
    url.path_segments().is_some_and(|mut segments| {
        segments.any(|segment| {
            let decoded: Vec<u8> = percent_encoding::percent_decode_str(segment).collect();
            // Servlet containers (Tomcat, Jetty) also read `..;param` as `..`: a path
            // parameter after a dot segment hides it too.
            decoded.split(|b| *b == b'/' || *b == b'\\').any(|piece| {
                let before_params = piece.split(|b| *b == b';').next().unwrap_or_default();
                before_params == b"." || before_params == b".."
            })
        })
    })
}

/// A URL a transport was asked to follow that is not on its [`Origin`]. Nothing was sent to
/// it. The message names the URL (its user name and password masked), the origin, what
/// differs, and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
#[error("{}", self.describe())]
pub struct ForeignUrl(Box<Foreign>);

/// A [`ForeignUrl`]'s parts, boxed: errors stay small.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Foreign {
    url: Url,
    origin: Origin,
    refusal: Refusal,
    rebasable: bool,
}

/// What keeps a [`ForeignUrl`] off its origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// The URL (or the base) is not `http` or `https`.
    NotHttp,
    /// The URL has a user name or a password.
    Userinfo,
    /// The URL's scheme, host or port (`true` for each that differs) are not the base's.
    OtherOrigin {
        /// The scheme differs.
        scheme: bool,
        /// The host differs.
        host: bool,
        /// The port differs (ports left out count as the scheme's default).
        port: bool,
    },
    /// The URL's path is not the base path or under it.
    OutsidePath,
    /// A path segment hides `.` or `..` behind an encoded slash (`x%2F..%2Fadmin`) or a path
    /// parameter (`..;/admin`, which servlet containers read as `..`).
    HiddenDotSegment,
}

impl ForeignUrl {
    /// The URL that was refused, as given.
    pub fn url(&self) -> &Url {
        &self.0.url
    }

    /// The origin that refused it.
    pub fn origin(&self) -> &Origin {
        &self.0.origin
    }

    /// What differs.
    pub fn refusal(&self) -> &Refusal {
        &self.0.refusal
    }

    /// True when [`Origin::rebasing`] (`rebase_urls(true)` on a ready transport) would admit
    /// the URL: only its scheme, host or port differ.
    pub fn is_rebasable(&self) -> bool {
        self.0.rebasable
    }

    fn describe(&self) -> String {
        let this = &self.0;
        let base = &this.origin.base;
        let url = &this.url;
        let what = match this.refusal {
            Refusal::NotHttp if !is_http(base.scheme()) => format!(
                "the transport's base URL is `{}`, not http or https",
                base.scheme()
            ),
            Refusal::NotHttp => format!("its scheme `{}` is not http or https", url.scheme()),
            Refusal::Userinfo => "it carries a user name or password".to_owned(),
            Refusal::OtherOrigin { scheme, host, port } => {
                let mut parts = Vec::new();
                if scheme {
                    parts.push(format!(
                        "its scheme `{}` is not `{}`",
                        url.scheme(),
                        base.scheme()
                    ));
                }
                if host {
                    parts.push(format!(
                        "its host `{}` is not `{}`",
                        url.host().map_or_else(String::new, |h| h.to_string()),
                        base.host().map_or_else(String::new, |h| h.to_string())
                    ));
                }
                if port {
                    let shown =
                        |p: Option<u16>| p.map_or_else(|| "none".to_owned(), |p| p.to_string());
                    parts.push(format!(
                        "its port {} is not {}",
                        shown(url.port_or_known_default()),
                        shown(base.port_or_known_default())
                    ));
                }
                parts.join(", ")
            }
            Refusal::OutsidePath => format!(
                "its path `{}` is not under `{}`",
                url.path(),
                if this.origin.path.is_empty() {
                    "/"
                } else {
                    &this.origin.path
                }
            ),
            Refusal::HiddenDotSegment => format!(
                "its path `{}` hides a `.` or `..` segment behind an encoded slash or a path parameter",
                url.path()
            ),
        };
        let hint = match this.refusal {
            _ if this.rebasable && this.origin.rebase => "",
            _ if this.rebasable => {
                "; if the server writes its links behind a proxy (`http://` behind TLS, an \
                 internal host name), opt in with `rebase_urls(true)` on the transport \
                 (`Origin::rebasing(true)`)"
            }
            Refusal::OtherOrigin { .. } | Refusal::OutsidePath => {
                "; give the transport a base URL that covers it if the API really links there"
            }
            _ => "",
        };
        format!(
            "refused to follow {}: {what}; the transport only follows URLs under {}{hint}",
            masked(url),
            this.origin
        )
    }
}

/// `url` with its user name and password masked, for a message.
fn masked(url: &Url) -> Url {
    let mut shown = url.clone();
    if !shown.username().is_empty() {
        let _ = shown.set_username("***");
    }
    if shown.password().is_some() {
        let _ = shown.set_password(Some("***"));
    }
    shown
}

#[cfg(test)]
mod tests;
