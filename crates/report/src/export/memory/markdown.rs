//! `memory.md`: how many calls each strategy held at once and what each cost — peak RSS by
//! level of calls in flight, bytes per call in flight, the limit reached with its reason, the
//! task-per-call target, then every day. Numbers follow [`lab::format`].

use crate::export::markdown::{env_line, escape};
use crate::exporter::{Exporter, Format, Kind, Output};
use analysis::Analysed;
use lab::format::{format_rate, format_share, format_us, group_thousands};
use lab::memory::{Memory, MemoryDay, StrategyMemory, TARGET_IN_FLIGHT, TARGET_MIB};
use std::fmt::Write as _;

/// `memory.md`.
#[derive(Debug)]
pub struct MemoryMarkdown;

/// Longest reason shown in a table cell, in characters.
const REASON_MAX: usize = 240;

fn cut(s: &str) -> String {
    if s.chars().count() <= REASON_MAX {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(REASON_MAX - 1).collect();
        t.push('…');
        t
    }
}

/// `v` MiB as every table and sentence writes memory ([`lab::format::format_mib`]).
fn mib(v: f64) -> String {
    lab::format::format_mib(v * 1024.0)
}

/// Whole bytes with thousands separators, signed.
fn bytes(v: f64) -> String {
    let n = group_thousands(v.abs().round() as u64);
    if v < -0.5 { format!("−{n}") } else { n }
}

/// A level's cell: peak RSS where held, else the status (and the RSS it had).
fn cell(d: Option<&MemoryDay>) -> String {
    match d {
        None => "–".to_owned(),
        Some(d) if d.held => d.rss_mib().map_or_else(|| "held".to_owned(), mib),
        Some(d) => match d.rss_mib() {
            Some(m) => format!("**{}** ({})", d.status.name(), mib(m)),
            None => format!("**{}**", d.status.name()),
        },
    }
}

fn limit(s: &StrategyMemory, top: Option<u64>) -> String {
    match (&s.limit, s.days.is_empty()) {
        (Some(l), _) => format!(
            "{}: {} — {}",
            group_thousands(l.in_flight),
            l.status.name(),
            escape(&cut(&l.reason))
        ),
        (None, true) => "not run".to_owned(),
        (None, false) => top.map_or_else(String::new, |t| {
            format!("none up to {}", group_thousands(t))
        }),
    }
}

fn levels_text(levels: &[u64]) -> String {
    let v: Vec<String> = levels.iter().map(|&l| group_thousands(l)).collect();
    match v.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => v.join(""),
    }
}

/// The target sentence, when the run asked for [`TARGET_IN_FLIGHT`] calls.
fn target(m: &Memory) -> Option<String> {
    if !m.levels.contains(&TARGET_IN_FLIGHT) {
        return None;
    }
    let t = m.target();
    let list = |within: bool| {
        let v: Vec<String> = t
            .iter()
            .filter(|x| x.2 == within)
            .map(|(s, m, _)| format!("{s} ({})", mib(*m)))
            .collect();
        if v.is_empty() {
            "none".to_owned()
        } else {
            v.join(", ")
        }
    };
    let short: Vec<String> = m
        .strategies
        .iter()
        .filter(|s| !t.iter().any(|x| x.0 == s.strategy))
        .map(|s| s.strategy.clone())
        .collect();
    let mut line = format!(
        "**Target** for a task per call — {} calls in flight within {} of peak RSS, on one core: \
         within it {}; above it {}.",
        group_thousands(TARGET_IN_FLIGHT),
        mib(TARGET_MIB),
        list(true),
        list(false)
    );
    if !short.is_empty() {
        let _ = write!(
            line,
            " Did not hold {} calls: {}.",
            group_thousands(TARGET_IN_FLIGHT),
            short.join(", ")
        );
    }
    Some(line)
}

fn markdown(m: &Memory, env: &serde_json::Value) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# How many calls can be in flight — {}, {} core\n",
        m.scenario, m.cores
    );
    let _ = writeln!(s, "{}\n", env_line(env));
    let _ = writeln!(
        s,
        "Each strategy ran the `{sc}` on ONE core with {levels} calls in flight: one exchange of \
         {call} s a call, the phones ringing for {call} s at (level / {call} s) calls per second, \
         so when the ringing ends every call of the day is in flight at once. Levels run from the \
         smallest up; a strategy stops at the first level it does not hold (verified and kept \
         up: `ok`, or `invalid` — its own timers late on a busy machine), and that level is its \
         **limit**, with the row's reason. Peak RSS is the strategy's own `VmHWM` (for a day the \
         memory guard killed, what it had then); the memory guard is {guard}. **Bytes per call**: \
         {fit}. Calls in flight are measured (call sheets alive at once) and computed from the \
         schedule; both are in the table of days. Every day is a row of `summary.md` \
         (`in-flight=<level>`). **Kernel per call**: the same fit over the kernel memory each day \
         added (`KernelStack + PageTables + SUnreclaim` of `/proc/meminfo`, its peak during \
         the day over its value before: the kernel stack, task struct and page tables of a \
         thread, a socket's buffers), which peak RSS does not count; machine-wide, so it is \
         read with nothing else running.\n",
        sc = m.scenario,
        levels = levels_text(&m.levels),
        call = lab::format::fmt_num(m.call_s),
        guard = mib(m.mem_limit_mib as f64),
        fit = m.fit,
    );
    let _ = write!(s, "| strategy |");
    for &l in &m.levels {
        let _ = write!(s, " {} |", group_thousands(l));
    }
    let _ = writeln!(
        s,
        " bytes per call | kernel per call | base | limit reached |"
    );
    let _ = writeln!(
        s,
        "|---|{}---:|---:|---:|---|",
        "---:|".repeat(m.levels.len())
    );
    let top = m.levels.last().copied();
    for st in &m.strategies {
        let _ = write!(s, "| {} |", escape(&st.strategy));
        for &l in &m.levels {
            let _ = write!(s, " {} |", cell(st.day(l)));
        }
        let _ = writeln!(
            s,
            " {} | {} | {} | {} |",
            st.bytes_per_call.map_or_else(|| "–".to_owned(), bytes),
            st.kernel_bytes_per_call
                .map_or_else(|| "–".to_owned(), bytes),
            st.base_mib.map_or_else(|| "–".to_owned(), mib),
            limit(st, top)
        );
    }
    if let Some(t) = target(m) {
        let _ = writeln!(s, "\n{t}");
    }
    let _ = writeln!(s, "\n## Every day\n");
    let _ = writeln!(
        s,
        "| strategy | in flight | calls/s | calls | at once (schedule) | at once (measured) | peak RSS | status | missed | not started | p99 pick-up | CPU busy | wall | row |"
    );
    let _ = writeln!(
        s,
        "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|"
    );
    for st in &m.strategies {
        for d in &st.days {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.2} | {:.1} s | {} |",
                escape(&st.strategy),
                group_thousands(d.in_flight),
                format_rate(d.calls_per_s),
                group_thousands(d.offered_calls),
                group_thousands(d.peak_scheduled),
                d.peak_measured
                    .map_or_else(|| "–".to_owned(), group_thousands),
                d.rss_mib().map_or_else(|| "–".to_owned(), mib),
                d.status.name(),
                format_share(d.missed_share),
                group_thousands(d.start_failures),
                format_us(d.pickup_p99_us),
                d.cpu_per_wall,
                d.wall_s,
                d.row
                    .as_deref()
                    .map_or_else(|| "–".to_owned(), |r| format!("`{r}`")),
            );
        }
    }
    s
}

impl Exporter for MemoryMarkdown {
    fn name(&self) -> &'static str {
        "memory-markdown"
    }
    fn export(&self, results: &Analysed) -> anyhow::Result<Vec<Output>> {
        let Some(m) = &results.memory else {
            return Ok(Vec::new());
        };
        Ok(vec![Output::new(
            "memory.md",
            markdown(m, &results.env).into_bytes(),
            Kind::Memory(Format::Markdown),
        )])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_and_levels_read_as_numbers() {
        assert_eq!(bytes(541.4), "541");
        assert_eq!(bytes(10_400.0), "10,400");
        assert_eq!(bytes(-12.0), "−12");
        assert_eq!(
            levels_text(&[1_000, 10_000, 1_000_000]),
            "1,000, 10,000 and 1,000,000"
        );
        assert_eq!(levels_text(&[1_000]), "1,000");
    }
}
