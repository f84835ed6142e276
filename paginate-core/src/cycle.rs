//! Cycle detection for next tokens (L6) in bounded memory: an exact set for the first
//! tokens of a run, then Brent's algorithm, over fingerprints that follow Python's equality.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};

use serde_json::Value;

/// Remembers the next tokens of a run in bounded memory. The first `EXACT` tokens are kept
/// (as fingerprints), so a cycle among them is caught the moment it closes; after that Brent's
/// algorithm watches the sequence in constant memory, catching a longer cycle within about
/// twice its length. Streaming a long listing therefore stays flat in memory.
#[derive(Debug, Default)]
pub(crate) struct CycleGuard {
    exact: HashSet<u64>,
    /// Brent's "tortoise": the token at the last power-of-two checkpoint.
    checkpoint: Option<u64>,
    power: u64,
    since: u64,
}

impl CycleGuard {
    const EXACT: usize = 4096;

    /// Records `token`; true if it was seen before.
    pub(crate) fn repeats(&mut self, token: u64) -> bool {
        if self.exact.contains(&token) || self.checkpoint == Some(token) {
            return true;
        }
        if self.exact.len() < Self::EXACT {
            self.exact.insert(token);
            return false;
        }
        self.since += 1;
        if self.since >= self.power {
            self.checkpoint = Some(token);
            self.power = (self.power * 2).max(1);
            self.since = 0;
        }
        false
    }
}

/// A hash of a token, equal for tokens Python would call equal (objects in any key order,
/// `1` and `1.0`). Only used to detect cycles; 8 bytes per page.
pub(crate) fn fingerprint(values: &[Option<Value>]) -> u64 {
    let mut h = DefaultHasher::new();
    for v in values {
        match v {
            None => 0u8.hash(&mut h),
            Some(v) => {
                1u8.hash(&mut h);
                hash_value(v).hash(&mut h);
            }
        }
    }
    h.finish()
}

fn hash_value(v: &Value) -> u64 {
    let mut h = DefaultHasher::new();
    match v {
        Value::Null => 0u8.hash(&mut h),
        Value::Bool(b) => (1u8, b).hash(&mut h),
        Value::Number(n) => {
            let as_int = n
                .as_i64()
                .map(i128::from)
                .or_else(|| n.as_u64().map(i128::from))
                .or_else(|| {
                    n.as_f64()
                        .filter(|f| f.fract() == 0.0 && f.abs() < 1e38)
                        .map(|f| f as i128)
                });
            match as_int {
                Some(i) => (2u8, i).hash(&mut h),
                None => (3u8, n.as_f64().map(f64::to_bits)).hash(&mut h),
            }
        }
        Value::String(s) => (4u8, s).hash(&mut h),
        Value::Array(a) => {
            5u8.hash(&mut h);
            for item in a {
                hash_value(item).hash(&mut h);
            }
        }
        Value::Object(o) => {
            // Order-insensitive, as Python's dict equality is.
            let sum = o.iter().fold(0u64, |acc, (k, item)| {
                let mut e = DefaultHasher::new();
                (k, hash_value(item)).hash(&mut e);
                acc.wrapping_add(e.finish())
            });
            (6u8, sum).hash(&mut h);
        }
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn l6_long_cycles_are_caught_in_bounded_memory() {
        for (start, period) in [(0u64, 3u64), (10, 1), (5000, 7), (4000, 200), (9000, 2500)] {
            let mut guard = CycleGuard::default();
            let mut caught = None;
            for i in 0..(start + 10 * period + 20_000) {
                let token = if i < start {
                    i
                } else {
                    start + (i - start) % period
                };
                if guard.repeats(token) {
                    caught = Some(i);
                    break;
                }
            }
            let at = caught.unwrap_or_else(|| panic!("cycle of {period} after {start} not caught"));
            assert!(
                at >= start + period,
                "no false alarm before the first repeat"
            );
            assert!(at <= 2 * (start + period) + 2 * period, "caught late: {at}");
            assert!(guard.exact.len() <= CycleGuard::EXACT);
        }
        let mut guard = CycleGuard::default();
        assert!(
            (0..100_000).all(|i| !guard.repeats(i)),
            "distinct tokens never alarm"
        );
    }

    #[test]
    fn l6_fingerprints_follow_python_equality() {
        let a = vec![Some(json!({"k": 1, "j": "x"}))];
        let b = vec![Some(json!({"j": "x", "k": 1.0}))];
        assert_eq!(fingerprint(&a), fingerprint(&b));
        let big1 = vec![Some(json!(1u64 << 60))];
        let big2 = vec![Some(json!((1u64 << 60) + 1))];
        assert_ne!(fingerprint(&big1), fingerprint(&big2));
        assert_ne!(
            fingerprint(&[None, Some(json!("a"))]),
            fingerprint(&[Some(json!("a")), None])
        );
    }
}
