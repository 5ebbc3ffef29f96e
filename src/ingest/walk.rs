//! Finding the files to read under the roots a user gives.
//!
//! Each root is walked recursively with ripgrep's `ignore` crate, which honours `.ignore`
//! and `.gitignore` files even outside a git repository (a corpus folder is often not
//! one), and skips hidden files. Only the files of a [`FileKind`] are kept (`.txt`, `.md`,
//! `.jsonl`, `.pdf`, `.docx`, `.html`, `.htm`, and `.doc`, whose reading says to convert
//! it). Notes
//! about a corpus (`README`, `SOURCES`, `LICENSE`, ...; see [`is_note`]) are listed too,
//! so that reading them gives a skip that names each one, rather than dropping them in
//! silence: they are never indexed as if they were UN texts. The order is deterministic:
//! roots in the order given, the files of each sorted by path.
//!
//! ```
//! use quorum::ingest::{discover, read_file, Item, Options};
//!
//! let dir = tempfile::tempdir()?;
//! std::fs::write(dir.path().join("b.txt"), "Le Conseil.")?;
//! std::fs::write(dir.path().join("a.jsonl"), "{}")?;
//! std::fs::write(dir.path().join("README.md"), "About this corpus")?;
//! let files = discover(&[dir.path().to_path_buf()])?;
//! let ids: Vec<String> = files.iter().map(|f| f.id()).collect();
//! assert_eq!(ids, ["README.md", "a.jsonl", "b.txt"]);
//! let readme: Vec<Item> = read_file(&files[0], &Options::default()).collect();
//! assert!(matches!(&readme[..], [Item::Skip(s)] if s.reason.label() == "note"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub use super::format::FileKind;
use super::IngestError;

/// A file to read, with the root it was found under (its id is relative to that root).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceFile {
    /// The root given by the user that led to this file: a folder, or the file itself.
    pub root: PathBuf,
    /// The file, as the walk found it (the root joined with the relative path).
    pub path: PathBuf,
}

impl SourceFile {
    /// The id of the document read from a `.txt` or `.md` file: its path relative to the
    /// root with `/` separators, or its file name when the root is the file itself.
    pub fn id(&self) -> String {
        let relative = match self.path.strip_prefix(&self.root) {
            Ok(rel) if !rel.as_os_str().is_empty() => rel,
            // The root is the file: its name is all that is left to tell it apart.
            _ => self.path.file_name().map_or(self.path.as_path(), Path::new),
        };
        relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// What kind of file this is, from its extension.
    pub fn kind(&self) -> Option<FileKind> {
        FileKind::of(&self.path)
    }
}

/// Names of files that describe a corpus rather than belong to it, in lower case, as
/// they are written before the first `.` of the file name: the usual notes of a software
/// or data repository and the usual spellings of their variants.
pub const NOTES: &[&str] = &[
    "readme",
    "sources",
    "license",
    "licence",
    "license-mit",
    "license-apache",
    "licence-mit",
    "licence-apache",
    "unlicense",
    "copying",
    "copying-lesser",
    "copyright",
    "notice",
    "changelog",
    "changes",
    "contributing",
];

/// Whether a file is a note about a corpus: the part of its name before the first `.`,
/// in any case, is one of [`NOTES`]. `README.md`, `README.fr.md` and `LICENSE-MIT.txt`
/// are notes; `Readme-mission.txt`, `notice-1.txt` and `noticeboard.txt`, whose names
/// merely start with one, are documents.
pub fn is_note(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let stem = name.split('.').next().unwrap_or(name).to_lowercase();
    NOTES.contains(&stem.as_str())
}

/// Lists the files to read under `roots`; see the module docs.
///
/// A root that is a file is kept when its extension is one that is read, and is read even
/// if its name is a note's: the user asked for it by name. A note found under a folder is
/// listed, and [`super::read_file`] skips it as a note. A folder that cannot be read during the walk
/// is listed as if it were a file, so that reading it reports why as a skip in its place
/// rather than losing it silently.
///
/// # Errors
///
/// [`IngestError::RootNotFound`] when a root does not exist, [`IngestError::Root`] when
/// it cannot be examined, [`IngestError::UnsupportedRoot`] when a root is a file of a kind
/// that is not read.
pub fn discover(roots: &[PathBuf]) -> Result<Vec<SourceFile>, IngestError> {
    let mut files = Vec::new();
    let mut seen = HashSet::new();
    for root in roots {
        let meta = std::fs::metadata(root).map_err(|source| {
            if source.kind() == std::io::ErrorKind::NotFound {
                IngestError::RootNotFound(root.clone())
            } else {
                IngestError::Root {
                    path: root.clone(),
                    source,
                }
            }
        })?;
        let mut found = if meta.is_dir() {
            walk(root)
        } else if FileKind::of(root).is_some() {
            vec![root.clone()]
        } else {
            return Err(IngestError::UnsupportedRoot(root.clone()));
        };
        found.sort();
        // A file reached from two roots is read once, under the first.
        for path in found {
            if seen.insert(path.clone()) {
                files.push(SourceFile {
                    root: root.clone(),
                    path,
                });
            }
        }
    }
    Ok(files)
}

/// The kept files under a folder, in no particular order.
fn walk(root: &Path) -> Vec<PathBuf> {
    let walker = ignore::WalkBuilder::new(root)
        .hidden(true)
        .ignore(true)
        .git_ignore(true)
        .git_exclude(true)
        // A user's global gitignore would make the corpus depend on who indexes it.
        .git_global(false)
        .require_git(false)
        .follow_links(false)
        .build();
    let mut found = Vec::new();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let path = entry.path();
                let is_file = entry.file_type().is_some_and(|t| {
                    t.is_file() || (t.is_symlink() && path.metadata().is_ok_and(|m| m.is_file()))
                });
                if is_file && FileKind::of(path).is_some() {
                    found.push(entry.into_path());
                }
            }
            Err(err) => {
                // Only an unreadable folder is worth reporting; other errors (a bad glob in
                // an ignore file) leave the rest of the walk and of that file in force.
                if let Some(path) = error_path(&err) {
                    if path.is_dir() {
                        found.push(path);
                    }
                }
            }
        }
    }
    found
}

/// The path an `ignore` walk error is about, if it names one.
fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Partial(errs) => errs.iter().find_map(error_path),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_recognised() {
        let cases: &[(&str, bool)] = &[
            ("README.md", true),
            ("readme.txt", true),
            ("README", true),
            ("README.fr.md", true),
            ("SOURCES.md", true),
            ("LICENSE", true),
            ("LICENSE-MIT.txt", true),
            ("Licence.txt", true),
            ("COPYING.txt", true),
            ("NOTICE.md", true),
            ("CHANGELOG.md", true),
            ("CONTRIBUTING.md", true),
            ("license-apache.md", true),
            ("readme", true),
            // issue 9, item 9: these only start with a note's name.
            ("Readme-mission.txt", false),
            ("notice-1.txt", false),
            ("README_fr.md", false),
            ("licensed.txt", false),
            ("noticeboard.txt", false),
            ("resolutions.en.jsonl", false),
            ("sourcesfoo.txt", false),
        ];
        for (name, want) in cases {
            assert_eq!(is_note(Path::new(name)), *want, "name {name}");
        }
    }

    #[test]
    fn kinds_come_from_extensions() {
        let cases: &[(&str, Option<FileKind>)] = &[
            ("a.txt", Some(FileKind::Text)),
            ("a.TXT", Some(FileKind::Text)),
            ("a.md", Some(FileKind::Markdown)),
            ("a.Md", Some(FileKind::Markdown)),
            ("a.jsonl", Some(FileKind::JsonLines)),
            ("a.JSONL", Some(FileKind::JsonLines)),
            ("a.json", None),
            ("a.pdf", Some(FileKind::Pdf)),
            ("a.PDF", Some(FileKind::Pdf)),
            ("a.docx", Some(FileKind::Docx)),
            ("a.doc", Some(FileKind::Doc)),
            ("a.html", Some(FileKind::Html)),
            ("a.HTM", Some(FileKind::Html)),
            ("a.odt", None),
            ("txt", None),
        ];
        for (name, want) in cases {
            assert_eq!(FileKind::of(Path::new(name)), *want, "name {name}");
        }
    }

    #[test]
    fn ids_are_relative_with_slashes() {
        let cases: &[(&str, &str, &str)] = &[
            ("/c", "/c/a/b.txt", "a/b.txt"),
            ("/c/", "/c/x.md", "x.md"),
            ("/c/one.txt", "/c/one.txt", "one.txt"),
            ("rel", "rel/sub/f.txt", "sub/f.txt"),
        ];
        for (root, path, want) in cases {
            let file = SourceFile {
                root: root.into(),
                path: path.into(),
            };
            assert_eq!(file.id(), *want, "root {root} path {path}");
        }
    }

    fn write(root: &Path, rel: &str, content: &str) {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create test folder");
        }
        std::fs::write(path, content).expect("write test file");
    }

    #[test]
    fn walk_honours_ignore_files_and_skips_hidden_files() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        for rel in [
            "b/z.txt",
            "b/a.md",
            "a.jsonl",
            "c.TXT",
            "README.md",
            "SOURCES.md",
            "LICENSE",
            "LICENSE.txt",
            "sub/readme.txt",
            ".hidden.txt",
            ".hid/den.txt",
            "ignored_by_ignore.txt",
            "gitignored/x.txt",
            "drafts/keep.txt",
            "image.pdf",
            "data.json",
        ] {
            write(root, rel, "Le Conseil de sécurité.");
        }
        write(root, ".ignore", "ignored_by_ignore.txt\n");
        write(root, ".gitignore", "gitignored/\n");
        write(root, "drafts/.gitignore", "*.md\n");
        write(root, "drafts/no.md", "ignored by the nested .gitignore");
        let files = discover(&[root.to_path_buf()]).expect("discover");
        let ids: Vec<String> = files.iter().map(SourceFile::id).collect();
        // The notes are listed, to be skipped with their name when they are read.
        assert_eq!(
            ids,
            [
                "LICENSE.txt",
                "README.md",
                "SOURCES.md",
                "a.jsonl",
                "b/a.md",
                "b/z.txt",
                "c.TXT",
                "drafts/keep.txt",
                "image.pdf",
                "sub/readme.txt"
            ]
        );
        for file in &files {
            assert_eq!(file.root, root);
            assert!(file.path.starts_with(root));
        }
        // The same walk again gives the same order.
        assert_eq!(discover(&[root.to_path_buf()]).expect("discover"), files);
    }

    #[test]
    fn roots_keep_their_order_and_files_are_listed_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        write(root, "x/2.txt", "deux");
        write(root, "x/1.txt", "un");
        write(root, "y/README.md", "named explicitly");
        let roots = [
            root.join("y/README.md"),
            root.join("x"),
            root.join("x/1.txt"),
        ];
        let files = discover(&roots).expect("discover");
        let got: Vec<(String, PathBuf)> = files.iter().map(|f| (f.id(), f.root.clone())).collect();
        assert_eq!(
            got,
            [
                ("README.md".to_string(), root.join("y/README.md")),
                ("1.txt".to_string(), root.join("x")),
                ("2.txt".to_string(), root.join("x")),
            ]
        );
    }

    #[test]
    fn bad_roots_are_errors() {
        let dir = tempfile::tempdir().expect("temp dir");
        write(dir.path(), "a.odt", "PK");
        let missing = dir.path().join("missing");
        match discover(std::slice::from_ref(&missing)) {
            Err(IngestError::RootNotFound(path)) => assert_eq!(path, missing),
            other => panic!("expected RootNotFound, got {other:?}"),
        }
        let odt = dir.path().join("a.odt");
        match discover(std::slice::from_ref(&odt)) {
            Err(IngestError::UnsupportedRoot(path)) => assert_eq!(path, odt),
            other => panic!("expected UnsupportedRoot, got {other:?}"),
        }
        let err = discover(std::slice::from_ref(&missing)).expect_err("missing root");
        assert!(err.to_string().contains("missing"), "{err}");
    }
}
