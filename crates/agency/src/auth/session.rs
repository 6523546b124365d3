//! The session behind `Authorization: Bearer <token>`, as axum extractors.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use super::{TOKEN_IDLE_LIFE, TOKEN_TOUCH_INTERVAL, token};
use crate::app::AppState;
use crate::problem::Problem;

/// A valid session, whether or not its unit still has to change its initial password.
#[derive(Debug, Clone)]
pub struct Session {
    pub unit_id: i64,
    pub token_digest: Vec<u8>,
    pub must_change_password: bool,
}

/// A session allowed to do business: its unit has chosen its own password.
#[derive(Debug, Clone)]
pub struct ActiveSession(pub Session);

impl ActiveSession {
    pub fn unit_id(&self) -> i64 {
        self.0.unit_id
    }
}

fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

impl FromRequestParts<AppState> for Session {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Problem> {
        let token = bearer(parts).ok_or_else(Problem::unauthenticated)?;
        let digest = token::digest(token);
        let now = app.now();
        let Some(found) = app.storage.session(digest.clone()).await? else {
            return Err(Problem::unauthenticated());
        };
        if now - found.last_used_at > TOKEN_IDLE_LIFE {
            app.storage.end_session(digest).await?;
            return Err(Problem::unauthenticated());
        }
        if now - found.last_used_at >= TOKEN_TOUCH_INTERVAL {
            app.storage.touch_session(digest.clone(), now).await?;
        }
        Ok(Session {
            unit_id: found.unit_id,
            token_digest: digest,
            must_change_password: found.password_is_initial,
        })
    }
}

impl FromRequestParts<AppState> for ActiveSession {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Problem> {
        let session = Session::from_request_parts(parts, app).await?;
        if session.must_change_password {
            return Err(Problem::password_change_required());
        }
        Ok(ActiveSession(session))
    }
}
