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
use crate::app::{App, AppState, cpu};
use crate::auth::card_key::{self, CardKeyAlgorithm};
use crate::auth::session::Session;
use crate::auth::{self, password, token};
use crate::captcha;
use crate::clock::to_wire;
use crate::problem::Problem;
use crate::storage::{Challenge, UnitRecord};

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

/// The login rate limits: per client address, then per unit number, each counted in the
/// database so that they hold across every server process.
async fn rate_limit(app: &App, address: SocketAddr, unit_no: &str) -> Result<(), Problem> {
    let now = app.now();
    let checks = [
        (
            "address",
            address.ip().to_string(),
            app.limits.login_per_address,
        ),
        ("unit", unit_no.to_owned(), app.limits.login_per_unit),
    ];
    for (scope, key, limit) in checks {
        let (window_start, wait) = limit.window(now);
        let calls = app
            .storage
            .count_login_call(scope, key, window_start)
            .await?;
        if !limit.admits(calls) {
            tracing::warn!(%address, unit_no, "login rate limit reached");
            return Err(Problem::too_many(
                "login-rate-limited",
                "Too many login attempts",
                wait,
            ));
        }
    }
    Ok(())
}

pub async fn challenge(
    State(app): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    JsonBody(request): JsonBody<ChallengeRequest>,
) -> Result<Json<ChallengeResponse>, Problem> {
    check_unit_no(&request.unit_no)?;
    rate_limit(&app, address, &request.unit_no).await?;
    let text = app.test_captcha.clone();
    let (text, png) = cpu(move || {
        let mut rng = rand::thread_rng();
        let text = text.unwrap_or_else(|| captcha::random_text(&mut rng));
        let png = captcha::render(&text, &mut rng).map_err(|error| {
            tracing::error!(%error, "captcha rendering failed");
            Problem::internal()
        })?;
        Ok((text, png))
    })
    .await?;
    let mut nonce = vec![0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let now = app.now();
    let challenge = Challenge {
        id: token::challenge_id(),
        unit_no: request.unit_no,
        nonce,
        captcha: text,
        expires_at: now + auth::CHALLENGE_LIFE,
    };
    let answer = ChallengeResponse {
        challenge_id: challenge.id.clone(),
        nonce: BASE64.encode(&challenge.nonce),
        captcha_png: BASE64.encode(png),
        expires_at: wire_time(challenge.expires_at),
    };
    app.storage.insert_challenge(challenge, now).await?;
    Ok(Json(answer))
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
    rate_limit(&app, address, &request.unit_no).await?;
    let now = app.now();
    // Taking the challenge uses it up, whatever happens next.
    let challenge = app
        .storage
        .take_challenge(request.challenge_id.clone())
        .await?
        .filter(|c| c.expires_at >= now && c.unit_no == request.unit_no)
        .ok_or_else(challenge_invalid)?;
    if !captcha::matches(&challenge.captcha, &request.captcha) {
        tracing::info!(unit_no = %request.unit_no, "login refused: captcha mismatch");
        return Err(captcha_mismatch());
    }
    let unit = app.storage.unit_by_number(request.unit_no.clone()).await?;
    if let Some(until) = unit
        .as_ref()
        .and_then(|u| u.locked_until)
        .filter(|&t| t > now)
    {
        tracing::info!(unit_no = %request.unit_no, "login refused: unit locked");
        return Err(locked(until - now));
    }
    let Some(unit) = unit else {
        let typed = request.password.clone();
        cpu(move || {
            password::verify_nothing(&typed);
            Ok(())
        })
        .await?;
        tracing::info!(unit_no = %request.unit_no, "login refused: no such unit");
        return Err(Problem::login_failed());
    };
    let (key, algorithm, typed, stored) = (
        unit.card_public_key.clone(),
        unit.card_key_algorithm,
        request.password.clone(),
        unit.password_hash.clone(),
    );
    // Only the kind of key registered for the unit is checked: a signature of the other
    // kind fails as any wrong signature does.
    let kind_ok = request.signature_algorithm == algorithm;
    let signature = request.card_signature.clone();
    let (signature_ok, password_ok) = cpu(move || {
        let signature_ok = kind_ok
            && BASE64
                .decode(signature.trim())
                .map(|sig| card_key::signature_matches(algorithm, &key, &challenge.nonce, &sig))
                .unwrap_or(false);
        Ok((signature_ok, password::verify(&typed, &stored)))
    })
    .await?;
    if !(signature_ok && password_ok) {
        let failures = app
            .storage
            .record_login_failure(unit.id, now, auth::LOCKOUT)
            .await?;
        tracing::info!(
            unit_no = %request.unit_no,
            failures = failures.count,
            signature_ok,
            "login refused: wrong password or card signature"
        );
        return Err(Problem::login_failed());
    }
    let token = token::generate();
    app.storage
        .start_session(
            unit.id,
            token::digest(&token),
            now,
            now - auth::TOKEN_IDLE_LIFE,
        )
        .await?;
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
    app.storage.end_session(session.token_digest).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn change_password(
    State(app): State<AppState>,
    session: Session,
    JsonBody(change): JsonBody<PasswordChange>,
) -> Result<impl IntoResponse, Problem> {
    let unit = app
        .storage
        .unit_by_id(session.unit_id)
        .await?
        .ok_or_else(Problem::unauthenticated)?;
    let stored = unit.password_hash.clone();
    let hash = cpu(move || {
        if !password::verify(&change.old_password, &stored) {
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
        password::hash(&change.new_password).map_err(|error| {
            tracing::error!(%error, "password hashing failed");
            Problem::internal()
        })
    })
    .await?;
    // Other sessions of the unit end; this one goes on.
    app.storage
        .change_password(unit.id, hash, session.token_digest)
        .await?;
    tracing::info!(unit_no = %unit.record.unit_no, "password changed");
    Ok(StatusCode::NO_CONTENT)
}
