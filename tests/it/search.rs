//! Tests: search.
