//! The HTTP surface: API v1 under `/api/v1`.

mod announcements;
mod body;
mod declarations;
mod login;
mod unit;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::{MethodRouter, get, post, put};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::app::AppState;
use crate::problem::Problem;

// The decoding of request bodies, reachable without a running server for the fuzz targets.
pub use declarations::judge_body;
pub use login::{ChallengeRequest, LoginRequest, PasswordChange};

/// The hand-written OpenAPI description of API v1, kept in the repository.
pub const OPENAPI: &str = include_str!("../../openapi.json");

/// Every endpoint of API v1: (method as named in OpenAPI, path under `/api/v1`, handler). The
/// router is built from this list, and a test checks the OpenAPI document against it.
fn endpoints() -> Vec<(&'static str, &'static str, MethodRouter<AppState>)> {
    vec![
        ("post", "/login/challenge", post(login::challenge)),
        ("post", "/login", post(login::login)),
        ("post", "/logout", post(login::logout)),
        ("put", "/password", put(login::change_password)),
        ("get", "/reference", get(unit::reference)),
        ("get", "/unit", get(unit::unit)),
        ("get", "/employees", get(unit::employees)),
        ("get", "/persons/{id_number}", get(unit::person)),
        ("get", "/dues", get(unit::dues)),
        ("post", "/declarations", post(declarations::submit)),
        ("get", "/declarations/changes", get(declarations::changes)),
        (
            "post",
            "/declarations/{id}/viewed",
            post(declarations::viewed),
        ),
        ("get", "/announcements", get(announcements::list)),
        (
            "get",
            "/announcements/{id}/attachments/{name}",
            get(announcements::attachment),
        ),
        ("get", "/openapi.json", get(openapi)),
    ]
}

/// (method, full path) of every route the server answers.
pub fn routes() -> Vec<(&'static str, String)> {
    endpoints()
        .into_iter()
        .map(|(method, path, _)| (method, format!("/api/v1{path}")))
        .collect()
}

pub fn router(app: AppState) -> Router {
    let body_limit = app.limits.max_body_bytes;
    let timeout = app.limits.request_timeout;
    let api = endpoints()
        .into_iter()
        .fold(Router::new(), |api, (_, path, handler)| {
            api.route(path, handler)
        });
    Router::new()
        .nest("/api/v1", api)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .with_state(app)
}

/// The span of a request: method and path without the query string, and with a person's
/// identity number (the only one a path can carry) replaced by its placeholder.
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let path = loggable_path(request.uri().path());
    tracing::info_span!("request", method = %request.method(), path)
}

fn loggable_path(path: &str) -> &str {
    const PERSONS: &str = "/api/v1/persons/";
    if path.starts_with(PERSONS) {
        "/api/v1/persons/{id_number}"
    } else {
        path
    }
}

async fn openapi() -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], OPENAPI)
}

async fn not_found() -> Problem {
    Problem::not_found()
}

async fn method_not_allowed() -> Problem {
    Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method-not-allowed",
        "Method not allowed",
        "this resource does not answer that method",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logged_paths_carry_no_identity_number() {
        assert_eq!(
            loggable_path("/api/v1/persons/11010519491231002X"),
            "/api/v1/persons/{id_number}"
        );
        assert_eq!(loggable_path("/api/v1/unit"), "/api/v1/unit");
    }

    #[test]
    fn the_openapi_document_is_json_and_names_every_route() {
        let document: serde_json::Value = serde_json::from_str(OPENAPI).expect("valid JSON");
        for (method, path) in routes() {
            assert!(
                document["paths"][&path][method].is_object(),
                "{method} {path} missing from openapi.json"
            );
        }
    }
}
