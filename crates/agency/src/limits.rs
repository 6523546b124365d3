//! Limits that keep the server alive under bad or hostile input, and the login rate limits.

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

/// At most `requests` in each window of length `per`. The windows are fixed (they start at
/// multiples of `per` since the epoch) and their counts are kept in the database, so a limit
/// holds across every server process of the agency and across restarts.
#[derive(Debug, Clone, Copy)]
pub struct RateLimit {
    pub requests: u32,
    pub per: Duration,
}

impl RateLimit {
    /// The window that holds `now` (Unix seconds): its start, and the seconds until it ends.
    pub fn window(&self, now: i64) -> (i64, u64) {
        let length = self.per.as_secs().max(1) as i64;
        let start = now - now.rem_euclid(length);
        (start, (start + length - now).max(1) as u64)
    }

    /// Whether a window that has counted `calls` (this one included) admits the last.
    pub fn admits(&self, calls: u32) -> bool {
        calls <= self.requests
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
        let limit = RateLimit {
            requests: 2,
            per: Duration::from_secs(60),
        };
        assert_eq!(limit.window(120), (120, 60));
        assert_eq!(limit.window(140), (120, 40));
        assert_eq!(limit.window(179), (120, 1));
        assert_eq!(limit.window(180), (180, 60));
        assert!(limit.admits(1) && limit.admits(2));
        assert!(!limit.admits(3));
    }
}
