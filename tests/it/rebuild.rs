//! Tests: rebuild.
