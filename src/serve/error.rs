//! What a request that fails gets: a status and `{"error": "…", "at": column}`, where
//! `at` (the 1-based column in `q`) is there only for a query syntax error. Overload gets
//! `Retry-After`. No error carries a stack trace or a path of the server's machine.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

/// Seconds a client is asked to wait when the server is busy.
pub const RETRY_AFTER_SECS: u64 = 1;

/// A failed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// A sentence for the user.
    pub message: String,
    /// The column of a query syntax error.
    pub at: Option<usize>,
}

#[derive(Serialize)]
struct Body<'a> {
    error: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    at: Option<usize>,
}

impl ApiError {
    /// 400: the request is wrong.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
            at: None,
        }
    }

    /// 400 for a query that does not parse, with the column of the problem.
    pub fn syntax(error: &crate::search::parse::ParseError) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: format!("syntax error: {}", error.message),
            at: Some(error.column()),
        }
    }

    /// 404: nothing has this name.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
            at: None,
        }
    }

    /// 503 with `Retry-After`: every worker is busy, or a search ran out of time.
    pub fn busy(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            message: message.into(),
            at: None,
        }
    }

    /// The index could not be read. The cause goes to the log, not to the client: it
    /// names paths of the server's machine. It is reported as unavailable (503), since
    /// an index being swapped or repaired comes back.
    pub fn index(error: &dyn std::fmt::Display) -> ApiError {
        tracing::error!(target: "quorum::serve", "{error}");
        ApiError::busy("the index cannot be read at the moment")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body {
            error: &self.message,
            at: self.at,
        };
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE
            || self.status == StatusCode::TOO_MANY_REQUESTS
        {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECS));
        }
        response
    }
}

impl From<crate::search::Error> for ApiError {
    fn from(error: crate::search::Error) -> ApiError {
        use crate::search::Error;
        match error {
            Error::Syntax(parse) => ApiError::syntax(&parse),
            Error::Deadline => ApiError::busy("the search took too long and was stopped"),
            Error::Index(e) => ApiError::index(&e),
            Error::Tantivy(e) => ApiError::index(&e),
            Error::Lexicon(e) => ApiError::index(&e),
            Error::Failed(e) => ApiError::index(&e),
        }
    }
}

/// The message of a response that left the router without a body of its own (axum's
/// 405, tower-http's timeout and body limit), so that every error is JSON.
pub fn message_for(status: StatusCode) -> &'static str {
    match status {
        StatusCode::METHOD_NOT_ALLOWED => "method not allowed: the API only reads (GET)",
        StatusCode::PAYLOAD_TOO_LARGE => "request bodies are refused: the API only reads (GET)",
        StatusCode::SERVICE_UNAVAILABLE => "the request took too long",
        StatusCode::REQUEST_TIMEOUT => "the request took too long",
        StatusCode::NOT_FOUND => "no such page",
        _ => "the request failed",
    }
}
