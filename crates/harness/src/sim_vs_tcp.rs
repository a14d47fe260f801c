//! "Simulated vs real lines": for each scenario run both ways (`office` and `office-tcp`: the
//! same spec and seeds, only the lines differ), what the socket added per strategy × cores —
//! pick-up as the caller process measured it against the simulated day's, the strategy's own
//! pick-up over the line beside it, and CPU per offered call (the strategy process's user + sys
//! over the calls of one day; the caller's CPU is not in it). Built from the rows alone.

use crate::export::escape_markdown as esc;
use crate::format::format_us as us;
use crate::row::Row;
use std::fmt::Write as _;
use workload::spec::Lines;

/// CPU per offered call, µs, of a row (median run's CPU over one run's calls).
fn cpu_per_call_us(r: &Row) -> Option<f64> {
    let calls = r.offered_calls as f64 / r.runs.max(1) as f64;
    (calls > 0.0).then(|| (r.figures.cpu_user_s + r.figures.cpu_sys_s) * 1e6 / calls)
}

/// A row with figures worth comparing: verified (a failed row has none to trust).
fn measured(r: &Row) -> bool {
    !r.status.is_failure() && r.status != crate::row::Status::Exhausted
}

/// The section's table, or `None` when no scenario was run over both kinds of line.
#[must_use]
pub fn section(rows: &[Row]) -> Option<String> {
    let plain = |r: &&Row| r.sweep.is_none() && measured(r);
    let pairs: Vec<(&Row, &Row)> = rows
        .iter()
        .filter(|r| r.lines == Lines::Tcp)
        .filter(plain)
        .filter_map(|t| {
            let scenario = t.scenario.trim_end_matches("-tcp");
            rows.iter()
                .filter(plain)
                .find(|s| {
                    s.lines == Lines::Sim
                        && s.scenario == scenario
                        && s.strategy == t.strategy
                        && s.cores == t.cores
                })
                .map(|s| (s, t))
        })
        .collect();
    if pairs.is_empty() {
        return None;
    }
    let mut s = String::from(
        "Each scenario below ran twice with the same spec and seeds: simulated lines (the caller's \
         talk a sleep inside the strategy, pick-ups timed by the strategy) and real loopback TCP \
         lines (a connection per call; rings, waits and replies timed by the separate caller \
         process from the schedule). *Own* is the strategy's own pick-up over the real line, \
         published beside the caller's. CPU per call is the strategy process's user + sys time \
         over one day's offered calls (desk work included, the same on both sides), so the \
         difference is what its sockets cost. Medians across runs.\n\n\
         | Scenario | Strategy | Cores | Pick-up p50 sim → tcp (own) | Pick-up p99 sim → tcp (own) | Missed sim → tcp | CPU per call sim → tcp | Peak connections |\n\
         |---|---|---|---|---|---|---|---|\n",
    );
    for (sim, tcp) in pairs {
        let cpu = |r: &Row| cpu_per_call_us(r).map_or("–".to_owned(), us);
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} → {} ({}) | {} → {} ({}) | {:.1} % → {:.1} % | {} → {} | {:.0} |",
            esc(&sim.scenario),
            esc(&sim.strategy),
            sim.cores,
            us(sim.figures.pickup_us.p50),
            us(tcp.figures.pickup_us.p50),
            us(tcp.figures.self_pickup_us.p50),
            us(sim.figures.pickup_us.p99),
            us(tcp.figures.pickup_us.p99),
            us(tcp.figures.self_pickup_us.p99),
            sim.figures.missed_share * 100.0,
            tcp.figures.missed_share * 100.0,
            cpu(sim),
            cpu(tcp),
            tcp.figures.peak_connections,
        );
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_a_scenario_with_its_tcp_twin_and_skips_the_unpaired() {
        let rows = crate::fixtures::sample_results().rows;
        assert!(section(&rows).is_none(), "no tcp rows: no section");
        let mut rows: Vec<Row> = rows.into_iter().filter(|r| r.sweep.is_none()).collect();
        let mut tcp = rows[0].clone();
        tcp.lines = Lines::Tcp;
        tcp.scenario = format!("{}-tcp", tcp.scenario);
        tcp.figures.pickup_us.p50 = 777.0;
        tcp.figures.self_pickup_us.p50 = 555.0;
        tcp.figures.peak_connections = 12.0;
        rows.push(tcp.clone());
        let s = section(&rows).expect("a pair");
        assert_eq!(s.matches("\n| ").count(), 2, "header + one pair:\n{s}");
        assert!(s.contains("777 µs (555 µs)"), "{s}");
        assert!(s.contains(&format!("| {} | {} |", rows[0].scenario, rows[0].strategy)));
    }
}
