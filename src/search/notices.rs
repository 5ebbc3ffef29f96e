//! Notices about filters that cannot match: a `lang:`, `type:` or `id:` value (in the
//! query or in the request's [`Filters`]) that no passage of the index has. A search that
//! answers nothing must say why, and list what the index does hold.

use std::collections::BTreeSet;

use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use super::parse::{FieldFilter, Node};
use super::response::Filters;
use crate::index::schema::Fields;
use crate::Lang;

/// How many values a notice lists before it says how many more there are.
const LISTED: usize = 12;

/// A notice for each filter value of `root` and `filters` that no passage has.
pub fn unknown_values(
    root: &Node,
    filters: &Filters,
    fields: &Fields,
    searcher: &Searcher,
) -> Vec<String> {
    let mut wanted: Vec<FieldFilter> = Vec::new();
    collect(root, &mut wanted);
    if let Some(lang) = &filters.lang {
        wanted.push(FieldFilter::Lang(lang.code().to_string()));
    }
    if let Some(kind) = &filters.doc_type {
        wanted.push(FieldFilter::Type(kind.clone()));
    }
    let mut notices = Vec::new();
    for filter in &wanted {
        let (field, value, what) = match filter {
            FieldFilter::Lang(code) => (
                fields.lang,
                Lang::parse(code).code().to_string(),
                "language",
            ),
            FieldFilter::Type(kind) => (fields.doc_type, kind.to_lowercase(), "document type"),
            FieldFilter::Id(id) => (fields.id, id.clone(), "id"),
            FieldFilter::Year { .. } | FieldFilter::Symbol(_) => continue,
        };
        let term = Term::from_field_text(field, &value);
        if super::terms::index_holds(searcher, &term) {
            continue;
        }
        let notice = match filter {
            FieldFilter::Id(_) => format!("no document has the id `{value}`"),
            _ => format!(
                "no passage has the {what} `{value}`; the index has {}",
                listing(&values(searcher, field))
            ),
        };
        if !notices.contains(&notice) {
            notices.push(notice);
        }
    }
    notices
}

fn collect(node: &Node, out: &mut Vec<FieldFilter>) {
    match node {
        Node::Field(filter) => out.push(filter.clone()),
        Node::And(children) | Node::Or(children) => children.iter().for_each(|c| collect(c, out)),
        Node::Required(child) => collect(child, out),
        // A value that an exclusion names cannot starve the query.
        Node::Not(_)
        | Node::Empty
        | Node::Word(_)
        | Node::Phrase(_)
        | Node::Prefix(_)
        | Node::Fuzzy { .. }
        | Node::Symbol(_) => {}
    }
}

/// The distinct terms of a field that is indexed whole (language codes, document types).
fn values(searcher: &Searcher, field: Field) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for reader in searcher.segment_readers() {
        let Ok(inverted) = reader.inverted_index(field) else {
            continue;
        };
        let Ok(mut stream) = inverted.terms().stream() else {
            continue;
        };
        while stream.advance() {
            out.insert(String::from_utf8_lossy(stream.key()).into_owned());
        }
    }
    out
}

fn listing(values: &BTreeSet<String>) -> String {
    if values.is_empty() {
        return "none".into();
    }
    let shown: Vec<String> = values
        .iter()
        .take(LISTED)
        .map(|v| format!("`{v}`"))
        .collect();
    match values.len().saturating_sub(LISTED) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}
