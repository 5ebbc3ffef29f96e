//! `quorum serve`: the HTTP API and the search page, on the same engine as `quorum
//! search`.
//!
//! axum routes on tokio; each search runs on a blocking thread behind a bounded pool
//! ([`state`]), with a deadline its collector checks between segments. hyper bounds
//! the time to read a request's headers, [`room`] the open connections (a full house
//! closes the one that has waited longest for its first request), tower-http the time
//! to answer a request, and the
//! server answers only `GET`s of its fixed routes: no body is read, no file served but
//! the embedded page. Errors are JSON ([`error`]); every request is logged with
//! `tracing` (method, path, status, microseconds) under `quorum::serve`.
//!
//! ```no_run
//! use std::sync::Arc;
//! use quorum::index::store::Store;
//! use quorum::serve::{self, state::{Limits, State}};
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let state = Arc::new(State::open(Store::new("index"), Limits::default())?);
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! serve::serve(listener, serve::router(state), serve::Timeouts::default()).await?;
//! # Ok(()) }
//! ```

pub mod error;
pub mod handlers;
pub mod params;
pub mod paths;
pub mod room;
pub mod state;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, HttpBody};
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;

use error::ApiError;
use state::State;

/// The time bounds of a connection.
#[derive(Clone, Copy, Debug)]
pub struct Timeouts {
    /// To read a request's headers, from its first byte (hyper's header-read timeout):
    /// a client that sends them slowly, or opens a connection and sends nothing, is
    /// dropped.
    pub headers: Duration,
    /// To answer a request once it is read (tower-http's timeout): a 503.
    pub request: Duration,
}

impl Default for Timeouts {
    fn default() -> Timeouts {
        Timeouts {
            headers: Duration::from_secs(10),
            request: Duration::from_secs(15),
        }
    }
}

/// Open connections at most. When they are all taken, the one that has waited longest
/// for its first request is closed to make room ([`room`]); when every one has sent a
/// request, the accept loop waits.
pub const MAX_CONNECTIONS: usize = 1024;

/// The routes, with every layer but hyper's.
pub fn router(state: Arc<State>) -> Router {
    router_with(state, Timeouts::default().request)
}

/// [`router`] with another request timeout.
pub fn router_with(state: Arc<State>, request_timeout: Duration) -> Router {
    Router::new()
        .route("/", get(handlers::page))
        .route("/page.css", get(handlers::page_css))
        .route("/page.js", get(handlers::page_js))
        .route("/api/search", get(handlers::search))
        .route("/api/doc", get(handlers::doc))
        .route("/api/stats", get(handlers::stats))
        .route("/healthz", get(handlers::healthz))
        .fallback(handlers::not_found)
        .with_state(state)
        .layer(CompressionLayer::new().gzip(true))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            request_timeout,
        ))
        .layer(middleware::from_fn(refuse_bodies))
        .layer(middleware::from_fn(json_errors))
        .layer(middleware::from_fn(log))
        // The last guard: no path of quorum's should panic, and none may leave a
        // stack trace or a dropped connection when one does.
        .layer(CatchPanicLayer::custom(|_| {
            tracing::error!(target: "quorum::serve", "a request panicked");
            ApiError::busy("the request failed").into_response()
        }))
}

/// Serves `router` on `listener` until the process ends.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    timeouts: Timeouts,
) -> std::io::Result<()> {
    serve_in(listener, router, timeouts, room::Room::new(MAX_CONNECTIONS)).await
}

/// [`serve`] with the connections bounded by `room`.
pub async fn serve_in(
    listener: tokio::net::TcpListener,
    router: Router,
    timeouts: Timeouts,
    room: room::Room,
) -> std::io::Result<()> {
    loop {
        let slot = room.slot().await;
        let (stream, _) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors and the like: close a connection that sent
                // nothing, and wait rather than spin.
                tracing::warn!(target: "quorum::serve", "accepting a connection: {e}");
                room.make_room();
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let (seat, close) = room.seat(slot);
        let router = router.clone();
        tokio::spawn(async move {
            let seat = Arc::new(seat);
            let service = hyper::service::service_fn({
                let seat = Arc::clone(&seat);
                move |request: Request<hyper::body::Incoming>| {
                    seat.served();
                    tower::ServiceExt::oneshot(router.clone(), request)
                }
            });
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(timeouts.headers);
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                ended = connection => {
                    if let Err(e) = ended {
                        tracing::debug!(target: "quorum::serve", "connection ended: {e}");
                    }
                }
                // Dropping the connection closes it: it had sent no request, so no
                // reply is cut.
                () = close.notified() => {}
            }
            drop(seat);
        });
    }
}

/// Refuses a request that carries a body (413): the API only reads.
async fn refuse_bodies(request: Request, next: Next) -> Response {
    let empty = request.body().size_hint().exact() == Some(0);
    if !empty {
        return ApiError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            message: error::message_for(StatusCode::PAYLOAD_TOO_LARGE).into(),
            at: None,
        }
        .into_response();
    }
    next.run(request).await
}

/// Gives a JSON body to an error that left a layer without one (axum's 405,
/// tower-http's timeout), with `Retry-After` on a 503.
async fn json_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error())
        || response.headers().contains_key(header::CONTENT_TYPE)
    {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    let mut json = ApiError {
        status,
        message: error::message_for(status).into(),
        at: None,
    }
    .into_response();
    // Keep the headers the layer set (`Allow` on a 405).
    for (name, value) in json.headers_mut().drain() {
        if let Some(name) = name {
            parts.headers.insert(name, value);
        }
    }
    let (_, body) = json.into_parts();
    Response::from_parts(parts, body)
}

/// Logs each request: method, path, status and microseconds.
async fn log(request: Request<Body>, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    tracing::info!(
        target: "quorum::serve",
        method = %method,
        path = %path,
        status = response.status().as_u16(),
        micros = started.elapsed().as_micros() as u64,
        "request"
    );
    response
}

/// True for a loopback address, which `quorum serve` binds unless told otherwise.
pub fn is_loopback(addr: &std::net::SocketAddr) -> bool {
    addr.ip().is_loopback()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::{build, store::Store};
    use state::Limits;
    use tower::ServiceExt;

    fn state(dir: &std::path::Path, limits: Limits) -> Arc<State> {
        let text = dir.join("a.txt");
        std::fs::write(&text, "Les contingents arrivent.").expect("write");
        let store = Store::new(dir.join("index"));
        build::run(&store, &build::Options::new(vec![text]), &mut build::Silent).expect("built");
        Arc::new(State::open(store, limits).expect("opens"))
    }

    fn get(path: &str) -> Request {
        Request::builder()
            .uri(path)
            .body(Body::empty())
            .expect("request")
    }

    #[tokio::test]
    async fn a_full_pool_answers_503_with_retry_after() {
        let dir = tempfile::tempdir().expect("temp dir");
        let limits = Limits {
            workers: 1,
            queue: 0,
            ..Limits::default()
        };
        let state = state(dir.path(), limits);
        let app = router(state.clone());
        // The only worker is held until the request below has been answered.
        let (release, held) = std::sync::mpsc::channel::<()>();
        let (started, running) = tokio::sync::oneshot::channel();
        let busy = tokio::spawn({
            let state = state.clone();
            async move {
                state
                    .run(move |_| {
                        let _ = started.send(());
                        let _ = held.recv();
                        Ok(())
                    })
                    .await
            }
        });
        running.await.expect("the worker runs");
        let response = app
            .clone()
            .oneshot(get("/api/search?q=contingents"))
            .await
            .expect("answers");
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            response.headers().get(header::RETRY_AFTER),
            Some(&axum::http::HeaderValue::from(error::RETRY_AFTER_SECS))
        );
        release.send(()).expect("release");
        busy.await.expect("joined").expect("ran");
        // Free again: the same request is answered.
        let response = app
            .oneshot(get("/api/search?q=contingents"))
            .await
            .expect("answers");
        assert_eq!(response.status(), StatusCode::OK);
    }

    #[tokio::test]
    async fn a_search_past_its_deadline_answers_503() {
        let dir = tempfile::tempdir().expect("temp dir");
        let limits = Limits {
            search_time: Duration::ZERO,
            ..Limits::default()
        };
        let response = router(state(dir.path(), limits))
            .oneshot(get("/api/search?q=contingents"))
            .await
            .expect("answers");
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(response.headers().contains_key(header::RETRY_AFTER));
    }
}
