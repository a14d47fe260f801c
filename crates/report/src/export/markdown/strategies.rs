//! The strategies as measured: one line per strategy, what it declared beside what its rows
//! measured about concurrency and parallelism (`summary.md`'s "The secretaries, as measured",
//! also in the results index).

use super::text::escape;
use lab::format::group_thousands;
use lab::row::Row;
use lab::select::first_seen;
use std::fmt::Write as _;

/// One line per strategy: what it declared, and what the rows measured about concurrency and
/// parallelism — how many OS threads did secretary work, and how many cores were busy at most
/// when it had the most cores. "Parallel" is read off the measurements (more than 1.1 cores
/// busy on average in some verified row), never off the declaration.
#[must_use]
pub fn strategies_table(rows: &[Row]) -> String {
    let names = first_seen(rows, |r| r.strategy.as_str());
    let mut out = String::from(
        "| Strategy | Declared arrangement | OS threads that did secretary work (max) | Cores busy on average (max, at the most cores) | Used a second core at once |\n|---|---|---:|---:|---|\n",
    );
    for name in names {
        let mine: Vec<&Row> = rows
            .iter()
            .filter(|r| r.strategy == name && r.sweep.is_none() && !r.status.is_failure())
            .collect();
        let declared = mine
            .iter()
            .find_map(|r| r.arrangement)
            .map_or_else(|| "undeclared".to_owned(), |a| a.describe());
        let most = mine.iter().map(|r| r.cores).max().unwrap_or(0);
        let threads = mine
            .iter()
            .map(|r| r.figures.threads_used)
            .fold(0.0, f64::max);
        let busy = mine
            .iter()
            .filter(|r| r.cores == most)
            .map(|r| r.figures.cpu_per_wall)
            .fold(0.0, f64::max);
        let parallel = if most < 2 {
            "not measured (one core)".to_owned()
        } else if busy > PARALLEL_CPU_PER_WALL {
            format!("yes: up to {busy:.2} cores busy on {most}")
        } else {
            format!("no: at most {busy:.2} cores busy on {most}")
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {busy:.2} | {parallel} |",
            escape(name),
            escape(&declared),
            group_thousands(threads.round() as u64),
        );
    }
    out
}

/// Average cores busy above which a strategy did work on two cores at once.
pub const PARALLEL_CPU_PER_WALL: f64 = 1.1;
