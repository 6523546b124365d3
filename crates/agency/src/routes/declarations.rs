//! `POST /declarations`, `GET /declarations/changes`, `POST /declarations/{id}/viewed`.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use shebao_core::declaration::{DeclarationKind, Items, NewDeclaration};
use shebao_core::month::Month;
use shebao_core::reference::ReferenceData;
use shebao_core::state::DeclarationState;
use shebao_core::validate::Context;

use super::body::{CheckedJson, too_large};
use super::unit::{Page, cursor, page_size};
use crate::app::{AppState, cpu};
use crate::auth::session::ActiveSession;
use crate::clock::to_wire;
use crate::problem::{ItemError, Problem};
use crate::storage::{Declaration, Submission, Submitting, Viewing};

#[derive(Debug, Serialize)]
pub struct Submitted {
    id: i64,
    state: &'static str,
    submitted_at: String,
}

#[derive(Debug, Serialize)]
pub struct ItemOutcome {
    line: i64,
    outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ChangeEntry {
    id: i64,
    idempotency_key: String,
    kind: &'static str,
    period: String,
    state: &'static str,
    /// Present for finished declarations only.
    #[serde(skip_serializing_if = "Option::is_none")]
    viewed: Option<bool>,
    items: Vec<ItemOutcome>,
    updated_at: String,
}

#[derive(Debug, Serialize)]
pub struct ChangesFeed {
    changes: Vec<ChangeEntry>,
    next: String,
}

fn wire_time(seconds: i64) -> String {
    DateTime::from_timestamp(seconds, 0)
        .map(to_wire)
        .unwrap_or_default()
}

fn submitted(declaration: &Declaration) -> Submitted {
    Submitted {
        id: declaration.id,
        state: DeclarationState::Submitted.as_str(),
        submitted_at: wire_time(declaration.submitted_at),
    }
}

/// The longest idempotency key accepted; a UUID has 36 characters.
const MAX_KEY_LENGTH: usize = 64;

fn idempotency_key(headers: &HeaderMap) -> Result<String, Problem> {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .unwrap_or("");
    let well_formed = !key.is_empty()
        && key.len() <= MAX_KEY_LENGTH
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if !well_formed {
        return Err(Problem::bad_request(
            "the Idempotency-Key header must hold the declaration's UUID",
        ));
    }
    Ok(key.to_owned())
}

/// The envelope of the body, read before the items themselves so that the item count is known
/// before anything is built from them.
#[derive(Deserialize)]
struct Envelope<'a> {
    kind: &'a str,
    period: &'a str,
    #[serde(borrow)]
    items: Vec<&'a RawValue>,
}

fn envelope_error(field: &str, code: &str, message: String) -> Problem {
    Problem::invalid_items(vec![ItemError {
        item: 0,
        field: field.to_owned(),
        code: code.to_owned(),
        message,
    }])
}

pub async fn submit(
    State(app): State<AppState>,
    session: ActiveSession,
    headers: HeaderMap,
    CheckedJson(body): CheckedJson,
) -> Result<(StatusCode, Json<Submitted>), Problem> {
    let key = idempotency_key(&headers)?;
    let unit_id = session.unit_id();
    // A replay answers what the first submission answered, without judging the body again.
    if let Some(existing) = app.storage.declaration_by_key(unit_id, key.clone()).await? {
        return Ok((StatusCode::OK, Json(submitted(&existing))));
    }
    let (reference, today, max_items) = (
        app.reference.clone(),
        app.clock.today(),
        app.limits.max_items,
    );
    let (declaration, items) = cpu(move || judge_body(&reference, today, max_items, &body)).await?;
    let kind = declaration.kind();
    let outcome = app
        .storage
        .submit(Submitting {
            unit_id,
            idempotency_key: key,
            kind,
            period: declaration.period,
            items,
            now: app.now(),
        })
        .await?;
    match outcome {
        Submission::Created(created) => {
            tracing::info!(
                unit_id,
                declaration = created.id,
                kind = kind.as_str(),
                items = created.item_count,
                "declaration submitted"
            );
            Ok((StatusCode::CREATED, Json(submitted(&created))))
        }
        Submission::AlreadySubmitted(existing) => Ok((StatusCode::OK, Json(submitted(&existing)))),
    }
}

/// What `POST /declarations` makes of a body that passed the size and depth checks: the
/// declaration and each item's JSON, or the problem document the clerk gets. Free of the
/// server's state so that hostile bodies can be fed to it directly (the fuzz targets do).
pub fn judge_body(
    reference: &ReferenceData,
    today: NaiveDate,
    max_items: usize,
    body: &[u8],
) -> Result<(NewDeclaration, Vec<String>), Problem> {
    let envelope: Envelope<'_> = serde_json::from_slice(body).map_err(|error| {
        Problem::bad_request(format!(
            "the body must be {{kind, period, items: [...]}}: {error}"
        ))
    })?;
    if envelope.items.len() > max_items {
        return Err(too_large(format!(
            "a declaration holds at most {max_items} items; split it"
        )));
    }
    let Some(kind) = DeclarationKind::parse(envelope.kind) else {
        return Err(envelope_error(
            "kind",
            "unknown_kind",
            "kind must be hire, leave, wage, unit_change or person_change".into(),
        ));
    };
    let period = Month::parse(envelope.period)
        .map_err(|error| envelope_error("period", "invalid_period", error.to_string()))?;
    let declaration: NewDeclaration = match serde_json::from_slice(body) {
        Ok(declaration) => declaration,
        Err(error) => {
            // Find the items at fault, so the clerk learns which lines to fix.
            let malformed = malformed_items(kind, &envelope.items);
            if malformed.is_empty() {
                return Err(Problem::bad_request(format!(
                    "the declaration cannot be read: {error}"
                )));
            }
            return Err(Problem::invalid_items(malformed));
        }
    };
    let context = Context {
        reference,
        today,
        period,
    };
    let errors: Vec<ItemError> = declaration
        .errors(&context)
        .into_iter()
        .map(|p| ItemError {
            item: p.item,
            field: p.problem.field.into_owned(),
            code: p.problem.code.to_owned(),
            message: p.problem.message,
        })
        .collect();
    if !errors.is_empty() {
        return Err(Problem::invalid_items(errors));
    }
    let items = envelope
        .items
        .iter()
        .map(|raw| raw.get().to_owned())
        .collect();
    Ok((declaration, items))
}

fn malformed_items(kind: DeclarationKind, items: &[&RawValue]) -> Vec<ItemError> {
    items
        .iter()
        .enumerate()
        .filter_map(|(index, raw)| {
            let one = format!("[{}]", raw.get());
            Items::from_json(kind, &one).err().map(|error| ItemError {
                item: index + 1,
                field: String::new(),
                code: "malformed_item".into(),
                message: format!("the item does not have the fields of a {kind} item: {error}"),
            })
        })
        .collect()
}

pub async fn changes(
    State(app): State<AppState>,
    session: ActiveSession,
    Query(page): Query<Page>,
) -> Result<Json<ChangesFeed>, Problem> {
    let after = cursor(page.after.as_deref())?;
    let limit = page_size(page.limit, 100, 1000)?;
    let feed = app.storage.changes(session.unit_id(), after, limit).await?;
    let next = feed
        .last()
        .map_or(after, |c| c.declaration.change_seq)
        .to_string();
    let changes = feed
        .into_iter()
        .map(|change| {
            let d = change.declaration;
            ChangeEntry {
                viewed: d.is_finished().then_some(d.state.viewed()),
                id: d.id,
                idempotency_key: d.idempotency_key,
                kind: d.kind.as_str(),
                period: d.period.to_string(),
                state: d.state.as_str(),
                items: change
                    .outcomes
                    .into_iter()
                    .map(|judged| ItemOutcome {
                        line: judged.line,
                        outcome: judged.outcome.as_str(),
                        reason: judged.reason,
                    })
                    .collect(),
                updated_at: wire_time(d.updated_at),
            }
        })
        .collect();
    Ok(Json(ChangesFeed { changes, next }))
}

pub async fn viewed(
    State(app): State<AppState>,
    session: ActiveSession,
    Path(id): Path<String>,
) -> Result<StatusCode, Problem> {
    // An id that is not a number names nothing, like another unit's id.
    let id: i64 = id.parse().map_err(|_| Problem::not_found())?;
    match app
        .storage
        .mark_viewed(session.unit_id(), id, app.now())
        .await?
    {
        Viewing::Marked => Ok(StatusCode::NO_CONTENT),
        Viewing::NotFound => Err(Problem::not_found()),
        Viewing::NotFinished => Err(Problem::new(
            StatusCode::CONFLICT,
            "not-finished",
            "The declaration is not finished",
            "only a declaration the agency has finished can be marked viewed",
        )),
    }
}
