//! Search: parse a query, compile it, rank passages, and cut snippets.
//!
//! ```
//! use quorum::index::{build, store::Store};
//! use quorum::search::{Engine, Request};
//! let dir = tempfile::tempdir()?;
//! std::fs::write(dir.path().join("a.txt"), "Les pays fournisseurs de contingents.\n\nLe Conseil de sécurité.")?;
//! let store = Store::new(dir.path().join("index"));
//! build::run(&store, &build::Options::new(vec![dir.path().to_path_buf()]), &mut build::Silent)?;
//! let engine = Engine::open(&store)?;
//! let response = engine.search(&Request::new("contingent"))?;
//! assert_eq!(response.total_hits, 1);
//! assert_eq!(response.hits[0].snippet, "Les pays fournisseurs de <b>contingents</b>.");
//!
//! // A rebuild swaps in a new index; the engine keeps answering from the old one
//! // until it refreshes.
//! std::fs::write(dir.path().join("a.txt"), "Les contingents militaires.")?;
//! let mut options = build::Options::new(vec![dir.path().to_path_buf()]);
//! options.rebuild = true;
//! build::run(&store, &options, &mut build::Silent)?;
//! let mut engine = engine;
//! assert_eq!(engine.search(&Request::new("fournisseurs"))?.total_hits, 1);
//! assert!(engine.refresh()?);
//! assert_eq!(engine.search(&Request::new("fournisseurs"))?.total_hits, 0);
//! assert_eq!(engine.search(&Request::new("militaires"))?.total_hits, 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod collector;
mod columns;
mod context;
mod expand;
mod filter;
mod notices;
pub mod parse;
mod proximity;
pub mod query;
pub mod query_file;
pub mod rank;
mod response;
pub mod show;
pub mod snippet;
pub mod sort;
pub mod terms;
mod tiers;
pub mod twin;

use std::time::Instant;

use tantivy::query::{BooleanQuery, Occur};
use tantivy::{DocAddress, IndexReader, Score, TantivyDocument};

use crate::analysis;
use crate::index::passage::StoredPassage;
use crate::index::schema;
use crate::index::store::{Generation, Store};
use crate::lexicon::Lexicon;
use crate::Lang;
use collector::TopHits;
use query::compile;
use rank::{length_prior, rank, SortKeys};
pub use response::{Copy, Filters, Hit, Matching, Operator, Request, Response, COUNT_LIMIT};
pub use sort::Sort;
use terms::QueryTerms;
use tiers::Plan;

/// What can go wrong in a search.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The query does not parse.
    #[error(transparent)]
    Syntax(#[from] parse::ParseError),
    /// The index could not be opened.
    #[error(transparent)]
    Index(#[from] crate::index::Error),
    /// tantivy failed.
    #[error(transparent)]
    Tantivy(#[from] tantivy::TantivyError),
    /// The request's deadline passed before every segment was searched.
    #[error("the search took too long and was stopped")]
    Deadline,
    /// The search failed inside quorum or tantivy, though the index files check out: a
    /// bug to report, with the query.
    #[error("the search failed ({0}); please report it with the query")]
    Failed(String),
    /// The lexicon of `--cross` could not be read.
    #[error(transparent)]
    Lexicon(#[from] crate::lexicon::Error),
}

/// An open index, ready to answer many queries.
///
/// Commits to the live generation (incremental runs) reach it on their own; a
/// `--rebuild` swaps in a new generation, which [`Engine::refresh`] picks up.
pub struct Engine {
    store: Store,
    generation: Generation,
    reader: IndexReader,
    /// The table of `--cross`, when not the shipped one.
    lexicon: Option<std::sync::Arc<Lexicon>>,
    /// The fast-field columns of each segment searched, opened once.
    columns: columns::ColumnCache,
}

impl Engine {
    /// Opens the live generation of a store.
    pub fn open(store: &Store) -> Result<Engine, Error> {
        let generation = store.open_current()?;
        let reader = generation.reader.clone();
        Ok(Engine {
            store: store.clone(),
            generation,
            reader,
            lexicon: None,
            columns: Default::default(),
        })
    }

    /// Uses `lexicon` for `--cross` instead of the shipped table.
    pub fn with_lexicon(mut self, lexicon: std::sync::Arc<Lexicon>) -> Engine {
        self.lexicon = Some(lexicon);
        self
    }

    /// The table `--cross` translates with.
    pub fn lexicon(&self) -> Result<std::sync::Arc<Lexicon>, Error> {
        match &self.lexicon {
            Some(lexicon) => Ok(lexicon.clone()),
            None => Ok(Lexicon::shipped()?),
        }
    }

    /// Reads `CURRENT` again and, when a rebuild has swapped in a new generation,
    /// opens it; until then, searches keep answering from the one they have. Returns
    /// true when the engine moved to a new generation.
    pub fn refresh(&mut self) -> Result<bool, Error> {
        let live = self.store.current_name()?;
        let mine = self.generation.dir.file_name().and_then(|n| n.to_str());
        if live.is_none() || live.as_deref() == mine {
            return Ok(false);
        }
        let lexicon = self.lexicon.take();
        *self = Engine::open(&self.store)?;
        self.lexicon = lexicon;
        Ok(true)
    }

    /// The generation this engine searches.
    pub fn generation(&self) -> &Generation {
        &self.generation
    }

    /// The name of the schema field numbered `field`, as tantivy's explanations print
    /// it (`field=19`); `None` for a number the schema does not have.
    pub fn field_name(&self, field: u32) -> Option<&str> {
        let schema = &self.generation.fields.schema;
        schema
            .fields()
            .nth(field as usize)
            .map(|(_, entry)| entry.name())
    }

    /// Runs one search. A panic inside it (a damaged file that tantivy reads without
    /// checking) or an error of tantivy's becomes [`Error::Index`] naming the files whose
    /// checksums fail, when some do; a panic with every file sound is [`Error::Failed`].
    pub fn search(&self, request: &Request) -> Result<Response, Error> {
        match crate::index::guard::quietly(|| self.run(request, 0, Instant::now())) {
            Ok(Err(Error::Tantivy(error))) => Err(self
                .generation
                .damaged()
                .map_or(Error::Tantivy(error), Error::Index)),
            Ok(answer) => answer,
            Err(panic) => Err(self
                .generation
                .damaged()
                .map_or(Error::Failed(panic), Error::Index)),
        }
    }

    /// [`Engine::search`]. With `--group`, each pass keeps the best passage of at least
    /// `group_depth` of each segment's best documents (`usize::MAX`: of every document).
    /// The times reported count from `started`, which a search run again keeps.
    fn run(
        &self,
        request: &Request,
        group_depth: usize,
        started: Instant,
    ) -> Result<Response, Error> {
        let parsed = parse::parse(&request.query)?;
        let searcher = self.reader.searcher();
        let fields = &self.generation.fields;
        // The tiers read the marks of `+` and `AND`; everything else compiles the tree
        // without them, where every part of a conjunction is required.
        let root = query::unmarked(&parsed.root);
        // Under `--cross` the query is analyzed in both languages, since its words are
        // translated from one into the other; `query_lang` then only says which one the
        // words are in.
        let mut terms = QueryTerms::derive(
            &root,
            request.query_lang.as_ref().filter(|_| !request.cross),
            Some((fields, &searcher)),
        );
        if request.cross {
            if let Some(lang) = &request.query_lang {
                terms.assume_language(lang.clone());
            }
            terms.translate(&*self.lexicon()?, (fields, &searcher));
        }
        // The preference for the query's language would push the other language out.
        let preferred_lang = terms.language().filter(|_| !request.cross);
        let mut notices = parsed.notices.clone();
        notices.extend(notices::unknown_values(
            &root,
            &request.filters,
            fields,
            &searcher,
        ));
        let compile_tree = |tree: &parse::Node, operator| {
            compile(tree, &terms, fields, &searcher, &request.filters, operator)
        };
        let Some(first) = compile_tree(&root, Operator::And) else {
            notices.push("the query has nothing to search for".into());
            return Ok(Response {
                query: request.query.clone(),
                total_hits: 0,
                total_all_words: 0,
                counted: true,
                took_ms: elapsed_ms(started),
                search_ms: elapsed_ms(started),
                hits: Vec::new(),
                operator: Operator::And,
                notice: notices.first().cloned(),
                notices,
            });
        };
        let plan = match request.matching {
            Matching::Frequency => Plan::new(&parsed.root, &terms, fields, &searcher),
            Matching::All => Plan::new(&parsed.root, &terms, fields, &searcher).strict(),
        };
        let need = request.offset.saturating_add(request.limit).max(1);
        // How many matches each pass counts before it may skip what cannot make the
        // page: `--group` counts documents, which needs every match.
        let count = if request.group {
            usize::MAX
        } else if request.count {
            request.count_limit
        } else {
            0
        };
        let columns = self.columns.of(&searcher);
        let keys = SortKeys::new(&columns);
        let highlight = first.highlight.clone();

        let mut tiers: Vec<Tier> = Vec::new();
        let mut total_hits = 0;
        // A query that names a document (`S/RES/242 (1967)`, `résolution 242 (1967)`)
        // shows that document first, in its own order: its passages share one score, so
        // ranking orders them by document and passage; the passages that cite it come after.
        // The first pass without the forms' boosts, which the rerank adds to its best
        // passages, as it adds the phrase's. With `--group` the boosts stay in the first
        // pass: they decide which passage stands for each document.
        let (mut first_query, mut reranked) = match first.bare {
            Some(bare) if !request.group => (bare, first.boosts),
            _ => (first.query, Vec::new()),
        };
        reranked.extend(first.phrases);
        // What every pass adds up to: whether the counts are exact, and with `--group`
        // the documents matched.
        let mut passes = Passes::default();
        // How many hits a pass collects for `need` on the page: with `--group`, at
        // least `group_depth` documents' best passages.
        let depth_of = |need: usize| {
            if request.group {
                request.sort.depth(need).max(group_depth)
            } else {
                request.sort.depth(need)
            }
        };
        if let Some(named) = query::named_document(fields, &terms, &request.filters) {
            let (mut hits, seen) = passes.take(collect(
                (&searcher, &keys),
                &*named,
                request,
                usize::MAX,
                usize::MAX,
                (fields, &[]),
                None,
            )?);
            if seen > 0 {
                let top = hits
                    .iter()
                    .map(|h| h.0)
                    .fold(Score::NEG_INFINITY, Score::max);
                // The document in the query's language first, where the words show it:
                // the keys say each passage's document language, read in one pass.
                let addresses: Vec<DocAddress> = hits.iter().map(|h| h.1).collect();
                let langs: std::collections::HashMap<DocAddress, String> = keys
                    .keys_and_passages(&addresses)
                    .into_iter()
                    .map(|(address, (key, _))| (address, key))
                    .collect();
                for hit in hits.iter_mut() {
                    let preferred = preferred_lang.is_some_and(|lang| {
                        langs
                            .get(&hit.1)
                            .and_then(|key| schema::split_key(key))
                            .is_some_and(|(_, code)| code == lang.code())
                    });
                    hit.0 = top.max(0.0)
                        + if preferred {
                            query::LANGUAGE_BOOST
                        } else {
                            0.0
                        };
                }
                total_hits += seen;
                first_query = Box::new(BooleanQuery::new(vec![
                    (Occur::Must, first_query),
                    (Occur::MustNot, named.box_clone()),
                ]));
                tiers.push(Tier {
                    query: named,
                    hits,
                    dropped: Vec::new(),
                    depth: usize::MAX,
                });
            }
        }
        // Tier 0, every word; then, while the page is not full, the lower tiers. A word
        // typed with its elided article (`l'Organisation`) reranks the first passages by
        // whether their text holds it as typed, which the index (articles and capitals
        // gone) cannot tell.
        // A query of several words weighs each passage's document too (`context.rs`);
        // a single word has no context to weigh, and costs no more for it.
        let any = if plan.words >= 2 {
            compile_tree(&root, Operator::Or)
        } else {
            None
        };
        let context_depth = if any.is_some() {
            context::CONTEXT_DEPTH
        } else {
            0
        };
        let surfaces = elided_words(&root);
        let rerank_depth = if !reranked.is_empty() {
            proximity::PHRASE_DEPTH
        } else {
            0
        };
        let depth = depth_of(if surfaces.is_empty() {
            need.max(context_depth).max(rerank_depth)
        } else {
            need.max(SURFACE_DEPTH).max(context_depth).max(rerank_depth)
        });
        let (mut hits, seen) = passes.take(collect(
            (&searcher, &keys),
            &*first_query,
            request,
            depth,
            count,
            (fields, &first.verify),
            preferred_lang,
        )?);
        proximity::rerank(
            &searcher,
            &keys,
            &mut hits,
            &reranked,
            preferred_lang.map(|lang| lang.code()),
        )?;
        surface_rerank(&searcher, (fields, &keys), &mut hits, &surfaces)?;
        if let Some(any) = &any {
            context::rerank(&searcher, fields, &keys, &mut hits, any.matching())?;
        }
        let total_all_words = total_hits + seen;
        tiers.push(Tier {
            query: first_query,
            hits,
            dropped: Vec::new(),
            depth,
        });
        total_hits += seen;
        // How many distinct passages (documents with `--group`) the tiers so far hold:
        // copies of one passage fill one place on the page.
        let matched = |tiers: &[Tier]| -> usize {
            let mut distinct = std::collections::HashSet::new();
            tiers
                .iter()
                .flat_map(|t| &t.hits)
                .filter(|h| {
                    distinct.insert(if request.group {
                        keys.group_key(h.1)
                    } else {
                        keys.copy_key(h.1)
                    })
                })
                .count()
        };
        let mut visited = 0;
        for k in 1..=plan.lower_tiers() {
            if matched(&tiers) >= need {
                break;
            }
            visited = k;
            // The tier of any word checks no phrase: a phrase there is one of the words.
            let (matching, dropped, verify) = match plan.tier(k) {
                Some((tree, dropped)) => match compile_tree(&tree, Operator::And) {
                    Some(kept) => (kept.query, dropped, kept.verify),
                    None => break,
                },
                None => match compile_tree(&root, Operator::Or) {
                    Some(any) => (any.query, plan.droppable.iter().collect(), Vec::new()),
                    None => break,
                },
            };
            // The words this tier drops still score where a passage has them, and what
            // an earlier tier matched is not shown again.
            let mut clauses: Vec<(Occur, Box<dyn tantivy::query::Query>)> =
                vec![(Occur::Must, matching.box_clone())];
            let parts: Vec<parse::Node> = dropped.iter().map(|u| plan.part(u).clone()).collect();
            if let Some(scoring) = compile_tree(&parse::Node::Or(parts), Operator::Or) {
                clauses.push((Occur::Should, scoring.query));
            }
            // Every earlier tier, not only the last: a tier of fewer words need not
            // match a superset of the one before (a single word compiles apart).
            clauses.extend(
                tiers
                    .iter()
                    .map(|previous| (Occur::MustNot, previous.query.box_clone())),
            );
            let query: Box<dyn tantivy::query::Query> = Box::new(BooleanQuery::new(clauses));
            let tier_depth = depth_of(need.max(context_depth));
            let (mut hits, seen) = passes.take(collect(
                (&searcher, &keys),
                &*query,
                request,
                tier_depth,
                count,
                (fields, &verify),
                preferred_lang,
            )?);
            if let Some(any) = &any {
                context::rerank(&searcher, fields, &keys, &mut hits, any.matching())?;
            }
            total_hits += seen;
            tiers.push(Tier {
                // Later tiers exclude what this one's words match, with or without the
                // dropped words.
                query: matching,
                hits,
                dropped: dropped.iter().map(|u| (*u).clone()).collect(),
                depth: tier_depth,
            });
        }
        let counted = passes.exact && visited == plan.lower_tiers();
        let operator = if visited > 0 {
            Operator::Or
        } else {
            Operator::And
        };
        if total_all_words == 0 && visited > 0 {
            let empty: Vec<String> = plan
                .droppable
                .iter()
                .filter(|u| u.passages == 0)
                .map(|u| format!("`{}`", u.text))
                .collect();
            notices.push(if empty.is_empty() {
                "no passage has all the words: passages that lack some come first that have the most".into()
            } else {
                format!("no passage has {}: showing passages without it", empty.join(", "))
            });
        }

        // The page: each tier ranked by score, in tier order, and each passage once: a
        // copy of one already ranked (the same words in another record) stands behind it.
        let mut ranked: Vec<(Score, DocAddress, usize)> = Vec::new();
        let mut copies = std::collections::HashSet::new();
        let mut documents = std::collections::HashSet::new();
        let full = |ranked: &[(Score, DocAddress, usize)]| {
            !request.group && ranked.len() >= request.sort.depth(need)
        };
        // With `--group`, the most hits of one tier that filling the page went through,
        // when that is more than each segment gave: documents skipped (their passage a
        // copy of one already shown) made the page reach past some segment's last.
        let mut overrun = 0;
        for (t, tier) in tiers.iter_mut().enumerate() {
            if full(&ranked) {
                break;
            }
            // Ties are put in order only as far as the page needs; copies that take no
            // place of their own make it look further.
            let mut ordered = if request.group { usize::MAX } else { need };
            rank(&mut tier.hits, &keys, ordered);
            let mut at = 0;
            while at < tier.hits.len() && !full(&ranked) {
                if at == ordered {
                    ordered = ordered.saturating_mul(2);
                    rank(&mut tier.hits, &keys, ordered);
                }
                let (score, address) = tier.hits[at];
                at += 1;
                if request.group && !documents.insert(keys.group_key(address)) {
                    continue;
                }
                if copies.insert(keys.copy_key(address)) {
                    ranked.push((score, address, t));
                }
                if request.group && ranked.len() == need && at > tier.depth {
                    overrun = overrun.max(at);
                }
            }
            // A tier gone through before the page was full may have left documents
            // out that rank above the next tier's.
            if request.group && ranked.len() < need && tier.hits.len() >= tier.depth {
                overrun = overrun.max(tier.hits.len());
            }
        }
        if request.group {
            // Copies of one passage took places on the page, and a pass left documents
            // out: the page may lack some that come next. Collect more documents, or
            // every document when the page is short.
            if passes.pruned && group_depth != usize::MAX {
                if ranked.len() < need {
                    return self.run(request, usize::MAX, started);
                }
                if overrun > 0 {
                    return self.run(request, overrun.saturating_mul(2), started);
                }
            }
            total_hits = passes.documents.len();
        }
        request.sort.apply(&searcher, &mut ranked);
        let page: Vec<(Score, DocAddress, usize)> = ranked
            .into_iter()
            .skip(request.offset)
            .take(request.limit)
            .collect();
        let search_ms = elapsed_ms(started);
        let mut copies = also_in(&searcher, fields, &keys, &page)?;
        let mut unit_weights = std::collections::HashMap::new();
        let mut out = Vec::new();
        for (score, address, t) in page {
            let doc: TantivyDocument = searcher.doc(address)?;
            let mut hit = self.hit(&doc, score, &highlight);
            hit.missing = missing(
                &searcher,
                &plan,
                &tiers[t],
                address,
                &compile_tree,
                &mut unit_weights,
            )?;
            (hit.also_in, hit.copies) = copies.remove(&address).unwrap_or_default();
            if request.explain {
                hit.explanation = Some(explain(&searcher, &*tiers[t].query, score, address)?);
            }
            out.push(hit);
        }
        Ok(Response {
            query: request.query.clone(),
            total_hits,
            total_all_words,
            counted,
            took_ms: elapsed_ms(started),
            search_ms,
            hits: out,
            operator,
            notice: notices.first().cloned(),
            notices,
        })
    }

    fn hit(&self, doc: &TantivyDocument, score: f32, highlight: &query::Highlight) -> Hit {
        let f = &self.generation.fields;
        let stored = StoredPassage::from_doc(doc, f);
        let lang = Lang::parse(&stored.lang);
        // The forms field has terms to highlight only for a query of stop words,
        // which the stemmed fields drop.
        let marks = snippet::matches(
            &stored.text,
            &[
                (f.body(&lang), analysis::body_analyzer(&lang)),
                (f.forms, analysis::EXACT),
            ],
            highlight,
        );
        let cut = snippet::snippet(&stored.text, &marks);
        Hit {
            id: stored.id,
            lang: stored.lang,
            passage: stored.passage,
            score,
            symbol: stored.symbol,
            title: stored.title,
            path: stored.path,
            snippet: cut.to_html(),
            year: stored.year,
            doc_type: stored.doc_type,
            start: stored.start,
            end: stored.end,
            text: stored.text,
            missing: Vec::new(),
            also_in: Vec::new(),
            copies: 0,
            explanation: None,
            snippet_parts: Some(cut),
        }
    }
}

/// How many of a passage's copies `also_in` lists, the first in tie order (document
/// fingerprint, then passage); `copies` counts them all.
pub const ALSO_IN_LISTED: usize = 10;

/// For each hit of the page, the other records that hold the same passage (the same
/// words), in key and passage order, and how many there are: one search for the page.
fn also_in(
    searcher: &tantivy::Searcher,
    fields: &schema::Fields,
    keys: &SortKeys,
    page: &[(Score, DocAddress, usize)],
) -> Result<std::collections::HashMap<DocAddress, (Vec<response::Copy>, usize)>, Error> {
    let mut by_copy: std::collections::HashMap<u64, Vec<DocAddress>> = Default::default();
    for &(_, address, _) in page {
        by_copy
            .entry(keys.copy_key(address))
            .or_default()
            .push(address);
    }
    let found = rank::copies_by_hash(searcher, fields, keys, by_copy.keys().copied())?;
    let mut out: std::collections::HashMap<DocAddress, (Vec<response::Copy>, usize)> =
        Default::default();
    // The copies listed are the first in tie order (document fingerprint, then
    // passage), fast fields: only the keys of those listed are read, from the texts
    // each segment keeps of its keys.
    for (copy, hits) in by_copy {
        let mut others = found
            .get(&copy)
            .into_iter()
            .flatten()
            .filter(|other| !hits.contains(other));
        let listed: Vec<response::Copy> = others
            .by_ref()
            .take(ALSO_IN_LISTED)
            .map(|&address| {
                let key = keys.key_str(address).unwrap_or_default();
                let (id, lang) = schema::split_key(key).unwrap_or((key, ""));
                response::Copy {
                    id: id.to_string(),
                    lang: lang.to_string(),
                    passage: keys.passage(address),
                }
            })
            .collect();
        let total = listed.len() + others.count();
        if let Some((last, rest)) = hits.split_last() {
            for hit in rest {
                out.insert(*hit, (listed.clone(), total));
            }
            out.insert(*last, (listed, total));
        }
    }
    Ok(out)
}

/// How many of the first passages a surface form reranks.
const SURFACE_DEPTH: usize = 50;
/// What a passage whose text holds a query word as typed (article and capitals) is
/// multiplied by.
pub const SURFACE_FACTOR: Score = 1.3;

/// The top-level words of a query typed with an elided article, apostrophes unified.
fn elided_words(root: &parse::Node) -> Vec<String> {
    let words: Vec<&str> = match root {
        parse::Node::Word(word) => vec![word.as_str()],
        parse::Node::And(children) => children
            .iter()
            .filter_map(|child| match child {
                parse::Node::Word(word) => Some(word.as_str()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    words
        .into_iter()
        .filter(|word| word.contains(['\'', '’']))
        .map(|word| word.replace('’', "'"))
        .collect()
}

/// Multiplies by [`SURFACE_FACTOR`] the score of each of the best [`SURFACE_DEPTH`] hits
/// whose text holds every word of `surfaces` as typed. The reranked hits only gain, so
/// those past the depth keep their order below them.
fn surface_rerank(
    searcher: &tantivy::Searcher,
    (fields, keys): (&schema::Fields, &SortKeys),
    hits: &mut [(Score, DocAddress)],
    surfaces: &[String],
) -> Result<(), Error> {
    if surfaces.is_empty() || hits.is_empty() {
        return Ok(());
    }
    let depth = SURFACE_DEPTH.min(hits.len());
    rank::best_first(keys, hits, depth);
    for hit in hits.iter_mut().take(depth) {
        let doc: TantivyDocument = searcher.doc(hit.1)?;
        let text = StoredPassage::from_doc(&doc, fields).text.replace('’', "'");
        if surfaces
            .iter()
            .all(|surface| text.contains(surface.as_str()))
        {
            hit.0 *= SURFACE_FACTOR;
        }
    }
    Ok(())
}

/// One tier's pass: the query whose matches the next tier excludes, the hits it
/// collected, and the words it dropped.
struct Tier {
    query: Box<dyn tantivy::query::Query>,
    hits: Vec<(Score, DocAddress)>,
    dropped: Vec<tiers::Unit>,
    /// How many hits (documents with `--group`) each segment gave at most, ties aside.
    depth: usize,
}

/// Runs one pass: the best `need` hits of each segment (every match with `--group`), the
/// number of matches, and whether that number is exact.
fn collect(
    (searcher, keys): (&tantivy::Searcher, &SortKeys),
    query: &dyn tantivy::query::Query,
    request: &Request,
    need: usize,
    count: usize,
    verify: (&schema::Fields, &[String]),
    prefer: Option<&Lang>,
) -> Result<Collected, Error> {
    let (fields, phrases) = verify;
    // A phrase the index cannot match as a phrase is checked on every candidate's text.
    // Otherwise each segment gives its best `need` passages, copies counted once, or
    // with `--group` the best passage of each of its best `need` documents. Without a
    // bound, every match is kept: the named document's passages, whose scores are made
    // equal afterwards, must all be there for its first passage to stand for it.
    let grouped = request.group && phrases.is_empty() && need != usize::MAX;
    // A phrase checked on the candidates' text needs all of them.
    let (kept, counted) = if phrases.is_empty() {
        (need, count)
    } else {
        (usize::MAX, usize::MAX)
    };
    let collector = TopHits {
        prefer: prefer.map(|lang| lang.code().to_string()),
        deadline: request.deadline,
        ..TopHits::new(keys.columns().clone(), kept, counted, grouped)
    };
    let gathered = searcher.search(query, &collector)?;
    if collector.is_late() {
        return Err(Error::Deadline);
    }
    let documents_of = |hits: &[(Score, DocAddress)]| {
        if request.group {
            hits.iter().map(|hit| keys.group_key(hit.1)).collect()
        } else {
            Default::default()
        }
    };
    if phrases.is_empty() {
        let documents = if grouped {
            gathered.documents
        } else {
            documents_of(&gathered.hits)
        };
        return Ok(Collected {
            hits: gathered.hits,
            seen: gathered.seen,
            exact: !gathered.capped,
            documents,
            pruned: gathered.pruned,
        });
    }
    let hits = gathered.hits;
    // Best first, ties in their page order, so that the passages checked, and so the
    // page, never depend on segments. The check stops once the page is full and at most
    // `VERIFY_LIMIT` candidates were read: the count is then a lower bound.
    // Each candidate's tie key is read once, not at every comparison of the sort.
    let mut ordered: Vec<(Score, (u64, u64, DocAddress))> = hits
        .iter()
        .map(|&(score, address)| (score, rank::tie_key(keys, address)))
        .collect();
    ordered.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let hits: Vec<(Score, DocAddress)> = ordered
        .into_iter()
        .map(|(score, (_, _, address))| (score, address))
        .collect();
    let wanted = if request.group { usize::MAX } else { need };
    let mut kept = Vec::with_capacity(need.min(hits.len()));
    let mut checked = 0;
    for &(score, address) in &hits {
        if kept.len() >= wanted && checked >= VERIFY_LIMIT {
            break;
        }
        checked += 1;
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = StoredPassage::from_doc(&doc, fields).text;
        if phrases
            .iter()
            .all(|phrase| query::holds_phrase(&text, phrase))
        {
            kept.push((score, address));
        }
    }
    let documents = documents_of(&kept);
    Ok(Collected {
        seen: kept.len(),
        exact: checked == hits.len(),
        hits: kept,
        documents,
        pruned: false,
    })
}

/// What the passes of one search add up to.
struct Passes {
    /// False once a pass stopped checking a phrase's candidates early, or counted past
    /// its count limit and skipped what could not make the page.
    exact: bool,
    /// With `--group`: every document matched.
    documents: std::collections::HashSet<u64>,
    /// With `--group`: a pass left some matched documents out of its hits.
    pruned: bool,
}

impl Default for Passes {
    fn default() -> Passes {
        Passes {
            exact: true,
            documents: Default::default(),
            pruned: false,
        }
    }
}

impl Passes {
    /// Adds one pass's figures; gives its hits and how many passages matched.
    fn take(&mut self, collected: Collected) -> (Vec<(Score, DocAddress)>, usize) {
        self.exact &= collected.exact;
        self.documents.extend(collected.documents);
        self.pruned |= collected.pruned;
        (collected.hits, collected.seen)
    }
}

/// What one pass collected.
struct Collected {
    hits: Vec<(Score, DocAddress)>,
    /// How many passages matched.
    seen: usize,
    /// False when a phrase's candidates were not all checked, or when the search went
    /// past its count limit and skipped matches: `seen` is a lower bound.
    exact: bool,
    /// With `--group`: the documents matched, by fingerprint.
    documents: std::collections::HashSet<u64>,
    /// With `--group`: some matched documents are not among `hits` (they cannot make
    /// the page unless copies take places on it).
    pruned: bool,
}

/// How many candidates of a phrase that the index cannot match (one of stop words) are
/// read and checked at most, once the page is full.
pub const VERIFY_LIMIT: usize = 1000;

/// The words of the query that a hit of `tier` lacks, in the order typed: of the words
/// its tier dropped, those whose own query does not match the passage. Each word's query
/// is compiled once for the page, in `weights`.
fn missing(
    searcher: &tantivy::Searcher,
    plan: &Plan,
    tier: &Tier,
    address: DocAddress,
    compile_tree: &dyn Fn(&parse::Node, Operator) -> Option<query::Compiled>,
    weights: &mut std::collections::HashMap<usize, Option<Box<dyn tantivy::query::Weight>>>,
) -> Result<Vec<String>, Error> {
    let mut dropped: Vec<&tiers::Unit> = tier.dropped.iter().collect();
    dropped.sort_by_key(|unit| unit.part);
    let mut out = Vec::new();
    for unit in dropped {
        let weight = match weights.entry(unit.part) {
            std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
            std::collections::hash_map::Entry::Vacant(slot) => {
                let weight = match compile_tree(plan.part(unit), Operator::And) {
                    Some(word) => Some(word.query.weight(
                        tantivy::query::EnableScoring::disabled_from_searcher(searcher),
                    )?),
                    None => None,
                };
                slot.insert(weight)
            }
        };
        let Some(weight) = weight else {
            continue;
        };
        // A new scorer stands on its first match, which may be past the hit already:
        // tantivy's `seek` only moves forward.
        let mut scorer = weight.scorer(searcher.segment_reader(address.segment_ord), 1.0)?;
        let at = if scorer.doc() < address.doc_id {
            scorer.seek(address.doc_id)
        } else {
            scorer.doc()
        };
        if at != address.doc_id {
            out.push(unit.text.clone());
        }
    }
    Ok(out)
}

/// tantivy's explanation of a hit's score, with the length prior quorum applied to it.
fn explain(
    searcher: &tantivy::Searcher,
    query: &dyn tantivy::query::Query,
    score: Score,
    address: DocAddress,
) -> Result<serde_json::Value, Error> {
    // tantivy's debug assertions are off in every profile (Cargo.toml): its
    // BooleanWeight::explain trips one of them.
    let explanation = query.explain(searcher, address)?;
    let words = searcher
        .segment_reader(address.segment_ord)
        .fast_fields()
        .u64(schema::WORDS)
        .ok()
        .and_then(|column| column.first(address.doc_id))
        .unwrap_or(u64::MAX);
    Ok(serde_json::json!({
        "score": score,
        "length_prior": length_prior(words),
        "words": words,
        "query": serde_json::from_str::<serde_json::Value>(&explanation.to_pretty_json()).ok(),
    }))
}

fn elapsed_ms(started: Instant) -> f64 {
    (started.elapsed().as_secs_f64() * 1e6).round() / 1e3
}
