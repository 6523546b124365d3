//! `GET /reference`, `GET /unit`, `GET /employees`, `GET /persons/{id_number}`, `GET /dues`.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use shebao_core::id::{DocumentNumber, DocumentType};
use shebao_core::money::Money;
use shebao_core::month::Month;

use crate::app::AppState;
use crate::auth::session::ActiveSession;
use crate::dues;
use crate::problem::Problem;
use crate::storage::UnitRecord;

pub async fn reference(State(app): State<AppState>, _session: ActiveSession) -> impl IntoResponse {
    (
        [(CONTENT_TYPE, "application/json")],
        app.reference_json.clone(),
    )
}

pub async fn unit(
    State(app): State<AppState>,
    session: ActiveSession,
) -> Result<Json<UnitRecord>, Problem> {
    app.storage
        .unit_by_id(session.unit_id())
        .await?
        .map(|unit| Json(unit.record))
        .ok_or_else(Problem::not_found)
}

#[derive(Debug, Deserialize)]
pub struct Page {
    pub after: Option<String>,
    pub limit: Option<u32>,
}

#[derive(Debug, Serialize)]
pub struct Employee {
    document_type: String,
    document_no: String,
    name: String,
    wage: Money,
    insurance_types: Vec<String>,
    insured_from: String,
}

#[derive(Debug, Serialize)]
pub struct EmployeePage {
    employees: Vec<Employee>,
    /// The cursor for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<String>,
}

/// Parses an opaque numeric cursor; absent means "from the start".
pub fn cursor(after: Option<&str>) -> Result<i64, Problem> {
    match after.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(0),
        Some(text) => text.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| {
            Problem::bad_request("the cursor `after` is not one this server gave out")
        }),
    }
}

pub fn page_size(limit: Option<u32>, default: u32, max: u32) -> Result<u32, Problem> {
    match limit {
        None => Ok(default),
        Some(n) if (1..=max).contains(&n) => Ok(n),
        Some(_) => Err(Problem::bad_request(format!(
            "limit must be between 1 and {max}"
        ))),
    }
}

pub async fn employees(
    State(app): State<AppState>,
    session: ActiveSession,
    Query(page): Query<Page>,
) -> Result<Json<EmployeePage>, Problem> {
    let after = cursor(page.after.as_deref())?;
    let limit = page_size(page.limit, 500, 5000)?;
    let rows = app
        .storage
        .roster_page(session.unit_id(), after, limit)
        .await?;
    let next = (rows.len() == limit as usize)
        .then(|| rows.last().map(|(id, _)| id.to_string()))
        .flatten();
    let employees = rows
        .into_iter()
        .map(|(_, entry)| Employee {
            document_type: entry.document_type,
            document_no: entry.document_no,
            name: entry.name,
            wage: Money::from_fen(entry.declared_wage_fen),
            insurance_types: entry.insurance_types,
            insured_from: entry.insured_from,
        })
        .collect();
    Ok(Json(EmployeePage { employees, next }))
}

pub async fn person(
    State(app): State<AppState>,
    session: ActiveSession,
    Path(id_number): Path<String>,
) -> Result<Json<Value>, Problem> {
    if id_number.trim().is_empty() || id_number.len() > 40 {
        return Err(Problem::not_found());
    }
    let now = app.now();
    // Stored numbers are canonical: 18 characters, upper-case X.
    let number = DocumentNumber::parse_on(DocumentType::ResidentId, &id_number, app.clock.today())
        .map(|n| n.as_str().to_owned())
        .unwrap_or_else(|_| id_number.trim().to_ascii_uppercase());
    let found = app
        .storage
        .look_up_person(session.unit_id(), number.clone(), now)
        .await?;
    // The audit table has the number; the log line must not.
    tracing::info!(
        unit_id = session.unit_id(),
        found = found.is_some(),
        "person look-up"
    );
    let (document_type, details) = found.ok_or_else(Problem::not_found)?;
    let mut person: Map<String, Value> = serde_json::from_str(&details).unwrap_or_default();
    person.insert("document_type".into(), Value::String(document_type));
    person.insert("document_no".into(), Value::String(number));
    Ok(Json(Value::Object(person)))
}

#[derive(Debug, Deserialize)]
pub struct DuesRange {
    from: String,
    to: String,
}

#[derive(Debug, Serialize)]
pub struct Due {
    month: String,
    insurance_type: String,
    base: Money,
    unit_share: Money,
    personal_share: Money,
    status: &'static str,
}

#[derive(Debug, Serialize)]
pub struct DuesResponse {
    dues: Vec<Due>,
}

/// The longest range one dues request may span.
const MAX_DUES_MONTHS: i32 = 120;

pub async fn dues(
    State(app): State<AppState>,
    session: ActiveSession,
    Query(range): Query<DuesRange>,
) -> Result<Json<DuesResponse>, Problem> {
    let month = |text: &str| {
        Month::parse(text).map_err(|_| Problem::bad_request("from and to must be months, YYYY-MM"))
    };
    let (from, to) = (month(&range.from)?, month(&range.to)?);
    if to < from || from.months_until(to) >= MAX_DUES_MONTHS {
        return Err(Problem::bad_request(format!(
            "to must not be before from, and the range at most {MAX_DUES_MONTHS} months"
        )));
    }
    let dues = dues::for_range(&app.storage, &app.reference, session.unit_id(), from, to).await?;
    Ok(Json(DuesResponse {
        dues: dues
            .into_iter()
            .map(|d| Due {
                month: d.month,
                insurance_type: d.insurance_type,
                base: Money::from_fen(d.base_fen),
                unit_share: Money::from_fen(d.unit_share_fen),
                personal_share: Money::from_fen(d.personal_share_fen),
                status: if d.paid { "paid" } else { "owed" },
            })
            .collect(),
    }))
}
