//! The few domain words the store needs to name its rows.
//!
//! The kind is `shebao-core`'s. The state here is the row's progress column only (the viewed
//! flag is a column of its own); merging a reported state into it follows
//! `shebao_core::state::DeclarationState::merge_reported`, and the spellings are the wire's.

use std::fmt;

pub use shebao_core::declaration::DeclarationKind;
use std::str::FromStr;

/// A word that names no declaration state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not one of: {1}")]
pub struct UnknownWord(pub String, pub &'static str);

/// Where a declaration stands (drafts are not declarations yet; they live in their own table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeclarationState {
    /// Submission requested; not yet accepted by the agency.
    Queued,
    /// Accepted by the agency, waiting to be processed.
    Submitted,
    /// The agency is processing it.
    Processing,
    /// Every item succeeded.
    Succeeded,
    /// Every item failed.
    Failed,
    /// Some items succeeded, some failed.
    PartlySucceeded,
}

impl DeclarationState {
    /// Every state.
    pub const ALL: [Self; 6] = [
        Self::Queued,
        Self::Submitted,
        Self::Processing,
        Self::Succeeded,
        Self::Failed,
        Self::PartlySucceeded,
    ];

    /// The spelling on the wire and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Submitted => "submitted",
            Self::Processing => "processing",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::PartlySucceeded => "partly_succeeded",
        }
    }

    /// How far along the way the state is (merging reported states follows `shebao-core`).
    pub fn rank(self) -> u8 {
        match self {
            Self::Queued => 0,
            Self::Submitted => 1,
            Self::Processing => 2,
            Self::Succeeded | Self::Failed | Self::PartlySucceeded => 3,
        }
    }

    /// Whether the agency has finished with it.
    pub fn is_finished(self) -> bool {
        self.rank() == 3
    }
}

impl fmt::Display for DeclarationState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DeclarationState {
    type Err = UnknownWord;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                UnknownWord(
                    s.into(),
                    "queued, submitted, processing, succeeded, failed, partly_succeeded",
                )
            })
    }
}

/// The six counts of the home page (首页).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HomeCounts {
    /// 未提交: drafts not yet submitted, counted per person, plus queued declarations.
    pub not_submitted: u64,
    /// 提交后等待处理
    pub waiting: u64,
    /// 正在处理
    pub processing: u64,
    /// 处理成功还未查阅
    pub succeeded_unviewed: u64,
    /// 处理失败还未查阅
    pub failed_unviewed: u64,
    /// 部分处理成功还未查阅
    pub partly_succeeded_unviewed: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_and_kinds_read_back_from_their_wire_names() {
        for s in DeclarationState::ALL {
            assert_eq!(s.as_str().parse::<DeclarationState>().unwrap(), s);
        }
        assert!("draft".parse::<DeclarationKind>().is_err());
    }
}
