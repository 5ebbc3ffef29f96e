//! Where the default index and corpus are, wherever quorum runs from.
//!
//! In order: `--index` or `$QUORUM_INDEX` names the index; run from quorum's own
//! repository, the defaults are its `index/` and `corpus/`; anywhere else (after
//! `cargo install`) they are `index/` and `corpus/` in the per-user data folder
//! (`$XDG_DATA_HOME/quorum` or `~/.local/share/quorum` on Linux,
//! `~/Library/Application Support/org.quorum.quorum` on macOS, `%APPDATA%\quorum\quorum\data`
//! on Windows), whose corpus is seeded on first use with the text shipped in the
//! binary, so that the first search answers anywhere.

use std::path::{Path, PathBuf};

use anyhow::Context;

/// The default index directory's name.
pub const DEFAULT_INDEX: &str = "index";
/// The default corpus directory's name.
pub const DEFAULT_CORPUS: &str = "corpus";

/// The shipped seed corpus (`corpus/*.txt`), written to the data folder's corpus the
/// first time it is needed.
const SEED: [(&str, &str); 1] = [(
    "000_371f281f3ae292af.txt",
    include_str!("../../corpus/000_371f281f3ae292af.txt"),
)];

/// Where the defaults live: the working directory (the repository), or the per-user
/// data folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Places {
    /// The folder that holds `index/` and `corpus/`; empty for the working directory.
    pub home: PathBuf,
    /// True when `home` is the per-user data folder, whose corpus quorum may seed.
    pub data_folder: bool,
}

impl Places {
    /// The defaults for a process whose working directory is `cwd`.
    pub fn for_dir(cwd: &Path) -> Places {
        if is_repository(cwd) {
            return Places {
                home: PathBuf::new(),
                data_folder: false,
            };
        }
        match directories::ProjectDirs::from("org", "quorum", "quorum") {
            Some(dirs) => Places {
                home: dirs.data_dir().to_path_buf(),
                data_folder: true,
            },
            // No home folder to put it in: the working directory, as before.
            None => Places {
                home: PathBuf::new(),
                data_folder: false,
            },
        }
    }

    /// The defaults of this process.
    pub fn current() -> Places {
        let cwd = std::env::current_dir().unwrap_or_default();
        Places::for_dir(&cwd)
    }

    /// The default index.
    pub fn index(&self) -> PathBuf {
        self.home.join(DEFAULT_INDEX)
    }

    /// The default corpus, seeded first when it is the data folder's and does not
    /// exist yet. A corpus folder that exists is never written to.
    pub fn corpus(&self) -> anyhow::Result<PathBuf> {
        let corpus = self.home.join(DEFAULT_CORPUS);
        if self.data_folder && !corpus.exists() {
            seed(&corpus)
                .with_context(|| format!("writing the seed corpus to {}", corpus.display()))?;
        }
        Ok(corpus)
    }
}

/// True when `dir` is quorum's repository: its `Cargo.toml` is this crate's, or it
/// holds `corpus/` and `index/README.md` as the repository does.
pub fn is_repository(dir: &Path) -> bool {
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap_or_default();
    let ours = manifest
        .lines()
        .map(str::trim)
        .any(|line| line.replace(' ', "") == "name=\"quorum\"");
    ours || (dir.join(DEFAULT_CORPUS).is_dir()
        && dir.join(DEFAULT_INDEX).join("README.md").is_file())
}

/// Writes the shipped texts into a new `corpus` folder.
fn seed(corpus: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(corpus)?;
    for (name, text) in SEED {
        std::fs::write(corpus.join(name), text)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_repository_is_recognised_by_its_manifest_or_its_folders() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(!is_repository(dir.path()));
        std::fs::write(
            dir.path().join("Cargo.toml"),
            "[package]\nname = \"other\"\n",
        )
        .expect("write");
        assert!(!is_repository(dir.path()));
        std::fs::create_dir_all(dir.path().join("index")).expect("mkdir");
        std::fs::create_dir_all(dir.path().join("corpus")).expect("mkdir");
        std::fs::write(dir.path().join("index/README.md"), "").expect("write");
        assert!(is_repository(dir.path()));
        assert!(is_repository(Path::new(env!("CARGO_MANIFEST_DIR"))));
    }

    #[test]
    fn the_seed_is_the_shipped_corpus() {
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut texts: Vec<String> = std::fs::read_dir(&shipped)
            .expect("corpus/")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".txt"))
            .collect();
        texts.sort();
        let seeded: Vec<&str> = SEED.iter().map(|(name, _)| *name).collect();
        assert_eq!(texts, seeded, "every corpus/*.txt is in the seed");
    }
}
