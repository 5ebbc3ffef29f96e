//! File paths as the server shows them: relative to the folder that was indexed (the
//! deepest folder that holds every source file of the index), never absolute paths of
//! the server's machine.

use std::path::{Path, PathBuf};

use crate::index::schema;
use crate::index::store::Generation;

/// The folder every source file of `generation` lies in, from the sources' canonical
/// paths; `None` for an empty index or one whose sources share no folder.
pub fn indexed_root(generation: &Generation) -> Option<PathBuf> {
    let searcher = generation.reader.searcher();
    let mut root: Option<PathBuf> = None;
    for segment in searcher.segment_readers() {
        let Ok(Some(column)) = segment.fast_fields().str(schema::SOURCE) else {
            continue;
        };
        let Ok(mut stream) = column.dictionary().stream() else {
            continue;
        };
        while stream.advance() {
            let source = PathBuf::from(String::from_utf8_lossy(stream.key()).as_ref());
            let folder = source.parent().map(Path::to_path_buf).unwrap_or_default();
            root = Some(match root {
                None => folder,
                Some(known) => common(&known, &folder),
            });
        }
    }
    root.filter(|r| r.is_absolute() && r.parent().is_some())
}

/// The longest folder both paths start with.
fn common(a: &Path, b: &Path) -> PathBuf {
    a.components()
        .zip(b.components())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x)
        .collect()
}

/// `path` as shown over HTTP: relative to `root`; a relative path as it was stored; an
/// absolute path outside `root` as its file name only.
pub fn shown(root: Option<&Path>, path: &str) -> String {
    let p = Path::new(path);
    if !p.is_absolute() {
        return path.to_string();
    }
    if let Some(rel) = root.and_then(|r| p.strip_prefix(r).ok()) {
        if !rel.as_os_str().is_empty() {
            return rel.to_string_lossy().into_owned();
        }
    }
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_shown_relative_to_the_indexed_folder() {
        let root = Path::new("/srv/un/corpus");
        for (path, expected) in [
            ("/srv/un/corpus/a.txt", "a.txt"),
            ("/srv/un/corpus/fr/b.jsonl", "fr/b.jsonl"),
            ("corpus/c.txt", "corpus/c.txt"),
            ("/etc/elsewhere/d.txt", "d.txt"),
            ("/srv/un/corpus", "corpus"),
        ] {
            assert_eq!(shown(Some(root), path), expected, "{path}");
        }
        assert_eq!(shown(None, "/home/me/e.txt"), "e.txt");
    }

    #[test]
    fn the_common_folder_is_found_by_components() {
        assert_eq!(
            common(Path::new("/a/bc/d"), Path::new("/a/b/d")),
            PathBuf::from("/a")
        );
        assert_eq!(
            common(Path::new("/a/b/c"), Path::new("/a/b")),
            PathBuf::from("/a/b")
        );
    }
}
