//! 申报查询: every declaration of the unit, read once into an in-memory index that answers the
//! query page's filters (home-page state, kind, period, a name or ID number) without going back
//! to the database. A unit with years of history has 100,000 declarations; scanning the index
//! takes a few milliseconds, where a SQL `LIKE` over the items' JSON takes far longer.

use shebao_core::state::{DeclarationState as CoreState, HomeBucket};

use crate::error::Result;
use crate::model::{DeclarationKind, DeclarationState};
use crate::outbox::DeclarationId;
use crate::store::Store;

/// One declaration as the query page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclarationRow {
    /// Local row id.
    pub id: DeclarationId,
    /// Kind.
    pub kind: DeclarationKind,
    /// Period, YYYY-MM.
    pub period: String,
    /// State.
    pub state: DeclarationState,
    /// Whether the clerk has viewed the outcome.
    pub viewed: bool,
    /// Number of items.
    pub item_count: u64,
    /// Items the agency refused.
    pub failed_items: u64,
    /// When it was queued here (RFC 3339).
    pub created_at: String,
    /// The first person's name, so the clerk recognises the declaration.
    pub first_person: Option<String>,
    /// The names and document numbers of every item, folded for matching.
    search: String,
}

impl DeclarationRow {
    /// Which of the home page's six rows counts it; `None` once viewed.
    pub fn bucket(&self) -> Option<HomeBucket> {
        CoreState::parse(self.state.as_str(), self.viewed).and_then(CoreState::bucket)
    }

    /// The state as `shebao-core` names it (with the viewed flag).
    pub fn core_state(&self) -> Option<CoreState> {
        CoreState::parse(self.state.as_str(), self.viewed)
    }
}

/// What the clerk narrowed the list to; empty fields do not narrow.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeclarationFilter {
    /// One of the home page's six rows.
    pub bucket: Option<HomeBucket>,
    /// One kind.
    pub kind: Option<DeclarationKind>,
    /// A period (YYYY-MM), or its start (e.g. "2026").
    pub period: String,
    /// A part of a name or of an ID number, any item's.
    pub text: String,
}

/// Every declaration of the unit, newest first, ready to be filtered.
#[derive(Debug, Clone, Default)]
pub struct DeclarationIndex {
    rows: Vec<DeclarationRow>,
}

impl DeclarationIndex {
    /// The rows, newest first.
    pub fn rows(&self) -> &[DeclarationRow] {
        &self.rows
    }

    /// How many declarations the unit has.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the unit has none.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The clerk opened declaration `id` and the store marked it viewed.
    pub fn set_viewed(&mut self, id: DeclarationId) {
        if let Some(row) = self.rows.iter_mut().find(|r| r.id == id) {
            row.viewed = true;
        }
    }

    /// The positions (in [`rows`](Self::rows)) of the declarations that pass `filter`.
    pub fn filter(&self, filter: &DeclarationFilter) -> Vec<usize> {
        let text = fold(filter.text.trim());
        let period = filter.period.trim();
        self.rows
            .iter()
            .enumerate()
            .filter(|(_, row)| {
                filter.bucket.is_none_or(|b| row.bucket() == Some(b))
                    && filter.kind.is_none_or(|k| row.kind == k)
                    && (period.is_empty() || row.period.starts_with(period))
                    && (text.is_empty() || row.search.contains(&text))
            })
            .map(|(i, _)| i)
            .collect()
    }
}

/// Case-folded, so that an ID number's check character matches as `x` or `X`.
fn fold(s: &str) -> String {
    s.to_uppercase()
}

impl Store {
    /// Read every declaration with its people into an index for the query page. Run it off the
    /// UI thread: for 100,000 declarations it reads every item.
    pub fn declaration_index(&self) -> Result<DeclarationIndex> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.id, d.kind, d.period, d.state, d.viewed, d.item_count, d.created_at,
                    (SELECT count(*) FROM declaration_items f
                      WHERE f.declaration_id = d.id AND f.outcome = 'failed'),
                    (SELECT group_concat(
                         coalesce(json_extract(i.item, '$.name'), '') || ' ' ||
                         coalesce(json_extract(i.item, '$.document_no'), ''), char(10))
                       FROM declaration_items i WHERE i.declaration_id = d.id)
             FROM declarations d ORDER BY d.id DESC",
        )?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let kind: String = r.get(1)?;
            let state: String = r.get(3)?;
            // A row this build cannot name is left out rather than failing the whole list.
            let (Ok(kind), Ok(state)) = (kind.parse(), state.parse()) else {
                continue;
            };
            let people: Option<String> = r.get(8)?;
            let first_person = people
                .as_deref()
                .and_then(|p| p.lines().next())
                .and_then(|line| line.split(' ').next())
                .filter(|name| !name.is_empty())
                .map(str::to_owned);
            out.push(DeclarationRow {
                id: r.get(0)?,
                kind,
                period: r.get(2)?,
                state,
                viewed: r.get(4)?,
                item_count: r.get(5)?,
                created_at: r.get(6)?,
                failed_items: r.get(7)?,
                first_person,
                search: fold(people.as_deref().unwrap_or_default()),
            });
        }
        Ok(DeclarationIndex { rows: out })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        id: i64,
        kind: DeclarationKind,
        state: DeclarationState,
        people: &str,
    ) -> DeclarationRow {
        DeclarationRow {
            id,
            kind,
            period: "2026-11".into(),
            state,
            viewed: false,
            item_count: 1,
            failed_items: 0,
            created_at: String::new(),
            first_person: None,
            search: fold(people),
        }
    }

    fn index() -> DeclarationIndex {
        DeclarationIndex {
            rows: vec![
                row(
                    3,
                    DeclarationKind::Hire,
                    DeclarationState::Failed,
                    "张三 11010519491231002x",
                ),
                row(
                    2,
                    DeclarationKind::Leave,
                    DeclarationState::Submitted,
                    "李四 440524188001010014",
                ),
                row(1, DeclarationKind::Hire, DeclarationState::Queued, "王五 1"),
            ],
        }
    }

    #[test]
    fn each_filter_narrows_the_list() {
        let index = index();
        let ids = |f: DeclarationFilter| -> Vec<i64> {
            index
                .filter(&f)
                .into_iter()
                .map(|i| index.rows()[i].id)
                .collect()
        };
        assert_eq!(ids(DeclarationFilter::default()), [3, 2, 1]);
        let failed = DeclarationFilter {
            bucket: Some(HomeBucket::FailedUnviewed),
            ..Default::default()
        };
        assert_eq!(ids(failed), [3]);
        let hires = DeclarationFilter {
            kind: Some(DeclarationKind::Hire),
            ..Default::default()
        };
        assert_eq!(ids(hires), [3, 1]);
        let by_id = DeclarationFilter {
            text: "002X".into(),
            ..Default::default()
        };
        assert_eq!(ids(by_id), [3]);
        let by_name = DeclarationFilter {
            text: " 李四 ".into(),
            ..Default::default()
        };
        assert_eq!(ids(by_name), [2]);
        let other_year = DeclarationFilter {
            period: "2025".into(),
            ..Default::default()
        };
        assert!(ids(other_year).is_empty());
    }
}
