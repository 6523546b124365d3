//! The agency's side of a declaration: judging each item, applying the accepted ones to the
//! rosters, the people and the unit, and finishing the declaration.
//!
//! An operator decides by hand (`process ID --accept-all | --reject LINE --reason TEXT`); the
//! automatic mode applies the rules an agency would: a hire of someone insured at another unit
//! fails, a leave of someone not insured at this unit fails, a wage base outside the period's
//! limits fails, the rest succeed.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use shebao_core::declaration::{HireItem, LeaveItem, PersonChangeItem, UnitChangeItem, WageItem};
use shebao_core::id::{DocumentNumber, DocumentType};
use shebao_core::money::Money;
use shebao_core::month::Month;
use shebao_core::reference::ReferenceData;

use crate::app::{AppState, blocking};
use crate::db::declarations::{self, Declaration, outcome, state};
use crate::db::people::{self, RosterEntry};
use crate::db::{DbError, units};

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
    #[error("declaration {id} is already {state}")]
    AlreadyFinished { id: i64, state: String },
    #[error("declaration {id} has no line {line}")]
    NoSuchLine { id: i64, line: i64 },
    #[error(transparent)]
    Db(#[from] DbError),
}

/// The final state a declaration reached, with its item counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Processed {
    pub state: &'static str,
    pub succeeded: usize,
    pub failed: usize,
}

/// Moves a submitted declaration to processing (visible in the changes feed).
pub fn start(conn: &Connection, id: i64, now: i64) -> Result<(), ProcessError> {
    let declaration = declarations::by_id(conn, id)?.ok_or(ProcessError::NoSuchDeclaration(id))?;
    if declaration.state == state::SUBMITTED {
        declarations::set_state(conn, &declaration, state::PROCESSING, now)?;
    }
    Ok(())
}

/// Judges every item of declaration `id`, applies the accepted ones and finishes it. Run it in
/// one transaction: either all of it happens or none.
pub fn finish(
    conn: &Connection,
    reference: &ReferenceData,
    id: i64,
    decision: &Decision,
    today: NaiveDate,
    now: i64,
) -> Result<Processed, ProcessError> {
    let declaration = declarations::by_id(conn, id)?.ok_or(ProcessError::NoSuchDeclaration(id))?;
    if state::is_final(&declaration.state) {
        return Err(ProcessError::AlreadyFinished {
            id,
            state: declaration.state,
        });
    }
    let items = declarations::items(conn, id)?;
    if let Decision::Reject(lines) = decision
        && let Some(line) = lines.keys().find(|l| **l < 1 || **l > items.len() as i64)
    {
        return Err(ProcessError::NoSuchLine { id, line: *line });
    }
    let judge = Judge {
        conn,
        reference,
        declaration: &declaration,
        today,
        now,
    };
    let (mut succeeded, mut failed) = (0, 0);
    for (line, body) in &items {
        let rejected = match decision {
            Decision::Reject(lines) => lines.get(line).cloned(),
            Decision::AcceptAll | Decision::Rules => None,
        };
        let verdict = match rejected {
            Some(reason) => Err(reason),
            None => judge.apply(body, matches!(decision, Decision::Rules))?,
        };
        match verdict {
            Ok(()) => {
                succeeded += 1;
                declarations::set_outcome(conn, id, *line, outcome::OK, None)?;
            }
            Err(reason) => {
                failed += 1;
                declarations::set_outcome(conn, id, *line, outcome::FAILED, Some(&reason))?;
            }
        }
    }
    let final_state = match (succeeded, failed) {
        (_, 0) => state::SUCCEEDED,
        (0, _) => state::FAILED,
        _ => state::PARTLY_SUCCEEDED,
    };
    declarations::set_state(conn, &declaration, final_state, now)?;
    Ok(Processed {
        state: final_state,
        succeeded,
        failed,
    })
}

/// One item's verdict: accepted (and applied), or failed with the reason the clerk will read.
type Verdict = Result<(), String>;

struct Judge<'a> {
    conn: &'a Connection,
    reference: &'a ReferenceData,
    declaration: &'a Declaration,
    today: NaiveDate,
    now: i64,
}

fn parse<T: DeserializeOwned>(body: &str) -> Result<T, String> {
    serde_json::from_str(body).map_err(|_| "申报内容无法读取".to_owned())
}

impl Judge<'_> {
    fn unit_id(&self) -> i64 {
        self.declaration.unit_id
    }

    /// The person's document in its canonical form (upper-case X, 18 digits for old numbers).
    fn document(&self, document_type: &str, document_no: &str) -> Result<(String, String), String> {
        let kind = DocumentType::from_code(document_type).ok_or("证件类型无效")?;
        let number =
            DocumentNumber::parse_on(kind, document_no, self.today).map_err(|e| e.to_string())?;
        Ok((kind.code().to_owned(), number.as_str().to_owned()))
    }

    fn apply(&self, body: &str, rules: bool) -> Result<Verdict, DbError> {
        let verdict = match self.declaration.kind.as_str() {
            "hire" => parse(body).map(|item| self.hire(item, rules)),
            "leave" => parse(body).map(|item| self.leave(item, rules)),
            "wage" => parse(body).map(|item| self.wage(item, rules)),
            "unit_change" => parse(body).map(|item| self.unit_change(item)),
            "person_change" => parse(body).map(|item| self.person_change(item, rules)),
            _ => Err("未知的申报类型".to_owned()),
        };
        match verdict {
            Ok(result) => result,
            Err(reason) => Ok(Err(reason)),
        }
    }

    fn hire(&self, item: HireItem, rules: bool) -> Result<Verdict, DbError> {
        let (document_type, document_no) =
            match self.document(&item.document_type, &item.document_no) {
                Ok(document) => document,
                Err(reason) => return Ok(Err(reason)),
            };
        if rules {
            match people::insured_at(self.conn, &document_type, &document_no)? {
                Some(unit) if unit == self.unit_id() => {
                    return Ok(Err("此人已在本单位参保".into()));
                }
                Some(_) => return Ok(Err("此人已在其他单位参保，请先由原单位办理减员".into())),
                None => {}
            }
        }
        let wage = Money::parse(&item.wage).map_or(0, Money::fen);
        let mut details = match serde_json::to_value(&item) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        };
        // What stays true of the person whichever unit employs them next (for 续保).
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
        let details = Value::Object(details).to_string();
        people::remember_person(
            self.conn,
            &document_type,
            &document_no,
            &item.name,
            &details,
            self.now,
        )?;
        people::enrol(
            self.conn,
            self.unit_id(),
            &RosterEntry {
                document_type,
                document_no,
                name: item.name,
                declared_wage_fen: wage,
                insurance_types: item.insurance_types,
                insured_from: item.insured_from,
            },
        )?;
        Ok(Ok(()))
    }

    fn leave(&self, item: LeaveItem, rules: bool) -> Result<Verdict, DbError> {
        let (document_type, document_no) =
            match self.document(&item.document_type, &item.document_no) {
                Ok(document) => document,
                Err(reason) => return Ok(Err(reason)),
            };
        let removed = people::leave(self.conn, self.unit_id(), &document_type, &document_no)?;
        if !removed && rules {
            return Ok(Err("此人未在本单位参保，不能减员".into()));
        }
        Ok(Ok(()))
    }

    fn wage(&self, item: WageItem, rules: bool) -> Result<Verdict, DbError> {
        let (document_type, document_no) =
            match self.document(&item.document_type, &item.document_no) {
                Ok(document) => document,
                Err(reason) => return Ok(Err(reason)),
            };
        let Ok(wage) = Money::parse(&item.average_monthly_wage) else {
            return Ok(Err("月平均工资无效".into()));
        };
        if rules {
            let period_month = Month::parse(&self.declaration.period).ok();
            let Some(period) = period_month.and_then(|m| self.reference.period_at(m)) else {
                return Ok(Err("该期间没有缴费基数上下限".into()));
            };
            if wage < period.base_lower || wage > period.base_upper {
                return Ok(Err(format!(
                    "缴费基数 {wage} 不在 {} 至 {} 之间",
                    period.base_lower, period.base_upper
                )));
            }
        }
        let on_roster = people::set_declared_wage(
            self.conn,
            self.unit_id(),
            &document_type,
            &document_no,
            wage.fen(),
        )?;
        if !on_roster && rules {
            return Ok(Err("此人未在本单位参保".into()));
        }
        Ok(Ok(()))
    }

    fn unit_change(&self, item: UnitChangeItem) -> Result<Verdict, DbError> {
        for (field, value) in &item.changes {
            units::apply_change(self.conn, self.unit_id(), field, value)?;
        }
        Ok(Ok(()))
    }

    fn person_change(&self, item: PersonChangeItem, rules: bool) -> Result<Verdict, DbError> {
        let (document_type, document_no) =
            match self.document(&item.document_type, &item.document_no) {
                Ok(document) => document,
                Err(reason) => return Ok(Err(reason)),
            };
        let here =
            people::insured_at(self.conn, &document_type, &document_no)? == Some(self.unit_id());
        if !here && rules {
            return Ok(Err("此人未在本单位参保，不能修改其信息".into()));
        }
        if let Some(name) = item.changes.get("name") {
            people::rename(
                self.conn,
                self.unit_id(),
                &document_type,
                &document_no,
                name,
            )?;
        }
        if let Some((_, details)) = people::person(self.conn, &document_no)? {
            let mut details: Map<String, Value> =
                serde_json::from_str(&details).unwrap_or_default();
            for (field, value) in &item.changes {
                details.insert(field.clone(), Value::String(value.clone()));
            }
            let name = details
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let details = Value::Object(details).to_string();
            people::remember_person(
                self.conn,
                &document_type,
                &document_no,
                &name,
                &details,
                self.now,
            )?;
        }
        Ok(Ok(()))
    }
}

/// Processes, with the agency's rules, each declaration submitted at least `delay` ago: it
/// becomes `processing` on one pass and finished on the next, so clients see both states.
pub fn process_due(app: &crate::app::App, delay: Duration) -> Result<usize, ProcessError> {
    let now = app.now();
    let today = app.clock.today();
    let waiting = app.db.read(declarations::waiting)?;
    let mut done = 0;
    for (declaration, _) in waiting {
        if declaration.state == state::PROCESSING {
            let id = declaration.id;
            let result = app
                .db
                .write(|tx| finish(tx, &app.reference, id, &Decision::Rules, today, now));
            match result {
                Ok(processed) => {
                    tracing::info!(
                        declaration = id,
                        state = processed.state,
                        "declaration processed"
                    );
                    done += 1;
                }
                // Someone (the operator) finished it meanwhile.
                Err(ProcessError::AlreadyFinished { .. }) => {}
                Err(error) => return Err(error),
            }
        } else if declaration.submitted_at + delay.as_secs() as i64 <= now {
            app.db.write(|tx| start(tx, declaration.id, now))?;
        }
    }
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
        let _ = blocking(&app, move |app| {
            process_due(app, delay).map_err(|error| {
                tracing::error!(%error, "automatic processing failed");
                crate::problem::Problem::internal()
            })
        })
        .await;
    }
}
