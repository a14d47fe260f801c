//! The strategies as measured: one line per strategy, what it declared beside what its rows
//! and its timeline measured about concurrency and parallelism (`summary.md`'s "The
//! secretaries, as measured", also in the results index).

use super::text::escape;
use analysis::simultaneity::{Simultaneity, at_most_cores};
use lab::format::{format_share, group_thousands};
use lab::row::Row;
use lab::select::first_seen;
use std::fmt::Write as _;

/// One line per strategy: what it declared, and what was measured about concurrency and
/// parallelism — how many OS threads did secretary work, how many cores were busy on average
/// at its most cores, and whether two of its threads were at work at the same instant on two
/// CPUs, read off its timeline at its most cores (`simultaneity`, as analysis computed it),
/// never off the declaration or the average.
#[must_use]
pub fn strategies_table(rows: &[Row], simultaneity: &[Simultaneity]) -> String {
    let names = first_seen(rows, |r| r.strategy.as_str());
    let mut out = String::from(
        "| Strategy | Declared arrangement | OS threads that did secretary work (max) | Cores busy on average (max, at the most cores) | Two at work at the same instant (timeline, most cores) |\n|---|---|---:|---:|---|\n",
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
        let _ = writeln!(
            out,
            "| {} | {} | {} | {busy:.2} | {} |",
            escape(name),
            escape(&declared),
            group_thousands(threads.round() as u64),
            escape(&two_at_once(at_most_cores(simultaneity, name))),
        );
    }
    out
}

/// The last column's answer for one strategy's timeline at its most cores.
fn two_at_once(s: Option<&Simultaneity>) -> String {
    let Some(s) = s else {
        return "not measured (no timeline on 2+ cores)".to_owned();
    };
    let busiest = format!(
        "busiest: {} on {}; {}, {} cores",
        plural(s.busiest_threads, "thread"),
        plural(s.busiest_cpus, "CPU"),
        s.scenario,
        s.cores
    );
    if s.two_ever() {
        format!(
            "yes: two at once {} of the window, any at work {} ({busiest})",
            format_share(s.two_at_once),
            format_share(s.any_at_work),
        )
    } else {
        format!(
            "no: never two at once, any at work {} ({busiest})",
            format_share(s.any_at_work),
        )
    }
}

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}
