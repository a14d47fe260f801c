//! "Simulated vs real lines": for each scenario run both ways (`office` and `office-tcp`: the
//! same spec and seeds, only the lines differ), what the socket added per strategy × cores —
//! pick-up as the caller process measured it against the simulated day's, the strategy's own
//! pick-up over the line beside it, and CPU per offered call (the strategy process's user + sys
//! over the calls of one day; the caller's CPU is not in it). Built from the rows alone; the
//! report renders the table (`report::export::sim_vs_tcp`).

use lab::row::Row;
use serde::{Deserialize, Serialize};
use workload::spec::Lines;

/// CPU per offered call, µs, of a row (median run's CPU over one run's calls).
fn cpu_per_call_us(r: &Row) -> Option<f64> {
    let calls = r.offered_calls as f64 / r.runs.max(1) as f64;
    (calls > 0.0).then(|| (r.figures.cpu_user_s + r.figures.cpu_sys_s) * 1e6 / calls)
}

/// A row with figures worth comparing: verified (a failed row has none to trust).
fn measured(r: &Row) -> bool {
    !r.status.is_failure() && r.status != lab::row::Status::Exhausted
}

/// One strategy × cores of a scenario run both ways.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pair {
    /// The row over simulated lines.
    pub sim: Row,
    /// The same cell over real lines.
    pub tcp: Row,
    /// CPU per offered call, µs, `[sim, tcp]` (the strategy process's user + sys over one
    /// day's offered calls; the caller's CPU is not in it).
    pub cpu_per_call_us: [Option<f64>; 2],
}

/// Every verified plain cell run over both kinds of line, paired; empty when none was.
#[must_use]
pub fn pairs(rows: &[Row]) -> Vec<Pair> {
    let plain = |r: &&Row| r.sweep.is_none() && measured(r);
    let pairs: Vec<(&Row, &Row)> = rows
        .iter()
        .filter(|r| r.lines == Lines::Tcp)
        .filter(plain)
        .filter_map(|t| {
            rows.iter()
                .filter(plain)
                .find(|s| {
                    s.lines == Lines::Sim
                        && s.preset.is_some()
                        && s.preset == t.preset
                        && s.strategy == t.strategy
                        && s.cores == t.cores
                })
                .map(|s| (s, t))
        })
        .collect();
    pairs
        .into_iter()
        .map(|(sim, tcp)| Pair {
            cpu_per_call_us: [cpu_per_call_us(sim), cpu_per_call_us(tcp)],
            sim: sim.clone(),
            tcp: tcp.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_a_scenario_with_its_tcp_twin_and_skips_the_unpaired() {
        let rows = lab::fixtures::sample_results().rows;
        assert!(pairs(&rows).is_empty(), "no tcp rows: no pairs");
        let mut rows: Vec<Row> = rows.into_iter().filter(|r| r.sweep.is_none()).collect();
        let mut tcp = rows[0].clone();
        tcp.lines = Lines::Tcp;
        tcp.scenario = format!("{}-tcp", tcp.scenario);
        rows.push(tcp.clone());
        let p = pairs(&rows);
        assert_eq!(p.len(), 1, "one pair");
        assert_eq!((&p[0].sim, &p[0].tcp), (&rows[0], &tcp));
        assert_eq!(p[0].cpu_per_call_us[0], cpu_per_call_us(&rows[0]));
    }
}
