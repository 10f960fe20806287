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
    /// The name is not a single safe file name, or not one Anki keeps as
    /// it is (the reason says why).
    Unsafe(String),
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

/// Whether `text` holds `![`, where every markdown image starts: every
/// field of every card asks.
pub fn has_image_start(text: &str) -> bool {
    image_start(text.as_bytes()).is_some()
}

/// The position of the first `![` in `bytes`. A SIMD search for `!`, which
/// prose seldom has; `memmem` would build a searcher on every call.
fn image_start(bytes: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b'!', bytes).find(|&i| bytes.get(i + 1) == Some(&b'['))
}

/// Markdown images `![alt](target)`: (start, end, (target start, target
/// end)) byte positions. The target is the first whitespace-separated word
/// inside the parentheses (a title may follow it).
fn markdown_images(text: &str) -> Vec<(usize, usize, (usize, usize))> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(pos) = image_start(&text.as_bytes()[from..]) {
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

/// Checks that `name` is one safe file name, and one that Anki keeps as it
/// is (see [`anki_name`]).
pub fn check_name(name: &str) -> Result<(), Problem> {
    let bytes = name.as_bytes();
    let unsafe_ = |why: &str| Err(Problem::Unsafe(why.to_string()));
    if name.is_empty() {
        unsafe_("it is empty")
    } else if name == "." || name == ".." {
        unsafe_("it names a directory")
    } else if name.contains('/') || name.contains('\\') {
        unsafe_("it contains a path separator; put the file next to the notes")
    } else if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        unsafe_("it starts with a drive letter")
    } else if name.chars().any(char::is_control) {
        unsafe_("it contains a control character")
    } else if let Some(why) = anki_rename_reason(name) {
        Err(Problem::Unsafe(format!(
            "{why}, so Anki would store the file as `{}`; rename the file and the reference",
            anki_name(name)
        )))
    } else {
        Ok(())
    }
}

/// The longest media file name Anki keeps, in bytes.
pub const ANKI_MAX_NAME_BYTES: usize = 120;

/// Characters Anki removes from media file names (besides controls).
const ANKI_REMOVED: &[char] = &['[', ']', '<', '>', ':', '"', '/', '?', '*', '^', '\\', '|'];

/// `CON`, `PRN`, `AUX`, `NUL`, `COM1`–`COM9`, `LPT1`–`LPT9` (any case):
/// the Windows device name a file name starts with, when it is followed by
/// a dot or nothing.
fn windows_device_name(name: &str) -> Option<&str> {
    let stem = name.split('.').next().unwrap_or(name);
    let upper = stem.to_ascii_uppercase();
    let device = match upper.as_bytes() {
        [a, b, c] => matches!(
            [*a, *b, *c],
            [b'C', b'O', b'N'] | [b'P', b'R', b'N'] | [b'A', b'U', b'X'] | [b'N', b'U', b'L']
        ),
        [a, b, c, d] => {
            matches!([*a, *b, *c], [b'C', b'O', b'M'] | [b'L', b'P', b'T'])
                && (b'1'..=b'9').contains(d)
        }
        _ => false,
    };
    device.then_some(stem)
}

/// Why Anki would rename the media file `name`, or `None` when it keeps the
/// name. Mirrors `normalize_filename` in Anki's `rslib/src/media/files.rs`
/// (see [`anki_name`]).
fn anki_rename_reason(name: &str) -> Option<String> {
    use unicode_normalization::{is_nfc, UnicodeNormalization};
    if !is_nfc(name) {
        let nfc: String = name.nfc().collect();
        if anki_rename_reason(&nfc).is_none() {
            return Some("it is not in Unicode NFC form".into());
        }
        return anki_rename_reason(&nfc);
    }
    if let Some(c) = name
        .chars()
        .find(|c| ANKI_REMOVED.contains(c) || c.is_ascii_control())
    {
        return Some(format!(
            "it contains `{}`, which Anki removes from media names",
            c.escape_default()
        ));
    }
    if name.contains('\u{a0}') {
        return Some("it contains a no-break space, which Anki turns into a space".into());
    }
    if let Some(device) = windows_device_name(name) {
        return Some(format!("`{device}` is a Windows device name"));
    }
    if name.ends_with(['.', ' ']) {
        return Some("it ends in a dot or a space, which Windows does not allow".into());
    }
    if name.len() > ANKI_MAX_NAME_BYTES {
        return Some(format!(
            "it is {} bytes long and Anki keeps at most {ANKI_MAX_NAME_BYTES}",
            name.len()
        ));
    }
    None
}

/// The name Anki gives a media file called `name` when it adds or imports
/// it, as its `normalize_filename` does: NFC; `[]<>:"/?*^\|` and ASCII
/// controls removed; no-break spaces made spaces; `_` after a Windows
/// device name (`CON.png` → `CON_.png`) and after a trailing dot or space;
/// cut to 120 bytes, keeping up to 10 bytes of extension. (Anki also drops
/// unassigned code points; deckc has no table of those and keeps them.)
pub fn anki_name(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out: String = name
        .nfc()
        .filter(|c| !ANKI_REMOVED.contains(c) && !c.is_ascii_control())
        .map(|c| if c == '\u{a0}' { ' ' } else { c })
        .collect();
    if let Some(device) = windows_device_name(&out) {
        out.insert(device.len(), '_');
    }
    if out.ends_with(['.', ' ']) {
        out.push('_');
    }
    if out.len() > ANKI_MAX_NAME_BYTES {
        let (stem, ext) = match out.rsplit_once('.') {
            Some((stem, ext)) => (stem, ext),
            None => (out.as_str(), ""),
        };
        let ext = cut(ext, 10);
        let stem = cut(stem, ANKI_MAX_NAME_BYTES - ext.len() - 2);
        let mut cut_name = if ext.is_empty() {
            stem.to_string()
        } else {
            format!("{stem}.{ext}")
        };
        if cut_name.ends_with(['.', ' ']) {
            cut_name.push('_');
        }
        out = cut_name;
    }
    out
}

/// `s` cut to at most `max` bytes, at a character boundary.
fn cut(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
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
        let texts = std::iter::once(&*card.question).chain(card.answer.iter().map(|l| &*l.text));
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

    proptest::proptest! {
        /// The `!` search finds what `str::find` finds.
        #[test]
        fn image_start_is_the_first_bang_bracket(s in "[a!\\[\\] ]{0,12}") {
            proptest::prop_assert_eq!(image_start(s.as_bytes()), s.find("!["));
        }
    }

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
    fn names_anki_would_rename_are_refused_with_the_new_name() {
        let long = format!("{}.png", "x".repeat(116));
        let too_long = format!("{}.png", "x".repeat(117));
        for (bad, anki) in [
            ("CON.png", "CON_.png"),
            ("nul.txt", "nul_.txt"),
            ("com1.jpg", "com1_.jpg"),
            ("Lpt9", "Lpt9_"),
            ("aux.tar.gz", "aux_.tar.gz"),
            ("map.", "map._"),
            ("map.png ", "map.png _"),
            ("ab:c.png", "abc.png"),
            ("what?.png", "what.png"),
            ("star*.png", "star.png"),
            ("\"q\".png", "q.png"),
            ("<a>.png", "a.png"),
            ("pipe|.png", "pipe.png"),
            ("x[1].png", "x1.png"),
            ("up^.png", "up.png"),
            ("no\u{a0}break.png", "no break.png"),
            ("e\u{301}.png", "\u{e9}.png"),
        ] {
            assert_eq!(anki_name(bad), anki, "{bad:?}");
            match check_name(bad) {
                Err(Problem::Unsafe(why)) => {
                    assert!(why.contains(&format!("`{anki}`")), "{bad:?}: {why}")
                }
                other => panic!("{bad:?}: {other:?}"),
            }
        }
        // Anki's own test vectors.
        assert_eq!(anki_name("con.jpg[]><:\"/?*^\\|\0\r\n"), "con_.jpg");
        assert_eq!(anki_name("test."), "test._");
        assert_eq!(anki_name("test "), "test _");
        assert_eq!(
            anki_name(&format!("{}.jpg", "x".repeat(240))),
            "x".repeat(120 - ".jpg".len() - 1) + ".jpg"
        );
        // 120 bytes is the limit.
        assert_eq!(long.len(), 120);
        assert!(check_name(&long).is_ok());
        let why = format!("{:?}", check_name(&too_long));
        assert!(why.contains("121 bytes"), "{why}");
        // Names that only look like device names, and ordinary ones.
        for good in [
            "console.png",
            "CON1.png",
            "com0.png",
            "icon.png",
            "nul-map.png",
            ".hidden.png",
            "map of china.png",
            "\u{e9}migr\u{e9}.png",
            "地图.png",
            "a&b.png",
            "x(1).png",
        ] {
            assert_eq!(check_name(good), Ok(()), "{good:?}");
            assert_eq!(anki_name(good), good, "{good:?}");
        }
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
