//! What a test covered, counted for the line `.ci/run` sums ([`Tally`]), and the reading of
//! resume tokens (botocore's format: base64 of JSON) the counts and comparisons need.

use base64::Engine as _;
use serde_json::Value;

/// The decoded JSON of a resume token (botocore's format: base64 of JSON).
pub(crate) fn decode_token(token: &str) -> Value {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(token)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// Whether a token's JSON holds `\uXXXX` escapes (Python's `json.dumps` writes every
/// character outside ASCII so; paginate must write the same bytes).
pub(crate) fn escapes_non_ascii(token: &str) -> bool {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(token)
        .unwrap();
    String::from_utf8(bytes).unwrap().contains("\\u")
}

pub(crate) fn has_offset(token: &str) -> bool {
    decode_token(token).get("boto_truncate_amount").is_some()
}

/// What one comparison covered, summed over a test.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Tally {
    /// Items (of every result key, in pages, full results and searches) found equal.
    pub(crate) items: usize,
    /// Pages whose boundaries and contents were found equal.
    pub(crate) pages: usize,
    /// Runs compared (each is three runs on each side: pages, full result, search).
    pub(crate) runs: usize,
    /// Resume tokens found byte-identical, or made by one side and resumed by the other.
    pub(crate) tokens: usize,
    /// Secondary results (S3 `CommonPrefixes`, `DeleteMarkers`) botocore dropped from the
    /// first page of a run resumed at a page boundary, and paginate returned (botocore#3119).
    pub(crate) lost_by_botocore: usize,
    /// Of `tokens`, those whose JSON escapes characters outside ASCII (`\u00e9`).
    pub(crate) escaped_tokens: usize,
    /// Replies the client gave the comparison's runs as a body, for the run to read itself
    /// (`Content::Body`: the AWS JSON protocols' bodies, S3's decoded pages written out as JSON
    /// text).
    pub(crate) bodies: u64,
    /// Replies the client gave the comparison's runs as a `serde_json::Value`
    /// (`Content::Value`); the tests require none.
    pub(crate) values: u64,
}

impl Tally {
    pub(crate) fn add(&mut self, other: Tally) {
        self.items += other.items;
        self.pages += other.pages;
        self.runs += other.runs;
        self.tokens += other.tokens;
        self.lost_by_botocore += other.lost_by_botocore;
        self.escaped_tokens += other.escaped_tokens;
        self.bodies += other.bodies;
        self.values += other.values;
    }

    /// Prints the line `.ci/run` sums: `peers: <test>: compared N items …`.
    pub(crate) fn print(&self, test: &str, detail: &str) {
        println!(
            "peers: {test}: compared {} items against boto3 ({} pages, {} runs, {} resume tokens \
             of which {} with \\u escapes; {} secondary results botocore dropped on resume and \
             paginate kept; pages read by paginate: {} from response bodies, {} as decoded \
             values){}{detail}",
            self.items,
            self.pages,
            self.runs,
            self.tokens,
            self.escaped_tokens,
            self.lost_by_botocore,
            self.bodies,
            self.values,
            if detail.is_empty() { "" } else { "; " },
        );
    }

    /// Asserts that every page paginate's runs got was a response body, which the run read
    /// itself (G8): AWS JSON as it came, the path users of the ready HTTP transports take, or
    /// S3's XML decoded by the client and written out as JSON text. There must be at least as
    /// many as the pages compared.
    pub(crate) fn assert_all_bodies(&self, test: &str) {
        assert_eq!(
            self.values, 0,
            "{test}: {} pages reached paginate as decoded values, not bodies",
            self.values
        );
        assert!(
            self.pages > 0 && self.bodies >= self.pages as u64,
            "{test}: {} bodies read for {} pages compared",
            self.bodies,
            self.pages
        );
    }
}
