//! The typed client for every call of agency API v1.
//!
//! Errors never carry a URL: a person look-up puts an identity number in the path, and errors
//! end up in logs and on screen.

use std::path::PathBuf;
use std::time::Duration;

use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Result, SyncError};
use crate::problem::Problem;
use crate::wire::{
    Accepted, Announcement, ChallengeAnswer, ChallengeRequest, ChangesPage, LoginAnswer,
    LoginRequest, PasswordChange, RosterPage,
};

/// Where the agency is and how to trust it.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The agency's address, e.g. `https://127.0.0.1:8443` (`/api/v1` is added if missing).
    pub base_url: String,
    /// An extra CA certificate (PEM) to trust besides the system's roots.
    pub ca_file: Option<PathBuf>,
    /// How long one request may take in all.
    pub timeout: Duration,
    /// How long connecting may take.
    pub connect_timeout: Duration,
}

impl ClientConfig {
    /// The defaults for `base_url`.
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            ca_file: None,
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
        }
    }
}

/// A connection to the agency, with the session token once logged in.
#[derive(Debug, Clone)]
pub struct AgencyClient {
    http: reqwest::Client,
    base: String,
    token: Option<String>,
}

impl AgencyClient {
    /// A client for `config`; fails only if the CA file is unusable.
    pub fn new(config: &ClientConfig) -> Result<Self> {
        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .pool_idle_timeout(Duration::from_secs(30))
            .user_agent(concat!("shebao/", env!("CARGO_PKG_VERSION")));
        if let Some(path) = &config.ca_file {
            let pem = std::fs::read(path).map_err(|e| {
                SyncError::Setup(format!(
                    "the CA file {} cannot be read: {e}",
                    path.display()
                ))
            })?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
                SyncError::Setup(format!("the CA file {} is not PEM: {e}", path.display()))
            })?;
            if certs.is_empty() {
                return Err(SyncError::Setup(format!(
                    "the CA file {} holds no certificate",
                    path.display()
                )));
            }
            for cert in certs {
                builder = builder.add_root_certificate(cert);
            }
        }
        let http = builder
            .build()
            .map_err(|e| SyncError::Setup(e.without_url().to_string()))?;
        let mut base = config.base_url.trim_end_matches('/').to_owned();
        if !base.ends_with("/api/v1") {
            base.push_str("/api/v1");
        }
        Ok(Self {
            http,
            base,
            token: None,
        })
    }

    /// Use `token` for the calls that need a session.
    pub fn set_token(&mut self, token: Option<String>) {
        self.token = token;
    }

    /// The agency's API address, as the clerk's settings and the about page show it.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// Whether a token is set.
    pub fn has_token(&self) -> bool {
        self.token.is_some()
    }

    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let req = self.http.request(method, format!("{}{}", self.base, path));
        match &self.token {
            Some(t) => req.bearer_auth(t),
            None => req,
        }
    }

    fn authed(&self, method: Method, path: &str) -> Result<RequestBuilder> {
        if self.token.is_none() {
            return Err(SyncError::LoginRequired);
        }
        Ok(self.request(method, path))
    }

    /// `POST /login/challenge`
    pub async fn challenge(&self, unit_no: &str) -> Result<ChallengeAnswer> {
        let req = self
            .request(Method::POST, "/login/challenge")
            .json(&ChallengeRequest { unit_no });
        json(send(req).await?).await
    }

    /// `POST /login`
    pub async fn login(&self, body: &LoginRequest<'_>) -> Result<LoginAnswer> {
        let req = self.http.post(format!("{}/login", self.base)).json(body);
        json(send(req).await?).await
    }

    /// `POST /logout`
    pub async fn logout(&self) -> Result<()> {
        send(self.authed(Method::POST, "/logout")?).await.map(drop)
    }

    /// `PUT /password`
    pub async fn change_password(&self, old_password: &str, new_password: &str) -> Result<()> {
        let body = PasswordChange {
            old_password,
            new_password,
        };
        send(self.authed(Method::PUT, "/password")?.json(&body))
            .await
            .map(drop)
    }

    /// `GET /reference`
    pub async fn reference(&self) -> Result<Value> {
        json(send(self.authed(Method::GET, "/reference")?).await?).await
    }

    /// `GET /unit`
    pub async fn unit(&self) -> Result<Value> {
        json(send(self.authed(Method::GET, "/unit")?).await?).await
    }

    /// `GET /employees?after=&limit=`
    pub async fn employees(&self, after: Option<&str>, limit: u32) -> Result<RosterPage> {
        let mut query = vec![("limit", limit.to_string())];
        if let Some(a) = after {
            query.push(("after", a.to_owned()));
        }
        let v: Value =
            json(send(self.authed(Method::GET, "/employees")?.query(&query)).await?).await?;
        RosterPage::from_value(v).map_err(SyncError::Protocol)
    }

    /// `GET /persons/{id_number}`: what the agency knows of a person, `None` if nothing.
    pub async fn person(&self, id_number: &str) -> Result<Option<Value>> {
        let path = format!("/persons/{}", encode_segment(id_number));
        match send(self.authed(Method::GET, &path)?).await {
            Ok(resp) => Ok(Some(json(resp).await?)),
            Err(SyncError::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `GET /dues?from=&to=`
    pub async fn dues(&self, from: &str, to: &str) -> Result<Value> {
        let req = self
            .authed(Method::GET, "/dues")?
            .query(&[("from", from), ("to", to)]);
        json(send(req).await?).await
    }

    /// `POST /declarations` with the idempotency key; `body` is the JSON text of the
    /// declaration. 201 and 200 (key seen before) both mean the agency holds it.
    pub async fn submit(&self, idempotency_key: &str, body: String) -> Result<Accepted> {
        let req = self
            .authed(Method::POST, "/declarations")?
            .header("Idempotency-Key", idempotency_key)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
        json(send(req).await?).await
    }

    /// `GET /declarations/changes?after=&limit=`
    pub async fn changes(&self, after: Option<&str>, limit: u32) -> Result<ChangesPage> {
        let mut query = vec![("limit", limit.to_string())];
        if let Some(a) = after {
            query.push(("after", a.to_owned()));
        }
        json(
            send(
                self.authed(Method::GET, "/declarations/changes")?
                    .query(&query),
            )
            .await?,
        )
        .await
    }

    /// `POST /declarations/{id}/viewed`
    pub async fn mark_viewed(&self, remote_id: &str) -> Result<()> {
        let path = format!("/declarations/{}/viewed", encode_segment(remote_id));
        send(self.authed(Method::POST, &path)?).await.map(drop)
    }

    /// `GET /announcements?after=` (no session needed).
    pub async fn announcements(&self, after: Option<&str>) -> Result<Vec<Announcement>> {
        let mut req = self.request(Method::GET, "/announcements");
        if let Some(a) = after {
            req = req.query(&[("after", a)]);
        }
        json(send(req).await?).await
    }

    /// `GET /announcements/{id}/attachments/{name}`
    pub async fn attachment(&self, id: &str, name: &str) -> Result<Vec<u8>> {
        let path = format!(
            "/announcements/{}/attachments/{}",
            encode_segment(id),
            encode_segment(name)
        );
        let resp = send(self.request(Method::GET, &path)).await?;
        Ok(resp.bytes().await.map_err(transport)?.to_vec())
    }

    /// A raw JSON call, for tests and tools.
    pub async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T> {
        json(send(self.authed(Method::GET, path)?).await?).await
    }

    /// A raw JSON post, for tests and tools.
    pub async fn post_json<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T> {
        json(send(self.authed(Method::POST, path)?.json(body)).await?).await
    }
}

/// Percent-encode one path segment (identity numbers and ids are plain, but names need not be).
fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn transport(e: reqwest::Error) -> SyncError {
    let e = e.without_url();
    if e.is_decode() {
        return SyncError::Protocol(e.to_string());
    }
    // The chain below reqwest's error names the real cause (refused, reset, timed out, TLS).
    let mut reason = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        reason = format!("{reason}: {s}");
        source = s.source();
    }
    SyncError::NeedsConnection { reason }
}

async fn send(req: RequestBuilder) -> Result<Response> {
    let resp = req.send().await.map_err(transport)?;
    let status = resp.status();
    if status.is_success() {
        return Ok(resp);
    }
    let retry_after = resp
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let body = resp.bytes().await.map_err(transport)?;
    let problem = Problem::from_body(status.as_u16(), &body);
    Err(classify(status, problem, retry_after))
}

fn classify(status: StatusCode, problem: Problem, retry_after: Option<u64>) -> SyncError {
    let slug = problem.slug().to_owned();
    match status {
        StatusCode::UNAUTHORIZED if slug == "login-failed" => SyncError::LoginRefused,
        StatusCode::UNAUTHORIZED => SyncError::LoginRequired,
        StatusCode::FORBIDDEN if slug == "password-change-required" => {
            SyncError::PasswordChangeRequired
        }
        StatusCode::FORBIDDEN if slug == "wrong-password" => SyncError::WrongOldPassword,
        StatusCode::UNPROCESSABLE_ENTITY if slug == "weak-password" => SyncError::WeakPassword {
            reason: problem.detail,
        },
        StatusCode::NOT_FOUND => SyncError::NotFound,
        StatusCode::UNPROCESSABLE_ENTITY
            if !problem.errors.is_empty() || slug == "invalid-items" =>
        {
            SyncError::Invalid { problem }
        }
        StatusCode::TOO_MANY_REQUESTS => SyncError::LockedOut {
            retry_after: Duration::from_secs(retry_after.unwrap_or(15 * 60)),
        },
        _ if slug.contains("challenge") || slug.contains("captcha") => SyncError::ChallengeExpired,
        _ => SyncError::Agency { problem },
    }
}

async fn json<T: DeserializeOwned>(resp: Response) -> Result<T> {
    let bytes = resp.bytes().await.map_err(transport)?;
    serde_json::from_slice(&bytes).map_err(|e| SyncError::Protocol(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_map_to_errors_a_clerk_can_act_on() {
        let p = |slug: &str, status: u16| Problem {
            kind: format!("https://shebao.invalid/problems/{slug}"),
            status,
            ..Problem::default()
        };
        assert!(matches!(
            classify(StatusCode::UNAUTHORIZED, p("login-failed", 401), None),
            SyncError::LoginRefused
        ));
        assert!(matches!(
            classify(StatusCode::UNAUTHORIZED, p("unauthenticated", 401), None),
            SyncError::LoginRequired
        ));
        assert!(matches!(
            classify(
                StatusCode::FORBIDDEN,
                p("password-change-required", 403),
                None
            ),
            SyncError::PasswordChangeRequired
        ));
        let locked = classify(StatusCode::TOO_MANY_REQUESTS, p("locked", 429), Some(600));
        assert!(locked.to_string().contains("10 minutes"), "{locked}");
        let server = classify(StatusCode::INTERNAL_SERVER_ERROR, p("internal", 500), None);
        assert!(server.is_transient());
        let invalid =
            Problem::from_body(422, include_bytes!("../tests/recorded/invalid_items.json"));
        assert!(matches!(
            classify(StatusCode::UNPROCESSABLE_ENTITY, invalid, None),
            SyncError::Invalid { .. }
        ));
    }

    #[test]
    fn path_segments_are_encoded() {
        assert_eq!(encode_segment("11010519491231002X"), "11010519491231002X");
        assert_eq!(encode_segment("通知 1.pdf"), "%E9%80%9A%E7%9F%A5%201.pdf");
    }

    #[test]
    fn the_api_path_is_added_once() {
        let c = AgencyClient::new(&ClientConfig::new("https://127.0.0.1:8443/")).unwrap();
        assert_eq!(c.base, "https://127.0.0.1:8443/api/v1");
        let c = AgencyClient::new(&ClientConfig::new("https://x/api/v1")).unwrap();
        assert_eq!(c.base, "https://x/api/v1");
    }
}
