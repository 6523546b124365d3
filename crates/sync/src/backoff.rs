//! How long to wait between attempts to send.

use std::time::Duration;

/// Exponential backoff with jitter, so that many clients that lost the agency at the same
/// moment do not all come back at the same moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The wait before the second attempt (before jitter).
    pub first: Duration,
    /// The longest wait.
    pub max: Duration,
    /// Attempts per declaration in one sync, the first included.
    pub attempts: u32,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            first: Duration::from_millis(500),
            max: Duration::from_secs(30),
            attempts: 5,
        }
    }
}

impl Backoff {
    /// The wait after failed attempt number `attempt` (0-based): between half and all of
    /// `first * 2^attempt`, capped at `max`.
    pub fn delay(&self, attempt: u32) -> Duration {
        let full = self
            .first
            .saturating_mul(1u32 << attempt.min(16))
            .min(self.max);
        let half = full / 2;
        let extra = half.as_millis() as u64;
        half + Duration::from_millis(if extra == 0 {
            0
        } else {
            fastrand::u64(0..=extra)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_and_stay_within_bounds() {
        let b = Backoff::default();
        for attempt in 0..10 {
            let d = b.delay(attempt);
            let full = (b.first * 2u32.pow(attempt)).min(b.max);
            assert!(d >= full / 2 && d <= full, "attempt {attempt}: {d:?}");
        }
    }
}
