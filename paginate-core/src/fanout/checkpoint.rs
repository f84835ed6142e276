//! The checkpoint of a fan-out: where each of its runs stands, as one line of JSON that
//! separate workers can split between them (G7, R8).

use serde_json::{Value, json};

use crate::error::Error;

/// Where one run of a fan-out stands.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RunCheckpoint {
    /// The run has more to give; start it with this token (`None`: from the beginning).
    Resume(Option<String>),
    /// The run has given everything.
    Done,
}

impl RunCheckpoint {
    /// The starting token for this run, or `None` when it is done: what a worker that takes
    /// this run over passes to [`Pages::starting_token`](crate::nonblocking::Pages::starting_token).
    pub fn starting_token(&self) -> Option<Option<String>> {
        match self {
            RunCheckpoint::Resume(token) => Some(token.clone()),
            RunCheckpoint::Done => None,
        }
    }
}

/// One checkpoint for every run of a fan-out: run `i`'s position is entry `i`. It encodes to
/// a line of JSON, and splits into per-run checkpoints that separate workers can take over.
///
/// ```
/// use paginated::fanout::{FanCheckpoint, RunCheckpoint};
///
/// let checkpoint = FanCheckpoint::new(vec![
///     RunCheckpoint::Done,
///     RunCheckpoint::Resume(Some("eyJNYXJrZXIiOiAibTEifQ==".into())),
///     RunCheckpoint::Resume(None),
/// ]);
/// let text = checkpoint.encode();
/// assert_eq!(FanCheckpoint::decode(&text)?, checkpoint);
/// assert_eq!(checkpoint.runs()[0].starting_token(), None);
/// assert_eq!(checkpoint.unfinished().count(), 2);
/// # Ok::<(), paginated::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FanCheckpoint {
    runs: Vec<RunCheckpoint>,
}

impl FanCheckpoint {
    /// A checkpoint from per-run checkpoints, in run order.
    pub fn new(runs: Vec<RunCheckpoint>) -> FanCheckpoint {
        FanCheckpoint { runs }
    }

    /// The per-run checkpoints, in run order.
    pub fn runs(&self) -> &[RunCheckpoint] {
        &self.runs
    }

    /// The runs that are not done, with their indices and starting tokens.
    pub fn unfinished(&self) -> impl Iterator<Item = (usize, Option<String>)> + '_ {
        self.runs
            .iter()
            .enumerate()
            .filter_map(|(i, run)| run.starting_token().map(|token| (i, token)))
    }

    /// True when every run is done.
    pub fn is_done(&self) -> bool {
        self.runs.iter().all(|run| *run == RunCheckpoint::Done)
    }

    /// One line of JSON: `{"runs": [{"done": true}, {"token": "…"}, {"token": null}]}`.
    pub fn encode(&self) -> String {
        let runs: Vec<Value> = self
            .runs
            .iter()
            .map(|run| match run {
                RunCheckpoint::Done => json!({"done": true}),
                RunCheckpoint::Resume(token) => json!({"token": token}),
            })
            .collect();
        json!({ "runs": runs }).to_string()
    }

    /// Reads what [`FanCheckpoint::encode`] wrote. Anything else is
    /// [`Error::InvalidCheckpoint`].
    pub fn decode(text: &str) -> Result<FanCheckpoint, Error> {
        let bad = |reason: String| Error::InvalidCheckpoint { reason };
        let doc: Value = serde_json::from_str(text).map_err(|e| bad(format!("not JSON: {e}")))?;
        let Some(entries) = doc.get("runs").and_then(Value::as_array) else {
            return Err(bad("expected an object with a `runs` list".into()));
        };
        let runs = entries
            .iter()
            .enumerate()
            .map(|(i, entry)| match entry {
                Value::Object(map) if map.len() == 1 && map.get("done") == Some(&json!(true)) => {
                    Ok(RunCheckpoint::Done)
                }
                Value::Object(map) if map.len() == 1 => match map.get("token") {
                    Some(Value::Null) => Ok(RunCheckpoint::Resume(None)),
                    Some(Value::String(token)) => Ok(RunCheckpoint::Resume(Some(token.clone()))),
                    _ => Err(bad(format!(
                        "run {i} must be {{\"done\": true}} or {{\"token\": string or null}}"
                    ))),
                },
                _ => Err(bad(format!(
                    "run {i} must be {{\"done\": true}} or {{\"token\": string or null}}"
                ))),
            })
            .collect::<Result<_, _>>()?;
        Ok(FanCheckpoint { runs })
    }
}
