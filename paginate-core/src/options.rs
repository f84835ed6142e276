//! The options of a run (boto3's `PaginationConfig`, SEMANTICS §2), the duplicate-token
//! policy (L6), and the progress hook's report (R8).

use std::fmt;

/// Where a run stands when a page arrives, as given to an
/// [`on_page`](crate::blocking::Pages::on_page) hook.
///
/// The hook runs when a page *arrives*, before the consumer has seen any of its items. Its
/// [`resume_token`](Progress::resume_token) is therefore the token that fetches this page
/// again (R8): storing it as a checkpoint loses nothing, and a run resumed from it hands out
/// this page's items again (at-least-once). For exactly-once, store the iterator's own
/// `resume_token()` after you have processed each item or page, together with what you
/// produced from it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Pages received so far, this one included (from 1).
    pub page: u64,
    /// Primary-key items received so far, this page's included.
    pub items: u64,
    /// A checkpoint as of this moment: the token that fetches this page again (for the first
    /// page of a resumed run, the starting token, offset included). Always set, since the
    /// page just arrived has not been handed out yet.
    pub resume_token: Option<String>,
    /// True when no page will follow this one: the data ended, `max_items` was reached, or
    /// the run stopped on a repeated token.
    pub last: bool,
}

pub(crate) type HookFn = Box<dyn FnMut(&Progress) + Send>;

/// A progress hook; boxed so that a run stays one type whatever the closure, and in a `Mutex`
/// (only ever reached through `get_mut`, never locked) so that a run is `Sync` without
/// asking the closure to be.
pub(crate) struct ProgressHook {
    hook: std::sync::Mutex<HookFn>,
}

impl ProgressHook {
    pub(crate) fn new(hook: HookFn) -> ProgressHook {
        ProgressHook {
            hook: std::sync::Mutex::new(hook),
        }
    }

    /// Calls the hook for page `page`, `items` primary items having been taken so far.
    pub(crate) fn report(
        &mut self,
        page: u64,
        items: u64,
        resume_token: Option<String>,
        last: bool,
    ) {
        let progress = Progress {
            page,
            items,
            resume_token,
            last,
        };
        // Never locked, so never poisoned; `get_mut` needs no lock.
        if let Ok(hook) = self.hook.get_mut() {
            hook(&progress);
        }
    }
}

impl fmt::Debug for ProgressHook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProgressHook").finish_non_exhaustive()
    }
}

/// What to do when the service repeats a next token (L6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum DuplicateTokenPolicy {
    /// Yield the page, then fail with [`Error::DuplicateToken`](crate::Error::DuplicateToken) or [`Error::TokenCycle`](crate::Error::TokenCycle).
    /// botocore's behaviour, and the default.
    #[default]
    Error,
    /// Yield the page, then end quietly, as the AWS SDKs for Rust, Go and JavaScript do.
    Stop,
    /// Keep going: for tail-style APIs (log streams) that legitimately repeat a token.
    /// Such a run only ends when the service stops sending tokens or the caller stops.
    Allow,
}

/// boto3's `PaginationConfig`: the options of one run (SEMANTICS §2).
///
/// ```
/// use paginated::{DuplicateTokenPolicy, PaginationConfig};
///
/// let config = PaginationConfig::default()
///     .max_items(500)
///     .page_size(100)
///     .duplicate_tokens(DuplicateTokenPolicy::Stop);
/// assert_eq!(config.max_items, Some(500));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct PaginationConfig {
    /// The most primary-key items to return across all pages (O1).
    pub max_items: Option<u64>,
    /// The page size, written into the model's `limit_key` on every request (O2).
    pub page_size: Option<u64>,
    /// A resume token from an earlier run (O3). `None`, or an empty string, starts from the
    /// beginning: the token values set in the request itself are then sent (L1).
    pub starting_token: Option<String>,
    /// What to do with repeated next tokens (L6).
    pub duplicate_tokens: DuplicateTokenPolicy,
    /// The most pages one run may fetch; reaching it with more to come ends the run with
    /// [`Error::PageLimit`](crate::Error::PageLimit) (and a resume token that continues from there). A bound for runs
    /// against a server that might never stop sending new tokens; `None`, the default, is
    /// unbounded, as botocore is.
    pub max_pages: Option<u64>,
}

impl PaginationConfig {
    /// Sets [`PaginationConfig::max_items`].
    #[must_use]
    pub fn max_items(mut self, max_items: u64) -> Self {
        self.max_items = Some(max_items);
        self
    }

    /// Sets [`PaginationConfig::page_size`].
    #[must_use]
    pub fn page_size(mut self, page_size: u64) -> Self {
        self.page_size = Some(page_size);
        self
    }

    /// Sets [`PaginationConfig::starting_token`]: a token, or `None` to start from the
    /// beginning. An empty token counts as none (O3).
    #[must_use]
    pub fn starting_token(mut self, token: Option<String>) -> Self {
        self.starting_token = token;
        self
    }

    /// Sets [`PaginationConfig::max_pages`].
    #[must_use]
    pub fn max_pages(mut self, max_pages: u64) -> Self {
        self.max_pages = Some(max_pages);
        self
    }

    /// Sets [`PaginationConfig::duplicate_tokens`].
    #[must_use]
    pub fn duplicate_tokens(mut self, policy: DuplicateTokenPolicy) -> Self {
        self.duplicate_tokens = policy;
        self
    }
}
