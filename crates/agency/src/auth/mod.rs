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
/// This many failed logins within [`LOCKOUT_WINDOW`] lock the unit…
pub const LOCKOUT_FAILURES: u32 = 5;
pub const LOCKOUT_WINDOW: i64 = 15 * 60;
/// …for this long (seconds).
pub const LOCKOUT_DURATION: i64 = 15 * 60;
