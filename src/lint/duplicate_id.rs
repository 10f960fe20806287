//! `duplicate-id`: two cards whose identity (explicit id, or folded
//! question) would give them the same Anki GUID. GUIDs are assigned after
//! normalization, so `identity::assign` reports these.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};

pub struct DuplicateId;

impl Rule for DuplicateId {
    fn code(&self) -> &'static str {
        "duplicate-id"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "two cards that would get the same identity in Anki"
    }

    fn doc(&self) -> &'static str {
        DOC
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {
        // GUIDs are assigned after normalization, so `identity::assign`
        // reports duplicates; there is nothing left to find here. The rule
        // still exists so that its code has a doc and obeys levels.
    }
}

const DOC: &str = r#"**What it does**

Finds two cards that would get the same GUID: the same explicit id
(`{#id}` or an id column), or questions that are equal once case, spacing
and quote style are folded.

**Why it matters**

Anki matches notes by GUID alone. Two notes with one GUID in a package
become one note in the learner's collection: one card silently replaces the
other. deckc keeps both by giving the later one a position-derived GUID,
but that GUID changes when cards move, so learners lose its history.

**Example**

```text
What was the Treaty of Friendship? {#treaty}
An alliance signed in 1950
When was the Treaty of Friendship signed? {#treaty}
1950
```

**Fix**

Give one of the cards a different explicit id, or merge the two cards.
"#;
