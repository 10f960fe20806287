//! `syntax-error`: a line the chosen source syntax cannot make sense of
//! (a `Q:` without text, a delimited line without a separator, a broken CSV
//! quote…). The parsers report these through `DeckBuilder::diagnosed`.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};

pub struct SyntaxError;

impl Rule for SyntaxError {
    fn code(&self) -> &'static str {
        "syntax-error"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "a line the syntax cannot make sense of"
    }

    fn doc(&self) -> &'static str {
        DOC
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {
        // The parsers report syntax errors while they read the source
        // (`DeckBuilder::diagnosed`); there is nothing left to find here. The
        // rule still exists so that its code has a doc and obeys levels.
    }
}

const DOC: &str = r#"**What it does**

Reports a line that the source syntax (detected, or chosen with `--syntax`)
cannot interpret: an `A:` with no `Q:` before it, a delimited line with no
separator, an unterminated CSV quote, a canonical-format line with an
unknown marker.

**Why it matters**

The line cannot be placed in a card, so its content would be lost, or the
file was detected as the wrong syntax and every card is suspect.

**Example**

```text
Q: When was the Treaty of Friendship signed?
A: 1950
A: Economic aid of $300million
```

In the `qa` syntax the second `A:` has no question of its own.

**Fix**

Correct the line so it follows the syntax, or pass `--syntax` if the file
was detected as the wrong one (`deckc check --explain` shows each line's
role and the rule that decided it).
"#;
