//! Error answers as RFC 9457 problem documents (`application/problem+json`).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// The base of every problem type URI; the slug after it names the problem.
pub const TYPE_BASE: &str = "https://shebao.invalid/problems/";

/// One invalid field of one declaration item.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ItemError {
    /// The item's position in the declaration, counting from 1.
    pub item: usize,
    pub field: String,
    pub code: String,
    pub message: String,
}

/// A problem document and the status it is sent with.
#[derive(Debug, Clone)]
pub struct Problem {
    status: StatusCode,
    slug: &'static str,
    title: &'static str,
    detail: String,
    errors: Vec<ItemError>,
    retry_after: Option<u64>,
}

#[derive(Serialize)]
struct Body<'a> {
    #[serde(rename = "type")]
    kind: String,
    title: &'a str,
    status: u16,
    detail: &'a str,
    #[serde(skip_serializing_if = "<[ItemError]>::is_empty")]
    errors: &'a [ItemError],
}

impl Problem {
    pub fn new(
        status: StatusCode,
        slug: &'static str,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            status,
            slug,
            title,
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn slug(&self) -> &'static str {
        self.slug
    }

    /// 400: the request cannot be understood.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "bad-request",
            "The request is malformed",
            detail,
        )
    }

    /// 401: no valid session. Deliberately the same for a missing, unknown or expired token.
    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "Log in first",
            "the request carries no valid session token; it may have expired",
        )
    }

    /// 401: login refused. The same answer for an unknown unit, a wrong password and a bad card
    /// signature, so that none of them can be told apart.
    pub fn login_failed() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "login-failed",
            "Login failed",
            "the unit number, the password or the card signature is wrong",
        )
    }

    /// 403: the unit still has its initial password.
    pub fn password_change_required() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "password-change-required",
            "Change the initial password first",
            "the unit's password was set by the agency; change it with PUT /api/v1/password",
        )
    }

    /// 404: nothing here, or nothing that belongs to this unit.
    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "Not found",
            "there is no such resource",
        )
    }

    /// 422 with per-item errors.
    pub fn invalid_items(errors: Vec<ItemError>) -> Self {
        let detail = format!(
            "{} problem(s) in the declaration's items; nothing was stored",
            errors.len()
        );
        Self {
            errors,
            ..Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-items",
                "The declaration has invalid items",
                detail,
            )
        }
    }

    /// 429 with the seconds to wait.
    pub fn too_many(slug: &'static str, title: &'static str, retry_after: u64) -> Self {
        Self {
            retry_after: Some(retry_after.max(1)),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                slug,
                title,
                format!("try again in {} seconds", retry_after.max(1)),
            )
        }
    }

    /// 500: something failed on the agency's side; the cause goes to the log, not to the client.
    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "The agency server failed",
            "the request could not be completed; try again later",
        )
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let body = Body {
            kind: format!("{TYPE_BASE}{}", self.slug),
            title: self.title,
            status: self.status.as_u16(),
            detail: &self.detail,
            errors: &self.errors,
        };
        let json = serde_json::to_vec(&body).unwrap_or_default();
        let mut response = (self.status, json).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<crate::storage::StorageError> for Problem {
    fn from(error: crate::storage::StorageError) -> Self {
        tracing::error!(%error, "storage failure");
        Self::internal()
    }
}
