//! `orphan-line`: content that belongs to no card (e.g. text before the
//! first question). The parsers find these lines while deciding each line's
//! role, so they report them through `DeckBuilder::diagnosed`.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};

pub struct OrphanLine;

impl Rule for OrphanLine {
    fn code(&self) -> &'static str {
        "orphan-line"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "content that belongs to no card"
    }

    fn doc(&self) -> &'static str {
        DOC
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {
        // The parsers report orphan lines while they decide each line's role
        // (`DeckBuilder::diagnosed`); there is nothing left to find here. The
        // rule still exists so that its code has a doc and obeys levels.
    }
}

const DOC: &str = r#"**What it does**

Finds non-blank lines that are not part of any card, the deck title, a
section marker or a directive: typically text before the first question.

**Why it matters**

deckc never drops what you wrote silently. A line that belongs to no card
will not reach the deck, so the students will never see it.

**Example**

```text
Remember: exam on Friday
What year did the Treaty of Friendship get signed?
1950
```

`Remember: exam on Friday` comes before the first question.

**Fix**

Turn the line into a question or an answer, move it under the card it
belongs to, or delete it.
"#;
