//! The command line before clap reads it: in `quorum search`, a word that starts with
//! `-` after the first query word (`sanctions -Iraq`) is part of the query, not a flag.
//!
//! clap's `allow_hyphen_values` would also swallow the real flags that may follow the
//! query (`search paix --json`), so the arguments are sorted here instead: `search`'s
//! own flags (with their values) first, then `--`, then every query word in the order
//! typed. Arguments that need no such help are returned as they are.
//!
//! ```
//! use std::ffi::OsString;
//! use quorum::cli::argv::query_words_last;
//! let args = |words: &[&str]| words.iter().map(OsString::from).collect::<Vec<_>>();
//! assert_eq!(
//!     query_words_last(args(&["quorum", "search", "sanctions", "-Iraq", "--limit", "5"])),
//!     args(&["quorum", "search", "--limit", "5", "--", "sanctions", "-Iraq"]),
//! );
//! // Nothing to move: unchanged.
//! let plain = args(&["quorum", "search", "paix", "--json"]);
//! assert_eq!(query_words_last(plain.clone()), plain);
//! ```

use std::ffi::OsString;

use clap::CommandFactory;

use super::Cli;

/// `args` (program name first) with the query words of `search` moved after `--`
/// when a word starting with `-` follows the first query word and is not one of
/// `search`'s flags. A `--long` word stays a flag, so that a mistyped flag is still an
/// error rather than a query word; a query that starts with `-` needs `--` before it.
pub fn query_words_last(args: Vec<OsString>) -> Vec<OsString> {
    if args.get(1).and_then(|a| a.to_str()) != Some("search") {
        return args;
    }
    let mut command = Cli::command();
    command.build();
    let Some(search) = command.find_subcommand("search") else {
        return args;
    };
    let flags: Vec<&clap::Arg> = search
        .get_arguments()
        .filter(|a| !a.is_positional())
        .collect();
    // Whether a flag reads the next argument as its value.
    let takes_next = |arg: &clap::Arg| {
        arg.get_action().takes_values()
            && !arg.is_require_equals_set()
            && arg.get_num_args().is_none_or(|n| n.min_values() > 0)
    };
    let long = |name: &str| flags.iter().find(|a| a.get_long() == Some(name));
    let short = |c: char| flags.iter().find(|a| a.get_short() == Some(c));

    let (mut options, mut words, mut moved) = (Vec::new(), Vec::new(), false);
    let mut rest = args[2..].iter();
    while let Some(arg) = rest.next() {
        let Some(text) = arg.to_str() else {
            words.push(arg.clone());
            continue;
        };
        if text == "--" {
            words.extend(rest.by_ref().cloned());
            break;
        }
        let flag = if let Some(name) = text.strip_prefix("--") {
            let (name, inline) = match name.split_once('=') {
                Some((name, _)) => (name, true),
                None => (name, false),
            };
            // An unknown `--word` is left for clap to reject.
            Some(long(name).is_some_and(|a| takes_next(a)) && !inline)
        } else if let Some(cluster) = text.strip_prefix('-').filter(|c| !c.is_empty()) {
            let mut chars = cluster.chars();
            let known = match (chars.next(), chars.next()) {
                (Some(c), None) => short(c).map(|a| takes_next(a)),
                _ => None,
            };
            match known {
                Some(next) => Some(next),
                // Before the first query word an unknown `-x` is left for clap.
                None if words.is_empty() => Some(false),
                None => {
                    moved = true;
                    None
                }
            }
        } else {
            None
        };
        match flag {
            Some(reads_value) => {
                options.push(arg.clone());
                if reads_value {
                    options.extend(rest.next().cloned());
                }
            }
            None => words.push(arg.clone()),
        }
    }
    if !moved {
        return args;
    }
    let mut sorted = args[..2].to_vec();
    sorted.extend(options);
    sorted.push("--".into());
    sorted.extend(words);
    sorted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(words: &[&str]) -> Vec<String> {
        let mut args = vec![OsString::from("quorum"), OsString::from("search")];
        args.extend(words.iter().map(OsString::from));
        query_words_last(args)[2..]
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    // issue 9, item 11
    #[test]
    fn hyphen_words_after_the_query_are_query_words() {
        assert_eq!(
            sorted(&["sanctions", "-Iraq"]),
            ["--", "sanctions", "-Iraq"]
        );
        assert_eq!(
            sorted(&["--json", "sanctions", "-Iraq", "--index", "I", "-h"]),
            ["--json", "--index", "I", "-h", "--", "sanctions", "-Iraq"]
        );
        assert_eq!(
            sorted(&["a", "--explain", "-b", "--explain=raw", "--limit=3"]),
            ["--explain", "--explain=raw", "--limit=3", "--", "a", "-b"]
        );
        // Words after `--` stay query words, after the others.
        assert_eq!(sorted(&["a", "-b", "--", "--c"]), ["--", "a", "-b", "--c"]);
    }

    #[test]
    fn other_command_lines_are_left_as_typed() {
        for words in [
            &["paix", "--json"][..],
            &["-Iraq", "sanctions"],
            &["--", "-Iraq", "sanctions"],
            &["paix", "--jsn", "-"],
            &["--limit", "-3", "paix"],
        ] {
            let mut expected = vec!["quorum".to_string(), "search".to_string()];
            expected.extend(words.iter().map(|w| w.to_string()));
            let mut args: Vec<OsString> = expected.iter().map(OsString::from).collect();
            args = query_words_last(args);
            let got: Vec<String> = args
                .iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect();
            assert_eq!(got, expected);
        }
        let show = vec![
            OsString::from("quorum"),
            OsString::from("show"),
            OsString::from("a"),
            OsString::from("-b"),
        ];
        assert_eq!(query_words_last(show.clone()), show);
    }
}
