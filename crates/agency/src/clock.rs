//! Time as the server sees it.
//!
//! Challenges, tokens, lockouts and automatic processing all depend on "now"; tests replace the
//! system clock with a [`ManualClock`] so that expiry is checked without sleeping.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Duration, NaiveDate, Utc};

/// A source of the current time.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;

    /// Today's date in the agency's time zone (China Standard Time, UTC+8), which is the date a
    /// declaration's rules are judged against.
    fn today(&self) -> NaiveDate {
        (self.now() + Duration::hours(8)).date_naive()
    }
}

/// The shared clock handle every part of the server holds.
pub type SharedClock = Arc<dyn Clock>;

/// The operating system's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that only moves when told to.
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<Mutex<DateTime<Utc>>>);

impl ManualClock {
    pub fn new(start: DateTime<Utc>) -> Self {
        Self(Arc::new(Mutex::new(start)))
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        *now += by;
    }

    pub fn set(&self, to: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = to;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The wire format of instants: RFC 3339 in UTC with whole seconds.
pub fn to_wire(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn manual_clock_moves_only_when_told() {
        let start = Utc
            .with_ymd_and_hms(2026, 3, 1, 15, 30, 0)
            .single()
            .expect("valid instant");
        let clock = ManualClock::new(start);
        assert_eq!(clock.now(), start);
        clock.advance(Duration::hours(9));
        // 00:30 UTC on 2 March is 08:30 in Beijing.
        assert_eq!(
            clock.today(),
            NaiveDate::from_ymd_opt(2026, 3, 2).expect("valid date")
        );
        assert_eq!(to_wire(clock.now()), "2026-03-02T00:30:00Z");
    }
}
