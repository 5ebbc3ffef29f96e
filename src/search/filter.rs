//! What selects passages without scoring them: metadata filters (the query's `lang:`,
//! `type:`, `year:`, `symbol:` and `id:`, and the request's [`Filters`]), the language
//! scope of a query copy, and the document a whole query names.

use std::ops::Bound;

use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery};
use tantivy::Term;

use super::parse::FieldFilter;
use super::query::{rebase, term_query};
use super::response::Filters;
use super::terms::QueryTerms;
use crate::index::schema::Fields;
use crate::Lang;

/// The `symbol` metadata field, as a phrase of the symbol's tokens.
pub(super) fn symbol_query(
    fields: &Fields,
    terms: &QueryTerms,
    symbol: &str,
) -> Option<Box<dyn Query>> {
    let terms: Vec<(usize, Term)> = terms
        .symbol(symbol)
        .iter()
        .map(|(p, t)| (*p, Term::from_field_text(fields.symbol, t)))
        .collect();
    match terms.len() {
        0 => None,
        1 => terms.into_iter().next().map(|(_, t)| term_query(t)),
        _ => Some(Box::new(PhraseQuery::new_with_offset(rebase(terms)))),
    }
}

/// The passages of the document the whole query names ([`QueryTerms::named`]) that the
/// request's filters admit: the page shows them first, in their own order.
pub fn named_document(
    fields: &Fields,
    terms: &QueryTerms,
    filters: &Filters,
) -> Option<Box<dyn Query>> {
    let symbol = symbol_query(fields, terms, terms.named()?)?;
    let mut clauses = vec![(Occur::Must, symbol)];
    clauses.extend(
        structured_filters(filters)
            .iter()
            .filter_map(|filter| metadata_filter(fields, terms, filter))
            .map(|query| (Occur::Must, query)),
    );
    Some(Box::new(BooleanQuery::new(clauses)))
}

/// The structured filters of a request, as the query language would write them.
pub(super) fn structured_filters(filters: &Filters) -> Vec<FieldFilter> {
    let mut out = Vec::new();
    if let Some(lang) = &filters.lang {
        out.push(FieldFilter::Lang(lang.code().to_string()));
    }
    if let Some(kind) = &filters.doc_type {
        out.push(FieldFilter::Type(kind.clone()));
    }
    if let Some((from, to)) = filters.years {
        out.push(FieldFilter::Year { from, to });
    }
    out
}

/// A metadata filter: it selects, it does not score.
pub(super) fn metadata_filter(
    f: &Fields,
    terms: &QueryTerms,
    filter: &FieldFilter,
) -> Option<Box<dyn Query>> {
    let query: Box<dyn Query> = match filter {
        FieldFilter::Lang(code) => {
            term_query(Term::from_field_text(f.lang, Lang::parse(code).code()))
        }
        FieldFilter::Type(kind) => {
            term_query(Term::from_field_text(f.doc_type, &kind.to_lowercase()))
        }
        FieldFilter::Year { from, to } => {
            let bound = |v: &Option<i64>| match v {
                Some(year) => Bound::Included(Term::from_field_i64(f.year, *year)),
                None => Bound::Unbounded,
            };
            Box::new(RangeQuery::new(bound(from), bound(to)))
        }
        FieldFilter::Symbol(symbol) => symbol_query(f, terms, symbol)?,
        FieldFilter::Id(id) => term_query(Term::from_field_text(f.id, id)),
    };
    Some(Box::new(ConstScoreQuery::new(query, 0.0)))
}

/// Keeps only passages in `lang`.
pub(super) fn lang_filter(fields: &Fields, lang: &Lang) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(
        term_query(Term::from_field_text(fields.lang, lang.code())),
        0.0,
    ))
}
