//! Terminal manners for the commands that talk to people: colors that follow
//! `--color` and `NO_COLOR`, `--quiet`/`--verbose`, and a progress bar that
//! appears only on a terminal and only when a build takes over a second.

use std::cell::Cell;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::{ColorChoice, TerminalArgs};

/// A build shorter than this never shows a bar (it would only flicker).
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// How the terminal output looks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Term {
    pub color: bool,
    pub quiet: bool,
    pub verbose: bool,
}

impl Term {
    pub fn new(color: ColorChoice, args: TerminalArgs) -> Term {
        Term {
            color: super::use_color(color),
            quiet: args.quiet,
            verbose: args.verbose,
        }
    }

    /// `text` in an ANSI style (`1;31` bold red, …) when colors are on.
    fn paint(&self, style: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{style}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// `error:` as rustc colors it.
    pub fn error(&self) -> String {
        self.paint("1;31", "error:")
    }

    pub fn warning(&self) -> String {
        self.paint("1;33", "warning:")
    }

    pub fn note(&self) -> String {
        self.paint("1;36", "note:")
    }

    pub fn help(&self) -> String {
        self.paint("1;36", "help:")
    }

    /// A status word at the start of a summary line (`built`), like cargo's
    /// green `Finished`.
    pub fn status(&self, word: &str) -> String {
        self.paint("1;32", word)
    }

    /// True when a progress bar may be drawn: stderr is a terminal and the
    /// user did not ask for quiet.
    pub fn progress_allowed(&self) -> bool {
        !self.quiet && std::io::stderr().is_terminal()
    }
}

/// A progress bar over input files that stays hidden for the first second.
/// Methods take `&self` so the build's callbacks can share it.
pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: Cell<bool>,
}

impl Progress {
    /// A bar over `len` files; `enabled: false` makes every call a no-op.
    pub fn new(enabled: bool, len: usize) -> Progress {
        let bar = enabled.then(|| {
            let style = ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {wide_msg}")
                .map(|s| s.progress_chars("=> "))
                .unwrap_or_else(|_| ProgressStyle::default_bar());
            ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::hidden())
                .with_style(style)
        });
        Progress {
            bar,
            started: Instant::now(),
            shown: Cell::new(false),
        }
    }

    /// Called now and then while waiting: shows the bar once the build has
    /// run for a second.
    pub fn tick(&self) {
        if let Some(bar) = &self.bar {
            if !self.shown.get() && self.started.elapsed() >= SHOW_AFTER {
                bar.set_draw_target(ProgressDrawTarget::stderr());
                bar.enable_steady_tick(Duration::from_millis(100));
                self.shown.set(true);
            }
        }
    }

    /// One more file done.
    pub fn advance(&self, message: &str) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
            bar.set_message(message.to_string());
        }
        self.tick();
    }

    /// Runs `f` (which prints) with the bar out of the way.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    /// Removes the bar before the summary line.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colors_only_when_asked() {
        let plain = Term::default();
        assert_eq!(plain.error(), "error:");
        assert_eq!(plain.status("built"), "built");
        let color = Term {
            color: true,
            ..Term::default()
        };
        assert_eq!(color.error(), "\x1b[1;31merror:\x1b[0m");
        assert_eq!(color.status("built"), "\x1b[1;32mbuilt\x1b[0m");
    }

    #[test]
    fn a_disabled_bar_does_nothing() {
        let p = Progress::new(false, 3);
        p.tick();
        p.advance("a.txt");
        assert_eq!(p.suspend(|| 7), 7);
        p.finish();
        assert!(!p.shown.get());
    }
}
