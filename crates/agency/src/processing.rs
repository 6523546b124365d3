//! The agency's side of a declaration: judging each item, and what the accepted ones change in
//! the rosters, the people and the unit.
//!
//! An operator decides by hand (`process ID --accept-all | --reject LINE --reason TEXT`); the
//! automatic mode applies the rules an agency would: a hire of someone insured at another unit
//! fails, a leave of someone not insured at this unit fails, a wage base outside the period's
//! limits fails, the rest succeed.
//!
//! The rules are written here once, free of any database: the storage backend reads the
//! declaration and its items inside its transaction, asks [`Judgement::prepare`] which people
//! the rules need to know about, looks them up, asks [`Prepared::plan`] for the verdicts and
//! their effects, and writes the [`Plan`] before it commits.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use shebao_core::declaration::{
    DeclarationKind, HireItem, LeaveItem, PersonChangeItem, UnitChangeItem, WageItem,
};
use shebao_core::id::{DocumentNumber, DocumentType};
use shebao_core::money::Money;
use shebao_core::reference::ReferenceData;
use shebao_core::state::{DeclarationState, Outcome};

use crate::app::{App, AppState};
use crate::storage::{
    Declaration, ItemOutcome, JudgedItem, PersonKey, PersonRecord, RosterEntry, StorageError,
    changeable_column,
};

/// How the items of a declaration are to be judged.
#[derive(Debug, Clone)]
pub enum Decision {
    /// Accept every item.
    AcceptAll,
    /// Reject these lines with these reasons; accept the rest.
    Reject(BTreeMap<i64, String>),
    /// Apply the agency's rules.
    Rules,
}

/// Why a declaration could not be processed.
#[derive(Debug, thiserror::Error)]
pub enum ProcessError {
    #[error("there is no declaration {0}")]
    NoSuchDeclaration(i64),
    #[error("declaration {id} is already {}", state.as_str())]
    AlreadyFinished { id: i64, state: DeclarationState },
    #[error("declaration {id} has no line {line}")]
    NoSuchLine { id: i64, line: i64 },
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// The final state a declaration reached, with its item counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Processed {
    pub state: DeclarationState,
    pub succeeded: usize,
    pub failed: usize,
}

/// Everything the rules need besides the declaration: how to decide, and when.
#[derive(Debug, Clone)]
pub struct Judgement {
    pub reference: Arc<ReferenceData>,
    pub decision: Decision,
    /// The date the items are judged against (in the agency's time zone).
    pub today: NaiveDate,
    /// Now, in Unix seconds.
    pub now: i64,
}

/// What the rules need to know of the people a declaration names, as the database holds them
/// when the declaration is finished.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The unit at which each person is insured now (absent: insured nowhere).
    pub insured_at: HashMap<PersonKey, i64>,
    /// What the agency knows of a person, by document number: (document type, details).
    pub details: HashMap<String, (String, String)>,
}

/// The people whose facts the rules need.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Wanted {
    /// Whose place on a roster matters.
    pub roster: Vec<PersonKey>,
    /// Whose stored details matter, by document number.
    pub details: Vec<String>,
}

/// The verdicts on a declaration's items and what the accepted ones change. Each person appears
/// at most once in each list, in document order, so that a backend may write each list in one
/// statement and concurrent writers lock rows in the same order. The people in `leave`, `wages`
/// and `renames` were on this unit's roster when the facts were read: a backend whose facts may
/// have changed since (another server) checks that each row is still there.
#[derive(Debug, Clone)]
pub struct Plan {
    pub declaration: Declaration,
    pub outcomes: Vec<JudgedItem>,
    pub processed: Processed,
    /// What the agency now knows of these people.
    pub persons: Vec<PersonRecord>,
    /// People to put on this unit's roster (moving them from any other).
    pub enrol: Vec<RosterEntry>,
    /// Whether each enrolment was judged on the fact that the person is insured nowhere (the
    /// rules), so that it must create a roster row rather than move one.
    pub enrol_only_new: bool,
    /// People to take off this unit's roster.
    pub leave: Vec<PersonKey>,
    /// New declared wages (fen) on this unit's roster.
    pub wages: Vec<(PersonKey, i64)>,
    /// New names on this unit's roster.
    pub renames: Vec<(PersonKey, String)>,
    /// Fields of the unit's record, in the order declared: (column, value).
    pub unit_changes: Vec<(&'static str, String)>,
}

/// An item as read before any fact is known.
#[derive(Debug, Clone)]
enum Reading {
    /// Failed before the rules were asked: rejected by the operator, or unreadable.
    Refused(String),
    Hire(PersonKey, Box<HireItem>),
    Leave(PersonKey),
    Wage(PersonKey, WageItem),
    UnitChange(UnitChangeItem),
    PersonChange(PersonKey, PersonChangeItem),
}

/// A declaration whose items have been read, waiting for the facts the rules need.
#[derive(Debug)]
pub struct Prepared<'a> {
    judgement: &'a Judgement,
    declaration: Declaration,
    items: Vec<(i64, Reading)>,
}

fn parse<T: DeserializeOwned>(body: &str) -> Result<T, String> {
    serde_json::from_str(body).map_err(|_| "申报内容无法读取".to_owned())
}

impl Judgement {
    pub fn new(
        reference: Arc<ReferenceData>,
        decision: Decision,
        today: NaiveDate,
        now: i64,
    ) -> Self {
        Self {
            reference,
            decision,
            today,
            now,
        }
    }

    /// Reads a declaration's items (line, JSON): refuses a declaration already finished, and a
    /// rejection of a line it does not have.
    pub fn prepare(
        &self,
        declaration: Declaration,
        items: Vec<(i64, String)>,
    ) -> Result<Prepared<'_>, ProcessError> {
        if declaration.is_finished() {
            return Err(ProcessError::AlreadyFinished {
                id: declaration.id,
                state: declaration.state,
            });
        }
        if let Decision::Reject(lines) = &self.decision
            && let Some(line) = lines.keys().find(|l| **l < 1 || **l > items.len() as i64)
        {
            return Err(ProcessError::NoSuchLine {
                id: declaration.id,
                line: *line,
            });
        }
        let items = items
            .into_iter()
            .map(|(line, body)| {
                let rejected = match &self.decision {
                    Decision::Reject(lines) => lines.get(&line).cloned(),
                    Decision::AcceptAll | Decision::Rules => None,
                };
                let reading = match rejected {
                    Some(reason) => Reading::Refused(reason),
                    None => self
                        .read(declaration.kind, &body)
                        .unwrap_or_else(Reading::Refused),
                };
                (line, reading)
            })
            .collect();
        Ok(Prepared {
            judgement: self,
            declaration,
            items,
        })
    }

    /// The person's document in its canonical form (upper-case X, 18 digits for old numbers).
    fn document(&self, document_type: &str, document_no: &str) -> Result<PersonKey, String> {
        let kind = DocumentType::from_code(document_type).ok_or("证件类型无效")?;
        let number =
            DocumentNumber::parse_on(kind, document_no, self.today).map_err(|e| e.to_string())?;
        Ok(PersonKey {
            document_type: kind.code().to_owned(),
            document_no: number.as_str().to_owned(),
        })
    }

    fn read(&self, kind: DeclarationKind, body: &str) -> Result<Reading, String> {
        Ok(match kind {
            DeclarationKind::Hire => {
                let item: HireItem = parse(body)?;
                Reading::Hire(
                    self.document(&item.document_type, &item.document_no)?,
                    Box::new(item),
                )
            }
            DeclarationKind::Leave => {
                let item: LeaveItem = parse(body)?;
                Reading::Leave(self.document(&item.document_type, &item.document_no)?)
            }
            DeclarationKind::Wage => {
                let item: WageItem = parse(body)?;
                Reading::Wage(self.document(&item.document_type, &item.document_no)?, item)
            }
            DeclarationKind::UnitChange => Reading::UnitChange(parse(body)?),
            DeclarationKind::PersonChange => {
                let item: PersonChangeItem = parse(body)?;
                Reading::PersonChange(self.document(&item.document_type, &item.document_no)?, item)
            }
        })
    }
}

/// What stays true of a hired person whichever unit employs them next (for 续保): the item
/// without the fields that belong to this employment.
fn person_details(item: &HireItem) -> String {
    let mut details = match serde_json::to_value(item) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    for unit_specific in [
        "document_type",
        "document_no",
        "insured_from",
        "insurance_types",
        "wage",
        "reason",
        "remarks",
    ] {
        details.remove(unit_specific);
    }
    Value::Object(details).to_string()
}

/// The plan being built: the facts as the items so far have changed them, and the effects.
struct Planner<'a> {
    judgement: &'a Judgement,
    declaration: &'a Declaration,
    facts: Facts,
    persons: BTreeMap<PersonKey, PersonRecord>,
    enrol: BTreeMap<PersonKey, RosterEntry>,
    leave: BTreeMap<PersonKey, ()>,
    wages: BTreeMap<PersonKey, i64>,
    renames: BTreeMap<PersonKey, String>,
    unit_changes: Vec<(&'static str, String)>,
}

/// One item's verdict: accepted (its effects planned), or failed with the reason the clerk reads.
type Verdict = Result<(), String>;

impl Prepared<'_> {
    /// The people whose facts [`Prepared::plan`] needs.
    pub fn wanted(&self) -> Wanted {
        let mut roster = Vec::new();
        let mut details = Vec::new();
        for (_, reading) in &self.items {
            match reading {
                Reading::Hire(key, _) | Reading::Leave(key) | Reading::Wage(key, _) => {
                    roster.push(key.clone());
                }
                Reading::PersonChange(key, _) => {
                    roster.push(key.clone());
                    details.push(key.document_no.clone());
                }
                Reading::Refused(_) | Reading::UnitChange(_) => {}
            }
        }
        roster.sort();
        roster.dedup();
        details.sort();
        details.dedup();
        Wanted { roster, details }
    }

    /// Judges every item in order, each seeing what the items before it changed.
    pub fn plan(self, facts: Facts) -> Plan {
        let mut planner = Planner {
            judgement: self.judgement,
            declaration: &self.declaration,
            facts,
            persons: BTreeMap::new(),
            enrol: BTreeMap::new(),
            leave: BTreeMap::new(),
            wages: BTreeMap::new(),
            renames: BTreeMap::new(),
            unit_changes: Vec::new(),
        };
        let rules = matches!(self.judgement.decision, Decision::Rules);
        let mut outcomes = Vec::with_capacity(self.items.len());
        let (mut succeeded, mut failed) = (0, 0);
        for (line, reading) in self.items {
            let verdict = match reading {
                Reading::Refused(reason) => Err(reason),
                Reading::Hire(key, item) => planner.hire(key, *item, rules),
                Reading::Leave(key) => planner.leave(key, rules),
                Reading::Wage(key, item) => planner.wage(key, &item, rules),
                Reading::UnitChange(item) => planner.unit_change(item),
                Reading::PersonChange(key, item) => planner.person_change(key, item, rules),
            };
            let (outcome, reason) = match verdict {
                Ok(()) => {
                    succeeded += 1;
                    (ItemOutcome::Ok, None)
                }
                Err(reason) => {
                    failed += 1;
                    (ItemOutcome::Failed, Some(reason))
                }
            };
            outcomes.push(JudgedItem {
                line,
                outcome,
                reason,
            });
        }
        let outcome = match (succeeded, failed) {
            (_, 0) => Outcome::Succeeded,
            (0, _) => Outcome::Failed,
            _ => Outcome::PartlySucceeded,
        };
        Plan {
            outcomes,
            processed: Processed {
                state: DeclarationState::Finished {
                    outcome,
                    viewed: false,
                },
                succeeded,
                failed,
            },
            persons: planner.persons.into_values().collect(),
            enrol: planner.enrol.into_values().collect(),
            enrol_only_new: rules,
            leave: planner.leave.into_keys().collect(),
            wages: planner.wages.into_iter().collect(),
            renames: planner.renames.into_iter().collect(),
            unit_changes: planner.unit_changes,
            declaration: self.declaration,
        }
    }
}

impl Planner<'_> {
    fn unit_id(&self) -> i64 {
        self.declaration.unit_id
    }

    fn insured_here(&self, key: &PersonKey) -> bool {
        self.facts.insured_at.get(key) == Some(&self.unit_id())
    }

    fn remember(&mut self, key: PersonKey, name: String, details: String) {
        self.facts.details.insert(
            key.document_no.clone(),
            (key.document_type.clone(), details.clone()),
        );
        self.persons
            .insert(key.clone(), PersonRecord { key, name, details });
    }

    fn hire(&mut self, key: PersonKey, item: HireItem, rules: bool) -> Verdict {
        if rules {
            match self.facts.insured_at.get(&key) {
                Some(unit) if *unit == self.unit_id() => return Err("此人已在本单位参保".into()),
                Some(_) => return Err("此人已在其他单位参保，请先由原单位办理减员".into()),
                None => {}
            }
        }
        let wage = Money::parse(&item.wage).map_or(0, Money::fen);
        self.remember(key.clone(), item.name.clone(), person_details(&item));
        self.facts.insured_at.insert(key.clone(), self.unit_id());
        self.leave.remove(&key);
        self.enrol.insert(
            key.clone(),
            RosterEntry {
                document_type: key.document_type,
                document_no: key.document_no,
                name: item.name,
                declared_wage_fen: wage,
                insurance_types: item.insurance_types,
                insured_from: item.insured_from,
            },
        );
        Ok(())
    }

    fn leave(&mut self, key: PersonKey, rules: bool) -> Verdict {
        if self.insured_here(&key) {
            self.facts.insured_at.remove(&key);
            self.enrol.remove(&key);
            self.wages.remove(&key);
            self.renames.remove(&key);
            self.leave.insert(key, ());
        } else if rules {
            return Err("此人未在本单位参保，不能减员".into());
        }
        Ok(())
    }

    fn wage(&mut self, key: PersonKey, item: &WageItem, rules: bool) -> Verdict {
        let Ok(wage) = Money::parse(&item.average_monthly_wage) else {
            return Err("月平均工资无效".into());
        };
        if rules {
            let Some(period) = self.judgement.reference.period_at(self.declaration.period) else {
                return Err("该期间没有缴费基数上下限".into());
            };
            if wage < period.base_lower || wage > period.base_upper {
                return Err(format!(
                    "缴费基数 {wage} 不在 {} 至 {} 之间",
                    period.base_lower, period.base_upper
                ));
            }
        }
        if self.insured_here(&key) {
            match self.enrol.get_mut(&key) {
                Some(entry) => entry.declared_wage_fen = wage.fen(),
                None => {
                    self.wages.insert(key, wage.fen());
                }
            }
        } else if rules {
            return Err("此人未在本单位参保".into());
        }
        Ok(())
    }

    fn unit_change(&mut self, item: UnitChangeItem) -> Verdict {
        for (field, value) in item.changes {
            if let Some(column) = changeable_column(&field) {
                self.unit_changes.push((column, value));
            }
        }
        Ok(())
    }

    fn person_change(&mut self, key: PersonKey, item: PersonChangeItem, rules: bool) -> Verdict {
        let here = self.insured_here(&key);
        if !here && rules {
            return Err("此人未在本单位参保，不能修改其信息".into());
        }
        if here && let Some(name) = item.changes.get("name") {
            match self.enrol.get_mut(&key) {
                Some(entry) => entry.name = name.clone(),
                None => {
                    self.renames.insert(key.clone(), name.clone());
                }
            }
        }
        if let Some((_, details)) = self.facts.details.get(&key.document_no) {
            let mut details: Map<String, Value> = serde_json::from_str(details).unwrap_or_default();
            for (field, value) in &item.changes {
                details.insert(field.clone(), Value::String(value.clone()));
            }
            let name = details
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            self.remember(key, name, Value::Object(details).to_string());
        }
        Ok(())
    }
}

/// Processes, with the agency's rules, each declaration submitted at least `delay` ago: it
/// becomes `processing` on one pass and finished on the next, so clients see both states. On
/// several servers at once, each declaration is finished by one of them.
pub async fn process_due(app: &App, delay: Duration) -> Result<usize, ProcessError> {
    let now = app.now();
    let judgement = Judgement::new(
        app.reference.clone(),
        Decision::Rules,
        app.clock.today(),
        now,
    );
    let mut done = 0;
    while let Some((id, processed)) = app.storage.finish_next(judgement.clone()).await? {
        tracing::info!(
            declaration = id,
            state = processed.state.as_str(),
            "declaration processed"
        );
        done += 1;
    }
    app.storage
        .start_due(now - delay.as_secs() as i64, now)
        .await?;
    Ok(done)
}

/// The automatic processing loop of `serve --auto-process`.
pub async fn run_automatically(app: AppState, delay: Duration) {
    // Checking at least once a second keeps short demo delays short.
    let tick = delay.clamp(Duration::from_millis(200), Duration::from_secs(1));
    let mut interval = tokio::time::interval(tick);
    loop {
        interval.tick().await;
        // A failure is logged and the next tick tries again.
        if let Err(error) = process_due(&app, delay).await {
            tracing::error!(%error, "automatic processing failed");
        }
    }
}

#[cfg(test)]
mod tests;
