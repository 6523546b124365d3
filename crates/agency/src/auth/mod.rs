//! Who is calling: login policy, passwords, tokens, the card signature (of either kind of card
//! key) and the session a request carries.

pub mod card;
pub mod card_key;
pub mod password;
pub mod session;
pub mod token;

/// A login challenge and its captcha live this long (seconds).
pub const CHALLENGE_LIFE: i64 = 120;
/// A session ends after this long without a request (seconds).
pub const TOKEN_IDLE_LIFE: i64 = 8 * 3600;
/// A token's last use is written at most this often, so that reads stay reads (seconds).
pub const TOKEN_TOUCH_INTERVAL: i64 = 60;

/// When failed logins lock a unit: `failures` within `window` seconds lock it for `duration`
/// seconds. The storage records a failure and applies this decision in one write, so the count
/// holds across every server of the agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    pub failures: u32,
    pub window: i64,
    pub duration: i64,
}

/// The agency's policy: five failures in fifteen minutes lock the unit for fifteen minutes.
pub const LOCKOUT: LockoutPolicy = LockoutPolicy {
    failures: 5,
    window: 15 * 60,
    duration: 15 * 60,
};

impl LockoutPolicy {
    /// Failures before this instant no longer count at `now`.
    pub fn window_start(&self, now: i64) -> i64 {
        now - self.window
    }

    /// Until when `failures` (within the window, the latest at `now`) lock the unit, if they do.
    pub fn lock_until(&self, failures: u32, now: i64) -> Option<i64> {
        (failures >= self.failures).then_some(now + self.duration)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fifth_failure_in_the_window_locks_for_the_duration() {
        assert_eq!(LOCKOUT.lock_until(4, 1000), None);
        assert_eq!(LOCKOUT.lock_until(5, 1000), Some(1900));
        assert_eq!(LOCKOUT.window_start(1000), 100);
    }
}
