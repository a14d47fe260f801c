//! The "Simulated vs real lines" table (summary.md, README), rendered from the pairs
//! `analysis::sim_vs_tcp` found.

use super::markdown::escape as esc;
use analysis::sim_vs_tcp::Pair;
use lab::format::format_us as us;
use std::fmt::Write as _;

/// The section's table, or `None` when no scenario was run over both kinds of line.
#[must_use]
pub fn section(pairs: &[Pair]) -> Option<String> {
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
    for Pair {
        sim,
        tcp,
        cpu_per_call_us: [cpu_sim, cpu_tcp],
    } in pairs
    {
        let cpu = |c: &Option<f64>| c.map_or("–".to_owned(), us);
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
            cpu(cpu_sim),
            cpu(cpu_tcp),
            tcp.figures.peak_connections,
        );
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use analysis::sim_vs_tcp::pairs;
    use lab::row::Row;
    use workload::spec::Lines;

    #[test]
    fn one_line_per_pair_with_the_strategys_own_pickup_beside_the_callers() {
        let rows = lab::fixtures::sample_results().rows;
        assert!(section(&pairs(&rows)).is_none(), "no tcp rows: no section");
        let mut rows: Vec<Row> = rows.into_iter().filter(|r| r.sweep.is_none()).collect();
        let mut tcp = rows[0].clone();
        tcp.lines = Lines::Tcp;
        tcp.scenario = format!("{}-tcp", tcp.scenario);
        tcp.figures.pickup_us.p50 = 777.0;
        tcp.figures.self_pickup_us.p50 = 555.0;
        tcp.figures.peak_connections = 12.0;
        rows.push(tcp.clone());
        let s = section(&pairs(&rows)).expect("a pair");
        assert_eq!(s.matches("\n| ").count(), 2, "header + one pair:\n{s}");
        assert!(s.contains("777 µs (555 µs)"), "{s}");
        assert!(s.contains(&format!("| {} | {} |", rows[0].scenario, rows[0].strategy)));
    }
}
