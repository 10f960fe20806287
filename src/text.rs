//! [`Text`]: a piece of a shared string, most often of the source file.
//!
//! A parsed deck's questions and answer lines are, nearly always, pieces
//! of the source exactly as written. Each used to be a heap block of its
//! own (a million cards made four to five million of them, as large again
//! as the source, which stays in memory for the diagnostics anyway). A
//! `Text` is instead a reference-counted pointer to the whole source and
//! the piece's place in it, sixteen bytes like the `Arc<str>` it replaces;
//! a text that is not a piece of the source (a normalized line, a quoted
//! CSV field with its quotes undone) owns a string of its own.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::{Deref, Range};
use std::sync::{Arc, LazyLock};

/// A shared, immutable string slice: `Deref<Target = str>`, compared,
/// hashed and printed as that `str`.
#[derive(Clone)]
pub struct Text {
    /// Never changed while any `Text` points into it.
    buf: Arc<String>,
    start: u32,
    /// The piece's length, or [`TO_END`].
    len: u32,
}

/// A `len` meaning "to the end of `buf`": a text of its own of 4 GiB or
/// more (no piece of the source is made that long).
const TO_END: u32 = u32::MAX;

/// The empty text: one shared allocation (a default `Card` is made for
/// every parsed card).
static EMPTY: LazyLock<Arc<String>> = LazyLock::new(|| Arc::new(String::new()));

impl Text {
    /// The piece `range` of `buf`, sharing `buf`. A range that is not on
    /// character boundaries inside `buf` is an empty text; one that does
    /// not fit in 32 bits is copied.
    pub fn slice(buf: &Arc<String>, range: Range<usize>) -> Text {
        let Some(piece) = buf.get(range.clone()) else {
            return Text::default();
        };
        match (u32::try_from(range.start), u32::try_from(range.len())) {
            (Ok(start), Ok(len)) if len < TO_END && start.checked_add(len).is_some() => Text {
                buf: Arc::clone(buf),
                start,
                len,
            },
            _ => Text::from(piece),
        }
    }

    /// `piece` as a `Text`: shared with `buf` when it is a piece of `buf`'s
    /// memory, a copy otherwise.
    pub fn within(buf: &Arc<String>, piece: &str) -> Text {
        match offset_in(buf, piece) {
            Some(start) => Text::slice(buf, start..start + piece.len()),
            None => Text::from(piece),
        }
    }

    /// Whether `a` and `b` are the same piece of the same string (not only
    /// equal text).
    pub fn same(a: &Text, b: &Text) -> bool {
        Arc::ptr_eq(&a.buf, &b.buf) && a.start == b.start && a.len == b.len
    }

    /// Whether this text is a piece of `buf` (rather than a copy).
    pub fn is_in(&self, buf: &Arc<String>) -> bool {
        Arc::ptr_eq(&self.buf, buf)
    }

    pub fn as_str(&self) -> &str {
        self
    }
}

/// Where `piece` starts inside `buf`, when its memory lies within `buf`'s.
fn offset_in(buf: &str, piece: &str) -> Option<usize> {
    let base = buf.as_ptr() as usize;
    let at = (piece.as_ptr() as usize).checked_sub(base)?;
    (at.checked_add(piece.len())? <= buf.len()).then_some(at)
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        let start = self.start as usize;
        let end = match self.len {
            TO_END => self.buf.len(),
            len => start + len as usize,
        };
        debug_assert!(self.buf.is_char_boundary(start) && self.buf.is_char_boundary(end));
        // SAFETY: every constructor checks that `start..end` lies inside
        // `buf` on character boundaries (`slice` through `str::get`; the
        // others cover a whole string), and `buf` is never changed while
        // shared: nothing takes it mutably.
        unsafe { self.buf.get_unchecked(start..end) }
    }
}

impl Default for Text {
    fn default() -> Self {
        Text {
            buf: Arc::clone(&EMPTY),
            start: 0,
            len: 0,
        }
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        if s.is_empty() {
            return Text::default();
        }
        let len = u32::try_from(s.len()).unwrap_or(TO_END);
        Text {
            buf: Arc::new(s),
            start: 0,
            len,
        }
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text::from(s.to_string())
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Self {
        Text::from(s.as_str())
    }
}

impl From<Box<str>> for Text {
    fn from(s: Box<str>) -> Self {
        Text::from(String::from(s))
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        **self == **other
    }
}

impl Eq for Text {}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        &**self == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        &**self == *other
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == &**other
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == &**other
    }
}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Text) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Text {
    fn cmp(&self, other: &Text) -> std::cmp::Ordering {
        (**self).cmp(&**other)
    }
}

impl Hash for Text {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (**self).hash(state);
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_sixteen_bytes() {
        assert_eq!(std::mem::size_of::<Text>(), 16);
    }

    #[test]
    fn pieces_of_the_buffer_share_it_and_others_are_copied() {
        let buf = Arc::new("héllo world".to_string());
        let hello = Text::within(&buf, &buf[..6]);
        assert_eq!(hello, "héllo");
        assert!(hello.is_in(&buf));
        let other = String::from("héllo");
        let copy = Text::within(&buf, &other);
        assert_eq!(copy, hello);
        assert!(!copy.is_in(&buf));
        assert!(!Text::same(&copy, &hello));
        assert!(Text::same(&hello, &hello.clone()));
        // Off a boundary: empty, never a bad slice.
        assert_eq!(Text::slice(&buf, 0..2), "");
        assert_eq!(Text::slice(&buf, 3..40), "");
        assert_eq!(Text::default(), "");
        assert_eq!(Text::from(""), Text::default());
    }

    proptest::proptest! {
        /// A text made any way derefs to the same `str`, and compares,
        /// orders and hashes as it.
        #[test]
        fn a_text_is_its_str(s in "\\PC{0,20}", a in 0usize..24, b in 0usize..24) {
            let buf = Arc::new(s.clone());
            let (a, b) = (a.min(b), a.max(b));
            let want = s.get(a..b).unwrap_or("");
            let t = Text::slice(&buf, a..b);
            proptest::prop_assert_eq!(&*t, want);
            proptest::prop_assert_eq!(t.is_in(&buf), s.get(a..b).is_some());
            let owned = Text::from(want.to_string());
            proptest::prop_assert_eq!(&t, &owned);
            proptest::prop_assert_eq!(t.cmp(&owned), std::cmp::Ordering::Equal);
            let h = |x: &dyn Fn(&mut std::hash::DefaultHasher)| {
                let mut st = std::hash::DefaultHasher::new();
                x(&mut st);
                st.finish()
            };
            proptest::prop_assert_eq!(h(&|st| t.hash(st)), h(&|st| want.hash(st)));
            if let Some(piece) = buf.get(a..b) {
                let w = Text::within(&buf, piece);
                proptest::prop_assert!(w.is_in(&buf));
                proptest::prop_assert_eq!(&*w, piece);
            }
        }
    }
}
