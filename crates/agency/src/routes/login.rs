//! `POST /login/challenge`, `POST /login`, `POST /logout`, `PUT /password`.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::DateTime;
use rand::RngCore;
use serde::{Deserialize, Serialize};

use super::body::JsonBody;
use crate::app::{App, AppState, blocking};
use crate::auth::card_key::{self, CardKeyAlgorithm};
use crate::auth::session::Session;
use crate::auth::{self, password, token};
use crate::captcha;
use crate::clock::to_wire;
use crate::db::units::{self, UnitRecord};
use crate::db::{DbError, sessions};
use crate::problem::Problem;

#[derive(Debug, Deserialize)]
pub struct ChallengeRequest {
    unit_no: String,
}

#[derive(Debug, Serialize)]
pub struct ChallengeResponse {
    challenge_id: String,
    nonce: String,
    captcha_png: String,
    expires_at: String,
}

#[derive(Debug, Deserialize)]
pub struct LoginRequest {
    challenge_id: String,
    unit_no: String,
    password: String,
    captcha: String,
    card_signature: String,
    /// The kind of signature: `sm2` (the card profile, and the default) or `ecdsa-p256`.
    #[serde(default)]
    signature_algorithm: CardKeyAlgorithm,
}

#[derive(Debug, Serialize)]
pub struct LoginResponse {
    token: String,
    expires_at: String,
    must_change_password: bool,
    unit: LoginUnit,
}

#[derive(Debug, Serialize)]
pub struct LoginUnit {
    unit_no: String,
    name: String,
    uscc: String,
}

#[derive(Debug, Deserialize)]
pub struct PasswordChange {
    old_password: String,
    new_password: String,
}

fn wire_time(seconds: i64) -> String {
    DateTime::from_timestamp(seconds, 0)
        .map(to_wire)
        .unwrap_or_default()
}

/// A unit number as the agency assigns them: ASCII digits, at most 20 (the card's file 01).
fn check_unit_no(unit_no: &str) -> Result<(), Problem> {
    if unit_no.is_empty() || unit_no.len() > 20 || !unit_no.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Problem::bad_request("unit_no must be 1 to 20 digits"));
    }
    Ok(())
}

fn rate_limit(app: &App, address: SocketAddr, unit_no: &str) -> Result<(), Problem> {
    let now = app.now();
    app.login_by_address
        .check(&address.ip().to_string(), now)
        .and_then(|()| app.login_by_unit.check(unit_no, now))
        .map_err(|wait| {
            tracing::warn!(%address, unit_no, "login rate limit reached");
            Problem::too_many("login-rate-limited", "Too many login attempts", wait)
        })
}

pub async fn challenge(
    State(app): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    JsonBody(request): JsonBody<ChallengeRequest>,
) -> Result<Json<ChallengeResponse>, Problem> {
    check_unit_no(&request.unit_no)?;
    rate_limit(&app, address, &request.unit_no)?;
    blocking(&app, move |app| {
        let mut rng = rand::thread_rng();
        let mut nonce = vec![0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let text = match &app.test_captcha {
            Some(text) => text.clone(),
            None => captcha::random_text(&mut rng),
        };
        let png = captcha::render(&text, &mut rng).map_err(|error| {
            tracing::error!(%error, "captcha rendering failed");
            Problem::internal()
        })?;
        let challenge = sessions::Challenge {
            id: token::challenge_id(),
            unit_no: request.unit_no,
            nonce,
            captcha: text,
            expires_at: app.now() + auth::CHALLENGE_LIFE,
        };
        app.db
            .write(|tx| sessions::insert_challenge(tx, &challenge, app.now()))?;
        Ok(Json(ChallengeResponse {
            challenge_id: challenge.id,
            nonce: BASE64.encode(&challenge.nonce),
            captcha_png: BASE64.encode(png),
            expires_at: wire_time(challenge.expires_at),
        }))
    })
    .await
}

fn challenge_invalid() -> Problem {
    Problem::new(
        StatusCode::UNAUTHORIZED,
        "challenge-invalid",
        "The login challenge is no longer valid",
        "the challenge is unknown, already used or expired; ask for a new one",
    )
}

fn captcha_mismatch() -> Problem {
    Problem::new(
        StatusCode::UNAUTHORIZED,
        "captcha-mismatch",
        "The captcha is wrong",
        "the characters typed do not match the picture; ask for a new challenge",
    )
}

pub async fn login(
    State(app): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    JsonBody(request): JsonBody<LoginRequest>,
) -> Result<Json<LoginResponse>, Problem> {
    check_unit_no(&request.unit_no)?;
    rate_limit(&app, address, &request.unit_no)?;
    blocking(&app, move |app| log_in(app, request)).await
}

fn log_in(app: &App, request: LoginRequest) -> Result<Json<LoginResponse>, Problem> {
    let now = app.now();
    // Taking the challenge uses it up, whatever happens next.
    let challenge = app
        .db
        .write(|tx| sessions::take_challenge(tx, &request.challenge_id))?
        .filter(|c| c.expires_at >= now && c.unit_no == request.unit_no)
        .ok_or_else(challenge_invalid)?;
    if !captcha::matches(&challenge.captcha, &request.captcha) {
        tracing::info!(unit_no = %request.unit_no, "login refused: captcha mismatch");
        return Err(captcha_mismatch());
    }
    let unit = app
        .db
        .read(|conn| units::by_number(conn, &request.unit_no))?;
    if let Some(until) = unit
        .as_ref()
        .and_then(|u| u.locked_until)
        .filter(|&t| t > now)
    {
        tracing::info!(unit_no = %request.unit_no, "login refused: unit locked");
        return Err(locked(until - now));
    }
    let Some(unit) = unit else {
        password::verify_nothing(&request.password);
        tracing::info!(unit_no = %request.unit_no, "login refused: no such unit");
        return Err(Problem::login_failed());
    };
    // Only the kind of key registered for the unit is checked: a signature of the other
    // kind fails as any wrong signature does.
    let signature_ok = request.signature_algorithm == unit.card_key_algorithm
        && BASE64
            .decode(request.card_signature.trim())
            .map(|sig| {
                card_key::signature_matches(
                    unit.card_key_algorithm,
                    &unit.card_public_key,
                    &challenge.nonce,
                    &sig,
                )
            })
            .unwrap_or(false);
    let password_ok = password::verify(&request.password, &unit.password_hash);
    if !(signature_ok && password_ok) {
        let failures = app.db.write(|tx| -> Result<u32, DbError> {
            let failures = units::record_failure(tx, unit.id, now, now - auth::LOCKOUT_WINDOW)?;
            if failures >= auth::LOCKOUT_FAILURES {
                units::lock(tx, unit.id, now + auth::LOCKOUT_DURATION)?;
            }
            Ok(failures)
        })?;
        tracing::info!(
            unit_no = %request.unit_no,
            failures,
            signature_ok,
            "login refused: wrong password or card signature"
        );
        return Err(Problem::login_failed());
    }
    let token = token::generate();
    app.db.write(|tx| -> Result<(), DbError> {
        units::clear_failures(tx, unit.id)?;
        sessions::delete_idle_tokens(tx, now - auth::TOKEN_IDLE_LIFE)?;
        sessions::insert_token(tx, &token::digest(&token), unit.id, now)
    })?;
    tracing::info!(unit_no = %request.unit_no, "login succeeded");
    let UnitRecord {
        unit_no,
        name,
        uscc,
        ..
    } = unit.record;
    Ok(Json(LoginResponse {
        token,
        expires_at: wire_time(now + auth::TOKEN_IDLE_LIFE),
        must_change_password: unit.password_is_initial,
        unit: LoginUnit {
            unit_no,
            name,
            uscc,
        },
    }))
}

fn locked(seconds: i64) -> Problem {
    Problem::too_many(
        "unit-locked",
        "The unit is locked after repeated failed logins",
        seconds.max(1) as u64,
    )
}

pub async fn logout(State(app): State<AppState>, session: Session) -> Result<StatusCode, Problem> {
    blocking(&app, move |app| {
        app.db
            .write(|tx| sessions::delete_token(tx, &session.token_digest))?;
        Ok(StatusCode::NO_CONTENT)
    })
    .await
}

pub async fn change_password(
    State(app): State<AppState>,
    session: Session,
    JsonBody(change): JsonBody<PasswordChange>,
) -> Result<impl IntoResponse, Problem> {
    blocking(&app, move |app| {
        let unit = app
            .db
            .read(|conn| units::by_id(conn, session.unit_id))?
            .ok_or_else(Problem::unauthenticated)?;
        if !password::verify(&change.old_password, &unit.password_hash) {
            return Err(Problem::new(
                StatusCode::FORBIDDEN,
                "wrong-password",
                "The old password is wrong",
                "type the unit's current password as old_password",
            ));
        }
        if let Some(reason) = password::weakness(&change.old_password, &change.new_password) {
            return Err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "weak-password",
                "The new password is not acceptable",
                reason,
            ));
        }
        let hash = password::hash(&change.new_password).map_err(|error| {
            tracing::error!(%error, "password hashing failed");
            Problem::internal()
        })?;
        app.db.write(|tx| -> Result<(), DbError> {
            units::set_password(tx, unit.id, &hash, false)?;
            // Other sessions of the unit end; this one goes on.
            sessions::delete_unit_tokens(tx, unit.id, Some(&session.token_digest))
        })?;
        tracing::info!(unit_no = %unit.record.unit_no, "password changed");
        Ok(StatusCode::NO_CONTENT)
    })
    .await
}
