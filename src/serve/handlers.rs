//! The endpoints: each reads its query string into a library request, runs it on the
//! bounded pool, and answers with the library's own JSON, paths made relative.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{RawQuery, State as Shared};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::error::ApiError;
use super::state::State;
use super::{params, paths};
use crate::index::stats::stats as index_stats;
use crate::lexicon::Lexicon;
use crate::search::show::documents;

/// `GET /api/search`: the same JSON object as `quorum search --json`.
pub async fn search(
    Shared(state): Shared<Arc<State>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let (mut request, capped) = params::search(raw.as_deref())?;
    let search_time = state.limits.search_time;
    let mut response = state
        .run(move |live| {
            request.deadline = Some(Instant::now() + search_time);
            let mut response = live.engine.search(&request)?;
            for hit in &mut response.hits {
                if let Some(path) = &hit.path {
                    hit.path = Some(paths::shown(live.root.as_deref(), path));
                }
            }
            Ok(response)
        })
        .await?;
    if !capped.is_empty() {
        response.notices.extend(capped);
        response.notice = response.notices.first().cloned();
    }
    Ok(Json(response).into_response())
}

/// `GET /api/doc?id=…&lang=`: the documents with that id, as `quorum show --json`
/// prints them; 404 when there is none.
pub async fn doc(
    Shared(state): Shared<Arc<State>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let (id, lang) = params::doc(raw.as_deref())?;
    let shown = state
        .run(move |live| {
            // Twins are aligned with the engine's table; without one, by passage count.
            let lexicon = live
                .engine
                .lexicon()
                .unwrap_or_else(|_| Arc::new(Lexicon::empty()));
            let mut shown = documents(live.engine.generation(), &id, lang.as_ref(), &lexicon)
                .map_err(|e| ApiError::index(&e))?;
            if shown.documents.is_empty() {
                return Err(ApiError::not_found(match &lang {
                    Some(lang) => format!("no document with id {id:?} in {lang}"),
                    None => format!("no document with id {id:?}"),
                }));
            }
            for doc in &mut shown.documents {
                if let Some(path) = &doc.path {
                    doc.path = Some(paths::shown(live.root.as_deref(), path));
                }
            }
            Ok(shown)
        })
        .await?;
    Ok(Json(shown).into_response())
}

/// `GET /api/stats`: the same as `quorum stats --json`, with the generation's name for
/// its folder and source paths relative to the indexed folder.
pub async fn stats(
    Shared(state): Shared<Arc<State>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    params::none(raw.as_deref())?;
    let stats = state
        .run(|live| {
            let mut stats =
                index_stats(live.engine.generation()).map_err(|e| ApiError::index(&e))?;
            stats.path = live.name.clone();
            for source in &mut stats.sources {
                source.path = paths::shown(live.root.as_deref(), &source.path);
            }
            Ok(stats)
        })
        .await?;
    Ok(Json(stats).into_response())
}

/// `GET /healthz`: 200 with the generation served, without touching the index.
pub async fn healthz(
    Shared(state): Shared<Arc<State>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    params::none(raw.as_deref())?;
    let name = state.peek().name.clone();
    Ok(Json(serde_json::json!({"status": "ok", "generation": name})).into_response())
}

/// The page's files, embedded in the binary.
const PAGE_HTML: &str = include_str!("page/index.html");
const PAGE_CSS: &str = include_str!("page/page.css");
const PAGE_JS: &str = include_str!("page/page.js");

/// What the page may load: its own files and API only, so that it never reaches the
/// network; links to official documents are plain navigation.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

fn asset(body: &'static str, content_type: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// `GET /`: the search page (its state is in the query string, read by the script).
pub async fn page() -> Response {
    asset(PAGE_HTML, "text/html; charset=utf-8")
}

/// `GET /page.css`.
pub async fn page_css() -> Response {
    asset(PAGE_CSS, "text/css; charset=utf-8")
}

/// `GET /page.js`.
pub async fn page_js() -> Response {
    asset(PAGE_JS, "text/javascript; charset=utf-8")
}

/// Any other path: a 404, whatever it names (nothing on disk is served), or a 400 for a
/// path that is not UTF-8 once decoded (`%FF`), which no page could have.
pub async fn not_found(uri: axum::http::Uri) -> ApiError {
    if !params::utf8_path(uri.path()) {
        return ApiError::bad_request("the path is not UTF-8 once decoded");
    }
    ApiError::not_found("no such page: the API is /api/search, /api/doc, /api/stats and /healthz")
}
