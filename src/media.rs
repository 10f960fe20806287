//! Media files referenced by cards: finding the references, checking that a
//! name is one safe file in the notes' directory, and packing the files.
//!
//! A reference is a markdown image `![alt](file)` (always) or an HTML
//! `<img src="file">` (when the notes are HTML). Remote images (`http:`,
//! `https:`, `data:`) are left alone. A packable name is a single path
//! component: no `/`, `\`, `..`, drive letter or absolute path, and a
//! symlink may not lead out of the directory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::model::Deck;

/// One reference inside a text: the file name and its byte range in the
/// text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub name: String,
    pub start: usize,
    pub end: usize,
}

/// Why a referenced file cannot be packed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The name is not a single safe file name (the reason says why).
    Unsafe(&'static str),
    /// No such file in the directory.
    Missing,
    /// The name is a symlink leading outside the directory, or not a file.
    Escapes,
}

impl Problem {
    pub fn message(&self, name: &str) -> String {
        match self {
            Problem::Unsafe(why) => {
                format!("media reference `{name}` is not a safe file name: {why}")
            }
            Problem::Missing => format!("media file `{name}` does not exist next to the notes"),
            Problem::Escapes => {
                format!("media file `{name}` is not a regular file inside the notes' directory")
            }
        }
    }
}

/// Whether a reference points elsewhere (a URL) rather than at a file.
fn is_remote(target: &str) -> bool {
    let lower = target.to_ascii_lowercase();
    ["http://", "https://", "data:", "//"]
        .iter()
        .any(|p| lower.starts_with(p))
}

/// The media references in `text`, in order. `<img>` tags count only when
/// `html` is set.
pub fn references(text: &str, html: bool) -> Vec<Reference> {
    let mut out = Vec::new();
    for (start, end, target) in markdown_images(text) {
        let (t_start, t_end) = target;
        let name = text[t_start..t_end].to_string();
        if !is_remote(&name) {
            out.push(Reference { name, start, end });
        }
    }
    if html {
        let lower = text.to_ascii_lowercase();
        let mut from = 0;
        while let Some(pos) = lower[from..].find("<img") {
            let start = from + pos;
            let end = lower[start..]
                .find('>')
                .map_or(text.len(), |e| start + e + 1);
            if let Some(name) = img_src(&text[start..end]) {
                if !is_remote(&name) {
                    out.push(Reference { name, start, end });
                }
            }
            from = end.max(start + 1);
        }
        out.sort_by_key(|r| r.start);
    }
    out
}

/// Markdown images `![alt](target)`: (start, end, (target start, target
/// end)) byte positions. The target is the first whitespace-separated word
/// inside the parentheses (a title may follow it).
fn markdown_images(text: &str) -> Vec<(usize, usize, (usize, usize))> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(pos) = text[from..].find("![") {
        let start = from + pos;
        from = start + 2;
        let Some(close) = text[from..].find(']') else {
            break;
        };
        let alt_end = from + close;
        if text[from..alt_end].contains('\n') || !text[alt_end..].starts_with("](") {
            continue;
        }
        let inner_start = alt_end + 2;
        let Some(paren) = text[inner_start..].find(')') else {
            continue;
        };
        let inner_end = inner_start + paren;
        let inner = &text[inner_start..inner_end];
        let lead = inner.len() - inner.trim_start().len();
        let word = inner.split_whitespace().next().unwrap_or("");
        if word.is_empty() {
            continue;
        }
        let t_start = inner_start + lead;
        out.push((start, inner_end + 1, (t_start, t_start + word.len())));
        from = inner_end + 1;
    }
    out
}

/// The `src` attribute of an `<img …>` tag, entities decoded.
pub fn img_src(tag: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    if !lower.starts_with("<img") {
        return None;
    }
    let mut from = 4;
    while let Some(pos) = lower[from..].find("src") {
        let at = from + pos;
        from = at + 3;
        let before_ok = lower[..at].ends_with(|c: char| c.is_ascii_whitespace());
        let rest = lower[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let value_at = tag.len() - rest.len() + 1;
        let value = tag[value_at..].trim_start();
        let raw = match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or(""),
            _ => value
                .split(|c: char| c.is_ascii_whitespace() || c == '>')
                .next()
                .unwrap_or(""),
        };
        return Some(crate::emit::apkg::decode_entities(raw));
    }
    None
}

/// Rewrites markdown images in an HTML field into `<img>` tags. `escaped`
/// says whether the field text was HTML-escaped already (plain notes); in
/// HTML notes the target and alt text are escaped here.
pub fn markdown_to_img(field: &str, escaped: bool) -> String {
    let images = markdown_images(field);
    if images.is_empty() {
        return field.to_string();
    }
    let attr = |s: &str| {
        if escaped {
            s.to_string()
        } else {
            s.replace('"', "&quot;")
        }
    };
    let mut out = String::with_capacity(field.len() + 16);
    let mut last = 0;
    for (start, end, (t_start, t_end)) in images {
        out.push_str(&field[last..start]);
        let alt = &field[start + 2..field[..t_start].rfind("](").unwrap_or(start + 2)];
        out.push_str(&format!(
            "<img src=\"{}\" alt=\"{}\">",
            attr(&field[t_start..t_end]),
            attr(alt)
        ));
        last = end;
    }
    out.push_str(&field[last..]);
    out
}

/// Checks that `name` is one safe file name.
pub fn check_name(name: &str) -> Result<(), Problem> {
    let bytes = name.as_bytes();
    if name.is_empty() {
        Err(Problem::Unsafe("it is empty"))
    } else if name == "." || name == ".." {
        Err(Problem::Unsafe("it names a directory"))
    } else if name.contains('/') || name.contains('\\') {
        Err(Problem::Unsafe(
            "it contains a path separator; put the file next to the notes",
        ))
    } else if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        Err(Problem::Unsafe("it starts with a drive letter"))
    } else if name.chars().any(char::is_control) {
        Err(Problem::Unsafe("it contains a control character"))
    } else {
        Ok(())
    }
}

/// Resolves `name` against `dir`: the path of a regular file inside `dir`.
pub fn resolve(dir: &Path, name: &str) -> Result<PathBuf, Problem> {
    check_name(name)?;
    let path = dir.join(name);
    let meta = std::fs::symlink_metadata(&path).map_err(|_| Problem::Missing)?;
    if meta.file_type().is_symlink() {
        let target = path.canonicalize().map_err(|_| Problem::Missing)?;
        let base = dir.canonicalize().map_err(|_| Problem::Missing)?;
        if !target.starts_with(&base) || !target.is_file() {
            return Err(Problem::Escapes);
        }
    } else if !meta.is_file() {
        return Err(Problem::Escapes);
    }
    Ok(path)
}

/// The directory references are resolved against: `dir`, or the current
/// directory when it is empty.
pub fn base_dir(dir: Option<&Path>) -> PathBuf {
    match dir {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Every packable media file the deck references, by name (sorted, so the
/// package lists them in a fixed order). Unsafe or missing files are left
/// out: the `missing-media` lint reports them.
pub fn collect(deck: &Deck, dir: &Path, html: bool) -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    for card in &deck.cards {
        let texts = std::iter::once(card.question.as_str())
            .chain(card.answer.iter().map(|l| l.text.as_str()));
        for text in texts {
            for r in references(text, html) {
                if out.contains_key(&r.name) {
                    continue;
                }
                if let Ok(path) = resolve(dir, &r.name) {
                    out.insert(r.name, path);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_markdown_and_html_references() {
        let t = "see ![a map](map.png \"t\") and <IMG class=x SRC='b&amp;c.jpg'> ![x](https://e.com/y.png)";
        let names: Vec<_> = references(t, true).into_iter().map(|r| r.name).collect();
        assert_eq!(names, ["map.png", "b&c.jpg"]);
        let plain: Vec<_> = references(t, false).into_iter().map(|r| r.name).collect();
        assert_eq!(plain, ["map.png"]);
        let r = &references("x ![a](m.png)", false)[0];
        assert_eq!((r.start, r.end), (2, 13));
    }

    #[test]
    fn rejects_unsafe_names() {
        for bad in [
            "",
            "..",
            "../x.png",
            "a/b.png",
            "a\\b.png",
            "/etc/passwd",
            "C:x.png",
        ] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
        assert!(check_name("map of china.png").is_ok());
    }

    #[test]
    fn markdown_images_become_img_tags() {
        assert_eq!(
            markdown_to_img("a ![The &amp; map](m.png) b", true),
            "a <img src=\"m.png\" alt=\"The &amp; map\"> b"
        );
        assert_eq!(markdown_to_img("no [link](x)", true), "no [link](x)");
    }

    #[test]
    fn resolves_only_files_inside_the_directory() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ok.png"), b"x").unwrap();
        assert!(resolve(dir.path(), "ok.png").is_ok());
        assert_eq!(resolve(dir.path(), "nope.png"), Err(Problem::Missing));
        #[cfg(unix)]
        {
            let outside = tempfile::tempdir().unwrap();
            std::fs::write(outside.path().join("secret"), b"x").unwrap();
            std::os::unix::fs::symlink(outside.path().join("secret"), dir.path().join("s.png"))
                .unwrap();
            assert_eq!(resolve(dir.path(), "s.png"), Err(Problem::Escapes));
        }
    }
}
