//! [`PageNumber`]: which page of a listing an error is about, counted from the listing's first
//! page when the run knows where it started, else from where it resumed.

use std::fmt;

/// The page an error is about.
///
/// A run that starts a listing from its beginning, or resumes it at a page number or at an
/// offset on a page boundary (SEMANTICS P4, P5), knows which page of the listing each page is:
/// its errors say "page 5" for the listing's fifth page, whatever page the run started at. A run
/// resumed from a cursor token cannot know how many pages came before; its errors count from
/// where it resumed, and say so: "page 4 (counted from where the run resumed)".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PageNumber {
    in_run: u64,
    /// The listing's pages before the run's first, [`UNKNOWN`] when the run cannot know
    /// (kept in 16 bytes, as every error holding a page is).
    before_run: u64,
}

/// `before_run` of a run resumed from a cursor.
const UNKNOWN: u64 = u64::MAX;

impl PageNumber {
    pub(crate) fn new(in_run: u64, before_run: Option<u64>) -> PageNumber {
        PageNumber {
            in_run,
            before_run: before_run.map_or(UNKNOWN, |b| b.min(UNKNOWN - 1)),
        }
    }

    /// The page's number in the run, from 1: the first page the run fetched is 1.
    pub fn in_run(self) -> u64 {
        self.in_run
    }

    /// The page's number in the listing, from 1, when the run knows it.
    pub fn in_listing(self) -> Option<u64> {
        (self.before_run != UNKNOWN).then(|| self.before_run.saturating_add(self.in_run))
    }

    /// The page before this one (for "pages 2 and 3").
    pub(crate) fn previous(self) -> PageNumber {
        PageNumber {
            in_run: self.in_run.saturating_sub(1),
            ..self
        }
    }
}

impl fmt::Display for PageNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.in_listing() {
            Some(n) => write!(f, "{n}"),
            None => write!(f, "{} (counted from where the run resumed)", self.in_run),
        }
    }
}

/// Page `n` of a run that started at the listing's first page: page `n` of the listing.
impl From<u64> for PageNumber {
    fn from(in_run: u64) -> PageNumber {
        PageNumber::new(in_run, Some(0))
    }
}

impl PartialEq<u64> for PageNumber {
    /// Equal to the page's number in the listing, or when that is unknown, in the run.
    fn eq(&self, other: &u64) -> bool {
        self.in_listing().unwrap_or(self.in_run) == *other
    }
}
