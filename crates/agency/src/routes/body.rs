//! JSON request bodies, read within the limits and refused as problem documents.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use serde::de::DeserializeOwned;

use crate::app::AppState;
use crate::limits::nests_deeper_than;
use crate::problem::Problem;

/// A JSON body of type `T`.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

/// The raw bytes of a JSON body that passed the size, type and depth checks.
#[derive(Debug)]
pub struct CheckedJson(pub Bytes);

impl FromRequest<AppState> for CheckedJson {
    type Rejection = Problem;

    async fn from_request(req: Request, app: &AppState) -> Result<Self, Problem> {
        if let Some(content_type) = req.headers().get(CONTENT_TYPE) {
            let json = content_type
                .to_str()
                .map(|t| {
                    let essence = t.split(';').next().unwrap_or("").trim();
                    essence.eq_ignore_ascii_case("application/json")
                })
                .unwrap_or(false);
            if !json {
                return Err(Problem::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported-media-type",
                    "The body must be JSON",
                    "send the body as application/json in UTF-8",
                ));
            }
        }
        let bytes = Bytes::from_request(req, app).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large(format!(
                    "the body is larger than {} bytes",
                    app.limits.max_body_bytes
                ))
            } else {
                Problem::bad_request("the body could not be read")
            }
        })?;
        if nests_deeper_than(&bytes, app.limits.max_json_depth) {
            return Err(Problem::bad_request(format!(
                "the JSON nests deeper than {} levels",
                app.limits.max_json_depth
            )));
        }
        Ok(CheckedJson(bytes))
    }
}

impl<T: DeserializeOwned> FromRequest<AppState> for JsonBody<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, app: &AppState) -> Result<Self, Problem> {
        let CheckedJson(bytes) = CheckedJson::from_request(req, app).await?;
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|error| {
                Problem::bad_request(format!("the body is not the expected JSON: {error}"))
            })
    }
}

/// 413: the request is bigger than the agency accepts.
pub fn too_large(detail: String) -> Problem {
    Problem::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too-large",
        "The request is too large",
        detail,
    )
}
