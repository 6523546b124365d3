//! The session behind `Authorization: Bearer <token>`, as axum extractors.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use super::{TOKEN_IDLE_LIFE, TOKEN_TOUCH_INTERVAL, token};
use crate::app::{AppState, blocking};
use crate::db::{sessions, units};
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
        blocking(app, move |app| {
            let now = app.now();
            let found = app.db.read(|conn| -> Result<_, Problem> {
                let Some((unit_id, last_used)) = sessions::token(conn, &digest)? else {
                    return Ok(None);
                };
                let unit = units::by_id(conn, unit_id)?;
                Ok(unit.map(|unit| (unit_id, last_used, unit.password_is_initial)))
            })?;
            let Some((unit_id, last_used, must_change_password)) = found else {
                return Err(Problem::unauthenticated());
            };
            if now - last_used > TOKEN_IDLE_LIFE {
                app.db.write(|tx| sessions::delete_token(tx, &digest))?;
                return Err(Problem::unauthenticated());
            }
            if now - last_used >= TOKEN_TOUCH_INTERVAL {
                app.db.write(|tx| sessions::touch_token(tx, &digest, now))?;
            }
            Ok(Session {
                unit_id,
                token_digest: digest,
                must_change_password,
            })
        })
        .await
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
