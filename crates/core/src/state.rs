//! The life of a declaration: its states, the moves allowed between them, and the six
//! home-page counts of the seed system.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How the agency finished a declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Succeeded,
    Failed,
    PartlySucceeded,
}

/// Where a declaration stands. `Draft` and `Queued` exist only on the client; the others are
/// what the agency reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeclarationState {
    /// Being keyed in; only on this PC.
    Draft,
    /// The clerk asked to submit; not yet accepted by the agency.
    Queued,
    /// Accepted by the agency, waiting to be processed.
    Submitted,
    Processing,
    /// Processed; `viewed` once the clerk has opened the result (查阅).
    Finished {
        outcome: Outcome,
        viewed: bool,
    },
}

/// What makes a declaration move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The clerk asks to submit.
    Submit,
    /// The clerk takes a queued declaration back before it was sent.
    Withdraw,
    /// The agency reports a state (from a submission's answer or the changes feed).
    Reported(DeclarationState),
    /// The clerk opened a finished declaration.
    Viewed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("申报状态不能从“{}”变为“{}”", from.label(), to.label())]
pub struct TransitionError {
    pub from: DeclarationState,
    pub to: DeclarationState,
}

impl DeclarationState {
    /// The wire name of the state ("submitted" …); `Draft` and `Queued` never travel but have
    /// names for the local store.
    pub fn as_str(self) -> &'static str {
        match self {
            DeclarationState::Draft => "draft",
            DeclarationState::Queued => "queued",
            DeclarationState::Submitted => "submitted",
            DeclarationState::Processing => "processing",
            DeclarationState::Finished { outcome, .. } => match outcome {
                Outcome::Succeeded => "succeeded",
                Outcome::Failed => "failed",
                Outcome::PartlySucceeded => "partly_succeeded",
            },
        }
    }

    /// The state from its wire name and viewed flag (ignored for unfinished states).
    pub fn parse(state: &str, viewed: bool) -> Option<DeclarationState> {
        let finished = |outcome| DeclarationState::Finished { outcome, viewed };
        Some(match state {
            "draft" => DeclarationState::Draft,
            "queued" => DeclarationState::Queued,
            "submitted" => DeclarationState::Submitted,
            "processing" => DeclarationState::Processing,
            "succeeded" => finished(Outcome::Succeeded),
            "failed" => finished(Outcome::Failed),
            "partly_succeeded" => finished(Outcome::PartlySucceeded),
            _ => return None,
        })
    }

    pub fn viewed(self) -> bool {
        matches!(self, DeclarationState::Finished { viewed: true, .. })
    }

    pub fn label(self) -> &'static str {
        match self {
            DeclarationState::Draft => "未提交",
            DeclarationState::Queued => "等待发送",
            DeclarationState::Submitted => "提交后等待处理",
            DeclarationState::Processing => "正在处理",
            DeclarationState::Finished { outcome, viewed } => match (outcome, viewed) {
                (Outcome::Succeeded, false) => "处理成功还未查阅",
                (Outcome::Failed, false) => "处理失败还未查阅",
                (Outcome::PartlySucceeded, false) => "部分处理成功还未查阅",
                (Outcome::Succeeded, true) => "处理成功",
                (Outcome::Failed, true) => "处理失败",
                (Outcome::PartlySucceeded, true) => "部分处理成功",
            },
        }
    }

    /// How far along the declaration is; a declaration never moves to a lower rank.
    fn rank(self) -> u8 {
        match self {
            DeclarationState::Draft => 0,
            DeclarationState::Queued => 1,
            DeclarationState::Submitted => 2,
            DeclarationState::Processing => 3,
            DeclarationState::Finished { viewed: false, .. } => 4,
            DeclarationState::Finished { viewed: true, .. } => 5,
        }
    }

    /// Whether the move from `self` to `to` is allowed.
    pub fn can_become(self, to: DeclarationState) -> bool {
        use DeclarationState::*;
        match (self, to) {
            (Draft, Queued) | (Queued, Draft) => true,
            // Once the agency has the declaration it only moves forward, and a finished one keeps
            // its outcome: only the viewed flag can still change, from false to true.
            (Finished { outcome: a, .. }, Finished { outcome: b, .. }) => {
                a == b && self.rank() < to.rank()
            }
            (Draft, _) => false,
            (from, to) => from.rank() < to.rank(),
        }
    }

    /// The state after `event`, or why the event does not apply.
    pub fn apply(self, event: Event) -> Result<DeclarationState, TransitionError> {
        let to = match (self, event) {
            (_, Event::Submit) => DeclarationState::Queued,
            (_, Event::Withdraw) => DeclarationState::Draft,
            (DeclarationState::Finished { outcome, .. }, Event::Viewed) => {
                DeclarationState::Finished {
                    outcome,
                    viewed: true,
                }
            }
            (from, Event::Viewed) => return Err(TransitionError { from, to: from }),
            (_, Event::Reported(state)) => state,
        };
        if self.can_become(to) {
            Ok(to)
        } else {
            Err(TransitionError { from: self, to })
        }
    }

    /// Merges a state the agency reported into the local one. Reports can arrive late, twice
    /// or out of order (a retried submission's answer after the changes feed), so a stale
    /// report never moves a declaration backwards and never clears a viewed flag the clerk set
    /// locally.
    pub fn merge_reported(self, reported: DeclarationState) -> DeclarationState {
        match (self, reported) {
            (
                DeclarationState::Finished { outcome, viewed },
                DeclarationState::Finished {
                    viewed: reported_viewed,
                    ..
                },
            ) => DeclarationState::Finished {
                outcome,
                viewed: viewed || reported_viewed,
            },
            _ if reported.rank() > self.rank() && self != DeclarationState::Draft => reported,
            _ => self,
        }
    }

    /// The home-page row this declaration is counted in, if any: viewed results are counted in
    /// none, like the seed.
    pub fn bucket(self) -> Option<HomeBucket> {
        Some(match self {
            DeclarationState::Draft | DeclarationState::Queued => HomeBucket::NotSubmitted,
            DeclarationState::Submitted => HomeBucket::Waiting,
            DeclarationState::Processing => HomeBucket::Processing,
            DeclarationState::Finished { viewed: true, .. } => return None,
            DeclarationState::Finished { outcome, .. } => match outcome {
                Outcome::Succeeded => HomeBucket::SucceededUnviewed,
                Outcome::Failed => HomeBucket::FailedUnviewed,
                Outcome::PartlySucceeded => HomeBucket::PartlySucceededUnviewed,
            },
        })
    }
}

impl fmt::Display for DeclarationState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The six rows on the left of the seed system's home page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HomeBucket {
    NotSubmitted,
    Waiting,
    Processing,
    SucceededUnviewed,
    FailedUnviewed,
    PartlySucceededUnviewed,
}

impl HomeBucket {
    pub const ALL: [HomeBucket; 6] = [
        HomeBucket::NotSubmitted,
        HomeBucket::Waiting,
        HomeBucket::Processing,
        HomeBucket::SucceededUnviewed,
        HomeBucket::FailedUnviewed,
        HomeBucket::PartlySucceededUnviewed,
    ];

    pub fn label(self) -> &'static str {
        match self {
            HomeBucket::NotSubmitted => "未提交",
            HomeBucket::Waiting => "提交后等待处理",
            HomeBucket::Processing => "正在处理",
            HomeBucket::SucceededUnviewed => "处理成功还未查阅",
            HomeBucket::FailedUnviewed => "处理失败还未查阅",
            HomeBucket::PartlySucceededUnviewed => "部分处理成功还未查阅",
        }
    }

    /// A stable name for command lines and filters.
    pub fn as_str(self) -> &'static str {
        match self {
            HomeBucket::NotSubmitted => "not_submitted",
            HomeBucket::Waiting => "waiting",
            HomeBucket::Processing => "processing",
            HomeBucket::SucceededUnviewed => "succeeded_unviewed",
            HomeBucket::FailedUnviewed => "failed_unviewed",
            HomeBucket::PartlySucceededUnviewed => "partly_succeeded_unviewed",
        }
    }

    pub fn parse(s: &str) -> Option<HomeBucket> {
        HomeBucket::ALL.into_iter().find(|b| b.as_str() == s.trim())
    }
}

/// The outcome of a finished declaration from the outcomes of its items.
pub fn outcome_of(items_ok: usize, items_failed: usize) -> Outcome {
    match (items_ok, items_failed) {
        (_, 0) => Outcome::Succeeded,
        (0, _) => Outcome::Failed,
        _ => Outcome::PartlySucceeded,
    }
}

#[cfg(test)]
mod tests;
