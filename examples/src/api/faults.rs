//! Faults the embedded API can be told to inject, by request number, so that retries and
//! timeouts around a transport can be shown against a real server: a `503 Service
//! Unavailable` for every n-th request, and requests held back before they are handled.

use std::time::Duration;

/// What the server does wrong, by request number: the n-th request it receives, counting
/// from 1, whatever its path. `Faults::default()` injects nothing.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Faults {
    unavailable_every: Option<u64>,
    slow: Vec<(u64, Duration)>,
}

/// What happens to one request.
pub(crate) enum Fault {
    /// Answer `503 Service Unavailable` without handling it.
    Unavailable,
    /// Wait this long, then handle it.
    Slow(Duration),
}

impl Faults {
    /// Answers every `n`-th request (the `n`-th, the `2n`-th, …) with a `503` and a JSON error
    /// whose code is `unavailable`. `0` injects nothing.
    #[must_use]
    pub fn unavailable_every(mut self, n: u64) -> Faults {
        self.unavailable_every = (n > 0).then_some(n);
        self
    }

    /// Holds request number `n` for `delay` before handling it, as a slow backend would.
    #[must_use]
    pub fn slow_request(mut self, n: u64, delay: Duration) -> Faults {
        self.slow.push((n, delay));
        self
    }

    /// The fault for request number `n`, if any; a 503 wins over a delay.
    pub(crate) fn for_request(&self, n: u64) -> Option<Fault> {
        if self
            .unavailable_every
            .is_some_and(|every| n.is_multiple_of(every))
        {
            return Some(Fault::Unavailable);
        }
        self.slow
            .iter()
            .find(|(at, _)| *at == n)
            .map(|(_, delay)| Fault::Slow(*delay))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_fall_on_the_requests_they_name() {
        let faults = Faults::default()
            .unavailable_every(3)
            .slow_request(4, Duration::from_millis(5))
            .slow_request(6, Duration::from_millis(5));
        let kinds: Vec<&str> = (1..=7)
            .map(|n| match faults.for_request(n) {
                None => "-",
                Some(Fault::Unavailable) => "503",
                Some(Fault::Slow(_)) => "slow",
            })
            .collect();
        assert_eq!(kinds, ["-", "-", "503", "slow", "-", "503", "-"]);
        assert!(
            Faults::default()
                .unavailable_every(0)
                .for_request(5)
                .is_none()
        );
    }
}
