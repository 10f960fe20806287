//! Per-stage durations for `--timings`: where a build's time goes.
//!
//! A [`Timings`] handle is cheap to clone and travels in
//! [`crate::Options`]. The default handle is disabled: [`Timings::stage`]
//! then just runs its closure, so the pipeline pays nothing unless the user
//! asked. Stages may nest (`emit` runs inside `write`, because the emitter
//! writes through the atomic writer); each stage is charged its *own* time,
//! with the nested stages' time subtracted, so the numbers add up to the
//! measured whole. Nesting is tracked per handle, so stages are meant to be
//! timed from one thread; the benchmark harness (`benches/run.py`) reads the
//! report from stderr.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The pipeline's stages, in the order they run and are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// Reading and decoding the input files.
    Read,
    /// Detecting the syntax and parsing.
    Parse,
    /// Running the lint rules and levelling their findings.
    Lint,
    /// Normalizing, assigning GUIDs, reconciling with the lock file.
    Identity,
    /// Producing the output bytes (SQLite and zip for apkg).
    Emit,
    /// Creating, flushing, syncing and renaming the output file.
    Write,
}

impl Stage {
    /// Every stage, in report order.
    pub const ALL: [Stage; 6] = [
        Stage::Read,
        Stage::Parse,
        Stage::Lint,
        Stage::Identity,
        Stage::Emit,
        Stage::Write,
    ];

    /// The name shown in the report (and parsed by the harness).
    pub fn name(self) -> &'static str {
        match self {
            Stage::Read => "read",
            Stage::Parse => "detect+parse",
            Stage::Lint => "lint",
            Stage::Identity => "normalize+identity",
            Stage::Emit => "emit",
            Stage::Write => "write",
        }
    }
}

#[derive(Debug)]
struct Recorder {
    started: Instant,
    /// Self time per stage that ran, indexed like [`Stage::ALL`].
    spent: [Option<Duration>; Stage::ALL.len()],
    /// For each stage running now, the time its nested stages took so far.
    nested: Vec<Duration>,
}

/// A handle that records how long each stage takes (or does nothing).
#[derive(Debug, Clone, Default)]
pub struct Timings(Option<Arc<Mutex<Recorder>>>);

impl Timings {
    /// A handle that records; the report's total counts from now.
    pub fn enabled() -> Self {
        Timings(Some(Arc::new(Mutex::new(Recorder {
            started: Instant::now(),
            spent: [None; Stage::ALL.len()],
            nested: Vec::new(),
        }))))
    }

    /// True when this handle records.
    pub fn is_enabled(&self) -> bool {
        self.0.is_some()
    }

    /// Runs `f`, charging its duration (less nested stages) to `stage`.
    /// Repeated stages (several inputs, `check --fix`) add up.
    pub fn stage<T>(&self, stage: Stage, f: impl FnOnce() -> T) -> T {
        let Some(shared) = &self.0 else {
            return f();
        };
        lock(shared).nested.push(Duration::ZERO);
        let start = Instant::now();
        // The lock is not held while `f` runs: `f` may time nested stages.
        let value = f();
        let elapsed = start.elapsed();
        let mut rec = lock(shared);
        let nested = rec.nested.pop().unwrap_or_default();
        if let Some(parent) = rec.nested.last_mut() {
            *parent += elapsed;
        }
        if let Some(spent) = rec.spent.get_mut(stage as usize) {
            *spent = Some(spent.unwrap_or_default() + elapsed.saturating_sub(nested));
        }
        value
    }

    /// The report: one `timing` line per stage that ran, then `other`
    /// (argument parsing, printing diagnostics, …) and `total` since
    /// [`Timings::enabled`]. Empty when disabled.
    pub fn report(&self) -> String {
        let Some(shared) = &self.0 else {
            return String::new();
        };
        let rec = lock(shared);
        let total = rec.started.elapsed();
        let mut out = String::new();
        let mut accounted = Duration::ZERO;
        for (stage, spent) in Stage::ALL.iter().zip(rec.spent) {
            if let Some(spent) = spent {
                accounted += spent;
                line(&mut out, stage.name(), spent);
            }
        }
        line(&mut out, "other", total.saturating_sub(accounted));
        line(&mut out, "total", total);
        out
    }
}

fn line(out: &mut String, name: &str, d: Duration) {
    // Writing to a String cannot fail.
    let _ = writeln!(out, "timing {name:<20} {:>10.3} ms", d.as_secs_f64() * 1e3);
}

/// A poisoned lock only means a stage panicked; the numbers are still
/// worth reporting.
fn lock(m: &Mutex<Recorder>) -> MutexGuard<'_, Recorder> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The milliseconds a report gives `name`.
    fn ms(report: &str, name: &str) -> Option<f64> {
        report.lines().find_map(|l| {
            let mut parts = l.split_whitespace();
            (parts.next() == Some("timing") && parts.next() == Some(name))
                .then(|| parts.next())
                .flatten()
                .and_then(|v| v.parse().ok())
        })
    }

    #[test]
    fn disabled_handle_runs_the_closure_and_reports_nothing() {
        let t = Timings::default();
        assert!(!t.is_enabled());
        assert_eq!(t.stage(Stage::Lint, || 41 + 1), 42);
        assert_eq!(t.report(), "");
    }

    #[test]
    fn reports_only_stages_that_ran_in_pipeline_order() {
        let t = Timings::enabled();
        t.stage(Stage::Lint, || ());
        t.stage(Stage::Read, || ());
        let report = t.report();
        let names: Vec<&str> = report
            .lines()
            .filter_map(|l| l.split_whitespace().nth(1))
            .collect();
        assert_eq!(names, ["read", "lint", "other", "total"]);
    }

    #[test]
    fn nested_stage_time_is_not_counted_twice() {
        let t = Timings::enabled();
        t.stage(Stage::Write, || {
            t.stage(Stage::Emit, || {
                std::thread::sleep(Duration::from_millis(30))
            })
        });
        let report = t.report();
        let (emit, write, total) = (
            ms(&report, "emit").unwrap(),
            ms(&report, "write").unwrap(),
            ms(&report, "total").unwrap(),
        );
        // The sleep happened inside `emit`. Were it charged to `write` as
        // well, the parts would add up to more than the whole.
        assert!(emit >= 30.0, "{report}");
        assert!(emit + write <= total + 0.01, "{report}");
    }

    #[test]
    fn repeated_stages_add_up() {
        let t = Timings::enabled();
        for _ in 0..2 {
            t.stage(Stage::Parse, || {
                std::thread::sleep(Duration::from_millis(5))
            });
        }
        assert!(ms(&t.report(), "detect+parse").unwrap() >= 10.0);
    }
}
