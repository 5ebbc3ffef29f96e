//! `search --explain`: tantivy's explanation of a score, summed up in a few lines, one
//! per clause that contributed, with fields named (`body_fr:"paix"`) rather than
//! numbered (`field=18`). `--explain=raw` and `--json` keep tantivy's tree.

use serde_json::Value;

/// At most this many clauses are listed; the rest are summed in one line.
const CLAUSES_SHOWN: usize = 8;

/// One clause's share of a score.
#[derive(Debug, PartialEq)]
struct Clause {
    label: String,
    /// The product of the boosts above it.
    boost: f64,
    /// What it adds to the query's score.
    points: f64,
}

/// The lines that explain a hit's score, from the `explanation` quorum attaches to a
/// hit (`score`, `length_prior`, `words`, and tantivy's tree under `query`).
/// `field_name` names a field by its number.
pub fn summary(explanation: &Value, field_name: &dyn Fn(u32) -> Option<String>) -> Vec<String> {
    let number = |key: &str| explanation[key].as_f64().unwrap_or(0.0);
    let query = &explanation["query"];
    let mut lines = vec![format!(
        "score {:.3} = query {:.3} × length prior {:.3} ({} words)",
        number("score"),
        query["value"].as_f64().unwrap_or(0.0),
        number("length_prior"),
        explanation["words"].as_u64().unwrap_or(0)
    )];
    let mut clauses = Vec::new();
    collect(query, 1.0, field_name, &mut clauses);
    // The same clause reached through several language copies is one line.
    let mut merged: Vec<Clause> = Vec::new();
    for clause in clauses.into_iter().filter(|c| c.points > 0.0) {
        match merged
            .iter_mut()
            .find(|m| m.label == clause.label && m.boost == clause.boost)
        {
            Some(m) => m.points += clause.points,
            None => merged.push(clause),
        }
    }
    merged.sort_by(|a, b| b.points.total_cmp(&a.points));
    for clause in merged.iter().take(CLAUSES_SHOWN) {
        let boost = if clause.boost == 1.0 {
            String::new()
        } else {
            format!(" (boost ×{})", round(clause.boost))
        };
        lines.push(format!("  {:>8.3}  {}{boost}", clause.points, clause.label));
    }
    if merged.len() > CLAUSES_SHOWN {
        let rest: f64 = merged[CLAUSES_SHOWN..].iter().map(|c| c.points).sum();
        lines.push(format!(
            "  {rest:>8.3}  {} more clauses",
            merged.len() - CLAUSES_SHOWN
        ));
    }
    lines
}

/// Walks tantivy's tree: sums and boosts are looked through, anything else is a
/// clause worth its value times the boosts above it.
fn collect(
    node: &Value,
    boost: f64,
    field_name: &dyn Fn(u32) -> Option<String>,
    out: &mut Vec<Clause>,
) {
    let description = node["description"].as_str().unwrap_or_default();
    let value = node["value"].as_f64().unwrap_or(0.0);
    let details = node["details"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    if description.starts_with("BooleanClause") {
        for child in details {
            collect(child, boost, field_name, out);
        }
        return;
    }
    if let Some(factor) = description
        .strip_prefix("Boost x")
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|f| f.parse::<f64>().ok())
    {
        for child in details {
            collect(child, boost * factor, field_name, out);
        }
        return;
    }
    out.push(Clause {
        label: label(node, description, field_name),
        boost,
        points: value * boost,
    });
}

/// What a clause matched, in words.
fn label(node: &Value, description: &str, field_name: &dyn Fn(u32) -> Option<String>) -> String {
    let context = node["context"]
        .as_array()
        .and_then(|c| c.iter().find_map(Value::as_str))
        .unwrap_or_default();
    if let Some(term) = term_of(context, field_name) {
        let freq = find(node, "freq, occurrences of term within document");
        return match freq {
            Some(freq) => format!("{term}, {freq} time{}", if freq == 1.0 { "" } else { "s" }),
            None => term,
        };
    }
    if description.starts_with("Phrase") {
        return "the words as a phrase".into();
    }
    if description.starts_with("Automaton") {
        return "a prefix or fuzzy match".into();
    }
    if description.starts_with("Const") {
        return "a filter".into();
    }
    description.trim_end_matches([' ', '.']).to_string()
}

/// `body_fr:"paix"` from tantivy's `Term=Term(field=18, type=Str, "paix")`.
fn term_of(context: &str, field_name: &dyn Fn(u32) -> Option<String>) -> Option<String> {
    let rest = context.strip_prefix("Term=Term(field=")?;
    let (number, rest) = rest.split_once(',')?;
    let number: u32 = number.trim().parse().ok()?;
    let name = field_name(number).unwrap_or_else(|| format!("field {number}"));
    let value = rest
        .split_once(", ")
        .map_or(rest, |(_, value)| value)
        .trim_end_matches(')');
    Some(format!("{name}:{value}"))
}

/// The value of the first node under `node` described as `description`.
fn find(node: &Value, description: &str) -> Option<f64> {
    if node["description"].as_str() == Some(description) {
        return node["value"].as_f64();
    }
    node["details"]
        .as_array()?
        .iter()
        .find_map(|child| find(child, description))
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(field: u32, word: &str, value: f64) -> Value {
        serde_json::json!({
            "description": "TermQuery, product of...",
            "context": [format!("Term=Term(field={field}, type=Str, \"{word}\")")],
            "value": value,
            "details": [{"description": "freq, occurrences of term within document", "value": 2.0}],
        })
    }

    // issue 9, item 12
    #[test]
    fn explanations_name_fields_and_sum_up_clauses() {
        let explanation = serde_json::json!({
            "score": 9.0, "length_prior": 0.9, "words": 11,
            "query": {"description": "BooleanClause. sum of ...", "value": 10.0, "details": [
                {"description": "BooleanClause. sum of ...", "value": 7.0, "details": [term(18, "paix", 7.0)]},
                {"description": "Boost x0.3 of ...", "value": 3.0, "details": [term(21, "paix", 10.0)]},
                {"description": "Const", "value": 0.0},
            ]},
        });
        let names = |n: u32| match n {
            18 => Some("body_fr".to_string()),
            21 => Some("forms".to_string()),
            _ => None,
        };
        let lines = summary(&explanation, &names);
        assert_eq!(
            lines,
            [
                "score 9.000 = query 10.000 × length prior 0.900 (11 words)",
                "     7.000  body_fr:\"paix\", 2 times",
                "     3.000  forms:\"paix\", 2 times (boost ×0.3)",
            ]
        );
        assert!(lines.iter().all(|l| !l.contains("field=")));
    }
}
