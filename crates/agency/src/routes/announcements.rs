//! `GET /announcements`, `GET /announcements/{id}/attachments/{name}`.
//!
//! Announcements are public: the login screen lists them before anyone has logged in, and the
//! seed system lets their attachments be downloaded from there too.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderValue;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::unit::cursor;
use crate::app::AppState;
use crate::clock::to_wire;
use crate::problem::Problem;

#[derive(Debug, Deserialize)]
pub struct After {
    after: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Attachment {
    name: String,
    size: i64,
}

#[derive(Debug, Serialize)]
pub struct Announcement {
    id: i64,
    title: String,
    body: String,
    published_at: String,
    attachments: Vec<Attachment>,
}

/// The most announcements one answer carries.
const PAGE: u32 = 200;

pub async fn list(
    State(app): State<AppState>,
    Query(query): Query<After>,
) -> Result<Json<Vec<Announcement>>, Problem> {
    let after = cursor(query.after.as_deref())?;
    let list = app.storage.announcements(after, PAGE).await?;
    Ok(Json(
        list.into_iter()
            .map(|a| Announcement {
                id: a.id,
                title: a.title,
                body: a.body,
                published_at: chrono::DateTime::from_timestamp(a.published_at, 0)
                    .map(to_wire)
                    .unwrap_or_default(),
                attachments: a
                    .attachments
                    .into_iter()
                    .map(|(name, size)| Attachment { name, size })
                    .collect(),
            })
            .collect(),
    ))
}

pub async fn attachment(
    State(app): State<AppState>,
    Path((id, name)): Path<(String, String)>,
) -> Result<Response, Problem> {
    let id: i64 = id.parse().map_err(|_| Problem::not_found())?;
    let content = app
        .storage
        .attachment(id, name.clone())
        .await?
        .ok_or_else(Problem::not_found)?;
    let mut response = content.into_response();
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    // RFC 6266 with the RFC 8187 form, since attachment names are often Chinese.
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename*=UTF-8''{encoded}")) {
        headers.insert(CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
