//! Reading Markdown files: the text as it is, titled by its first level-one heading.
//!
//! ```
//! use quorum::ingest::markdown::title;
//!
//! assert_eq!(title("intro\n# Le Conseil #\n\nCorps.").as_deref(), Some("Le Conseil"));
//! assert_eq!(title("## Sous-titre\n#Pas un titre"), None);
//! ```

/// The text of the first level-one ATX heading (`# Title`) of a Markdown text.
pub fn title(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        // CommonMark allows up to three spaces of indentation before a heading.
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = line[indent..].strip_prefix('#')?;
        if indent > 3 || !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
            return None;
        }
        let title = rest.trim().trim_end_matches('#').trim();
        (!title.is_empty()).then(|| title.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_titles() {
        let cases: &[(&str, Option<&str>)] = &[
            ("# Titre\ncorps", Some("Titre")),
            ("intro\n  # Deux #\n", Some("Deux")),
            ("## Sous-titre\n# Titre", Some("Titre")),
            ("#Pas un titre", None),
            ("    # code", None),
            ("#\n# Vrai", Some("Vrai")),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(title(text).as_deref(), *want, "{text:?}");
        }
    }
}
