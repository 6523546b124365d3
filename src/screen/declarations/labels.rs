//! The words the query pages show for kinds, states and outcomes, and the choices of their
//! filters. The states' meanings are `shebao-core`'s; only their wording lives here.

use std::fmt;

use shebao_core::state::{DeclarationState as CoreState, HomeBucket, Outcome};
use shebao_store::DeclarationKind;

use crate::fl;

pub fn kind(kind: DeclarationKind) -> String {
    match kind {
        DeclarationKind::Hire => fl!("function-hire"),
        DeclarationKind::Leave => fl!("function-leave"),
        DeclarationKind::Wage => fl!("function-wage"),
        DeclarationKind::UnitChange => fl!("function-unit-change"),
        DeclarationKind::PersonChange => fl!("function-person-change"),
    }
}

pub fn bucket(bucket: HomeBucket) -> String {
    match bucket {
        HomeBucket::NotSubmitted => fl!("query-bucket-not-submitted"),
        HomeBucket::Waiting => fl!("query-bucket-waiting"),
        HomeBucket::Processing => fl!("query-bucket-processing"),
        HomeBucket::SucceededUnviewed => fl!("query-bucket-succeeded-unviewed"),
        HomeBucket::FailedUnviewed => fl!("query-bucket-failed-unviewed"),
        HomeBucket::PartlySucceededUnviewed => fl!("query-bucket-partly-unviewed"),
    }
}

/// A declaration's state with its viewed flag, as the list shows it.
pub fn state(state: Option<CoreState>) -> String {
    match state {
        None => fl!("query-state-unknown"),
        Some(CoreState::Draft) => fl!("query-bucket-not-submitted"),
        Some(CoreState::Queued) => fl!("query-state-queued"),
        Some(CoreState::Submitted) => fl!("query-bucket-waiting"),
        Some(CoreState::Processing) => fl!("query-bucket-processing"),
        Some(CoreState::Finished { outcome, viewed }) => match (outcome, viewed) {
            (Outcome::Succeeded, false) => fl!("query-bucket-succeeded-unviewed"),
            (Outcome::Failed, false) => fl!("query-bucket-failed-unviewed"),
            (Outcome::PartlySucceeded, false) => fl!("query-bucket-partly-unviewed"),
            (Outcome::Succeeded, true) => fl!("query-state-succeeded"),
            (Outcome::Failed, true) => fl!("query-state-failed"),
            (Outcome::PartlySucceeded, true) => fl!("query-state-partly"),
        },
    }
}

/// An item's verdict.
pub fn verdict(accepted: Option<bool>) -> String {
    match accepted {
        Some(true) => fl!("query-item-accepted"),
        Some(false) => fl!("query-item-refused"),
        None => fl!("query-item-pending"),
    }
}

/// The state filter: all, or one of the home page's six rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BucketChoice(pub Option<HomeBucket>);

impl BucketChoice {
    pub fn all() -> Vec<BucketChoice> {
        std::iter::once(BucketChoice(None))
            .chain(HomeBucket::ALL.into_iter().map(|b| BucketChoice(Some(b))))
            .collect()
    }
}

impl fmt::Display for BucketChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            None => f.write_str(&fl!("query-all-states")),
            Some(b) => f.write_str(&bucket(b)),
        }
    }
}

/// The kind filter: all, or one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindChoice(pub Option<DeclarationKind>);

impl KindChoice {
    pub fn all() -> Vec<KindChoice> {
        std::iter::once(KindChoice(None))
            .chain(
                DeclarationKind::ALL
                    .into_iter()
                    .map(|k| KindChoice(Some(k))),
            )
            .collect()
    }
}

impl fmt::Display for KindChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            None => f.write_str(&fl!("query-all-kinds")),
            Some(k) => f.write_str(&kind(k)),
        }
    }
}
