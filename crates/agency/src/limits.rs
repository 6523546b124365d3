//! Limits that keep the server alive under bad or hostile input, and the login rate limiter.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

/// The server's limits; [`Limits::default`] holds the values the agency runs with.
#[derive(Debug, Clone)]
pub struct Limits {
    /// The largest request body accepted (413 beyond it).
    pub max_body_bytes: usize,
    /// The most items one declaration may hold (413 beyond it).
    pub max_items: usize,
    /// The deepest nesting of arrays and objects accepted in a JSON body (400 beyond it).
    pub max_json_depth: usize,
    /// How long one request may take, reading its body included (408 beyond it).
    pub request_timeout: Duration,
    /// How long a new connection may take to finish its TLS handshake and send its first request.
    pub connection_setup_timeout: Duration,
    /// How long the headers of any request may take to arrive (slow clients are cut off).
    pub header_read_timeout: Duration,
    /// Login calls (challenge and login) from one client address.
    pub login_per_address: RateLimit,
    /// Login calls for one unit number, whoever sends them.
    pub login_per_unit: RateLimit,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            // 20,000 hire items of about 400 bytes each, with room to spare.
            max_body_bytes: 16 * 1024 * 1024,
            max_items: 20_000,
            max_json_depth: 16,
            request_timeout: Duration::from_secs(60),
            connection_setup_timeout: Duration::from_secs(10),
            header_read_timeout: Duration::from_secs(30),
            login_per_address: RateLimit {
                requests: 60,
                per: Duration::from_secs(60),
            },
            login_per_unit: RateLimit {
                requests: 20,
                per: Duration::from_secs(60),
            },
        }
    }
}

/// At most `requests` in each window of length `per`.
#[derive(Debug, Clone, Copy)]
pub struct RateLimit {
    pub requests: u32,
    pub per: Duration,
}

/// Fixed-window counters per key (a client address or a unit number), in memory: a restart
/// forgets them, which costs an attacker nothing they could not get by waiting a window.
#[derive(Debug)]
pub struct RateLimiter {
    limit: RateLimit,
    windows: Mutex<HashMap<String, (i64, u32)>>,
}

/// Keys beyond this many are swept of stale windows before a new one is added.
const SWEEP_ABOVE: usize = 10_000;

impl RateLimiter {
    pub fn new(limit: RateLimit) -> Self {
        Self {
            limit,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one request for `key` at `now` (Unix seconds); `Err(seconds)` if over the limit,
    /// with the time until the window ends.
    pub fn check(&self, key: &str, now: i64) -> Result<(), u64> {
        let length = self.limit.per.as_secs().max(1) as i64;
        let start = now - now.rem_euclid(length);
        let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        if windows.len() > SWEEP_ABOVE {
            windows.retain(|_, (window, _)| *window == start);
        }
        let entry = windows.entry(key.to_owned()).or_insert((start, 0));
        if entry.0 != start {
            *entry = (start, 0);
        }
        if entry.1 >= self.limit.requests {
            return Err((start + length - now).max(1) as u64);
        }
        entry.1 += 1;
        Ok(())
    }
}

/// True if the JSON text nests arrays and objects deeper than `max`. Brackets inside strings do
/// not count. Checked before parsing so that a hostile body cannot make the parser recurse.
pub fn nests_deeper_than(json: &[u8], max: usize) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &byte in json {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_brackets_outside_strings_only() {
        assert!(!nests_deeper_than(br#"{"a":[1,{"b":2}]}"#, 3));
        assert!(nests_deeper_than(br#"{"a":[1,{"b":[2]}]}"#, 3));
        assert!(!nests_deeper_than(br#"{"a":"[[[[[[\"[[[["}"#, 1));
        assert!(nests_deeper_than(&[b'['; 100], 16));
    }

    #[test]
    fn a_window_admits_its_quota_then_answers_the_wait() {
        let limiter = RateLimiter::new(RateLimit {
            requests: 2,
            per: Duration::from_secs(60),
        });
        assert_eq!(limiter.check("a", 120), Ok(()));
        assert_eq!(limiter.check("a", 130), Ok(()));
        assert_eq!(limiter.check("a", 140), Err(40));
        assert_eq!(limiter.check("b", 140), Ok(()));
        assert_eq!(limiter.check("a", 180), Ok(()));
    }
}
