//! Peak memory by strategy × cores: one `memory-<scenario>.svg` per scenario whose purpose is
//! memory — the call center's (`Scenario::CallCenter`, simulated or real lines): ~15k long
//! calls in flight at once and little CPU, where a thread per call costs many times the memory
//! of a task per call. Bars of each cell's peak resident set (`Figures::max_rss_kib`, the
//! strategy's own `VmHWM`, median over runs; whiskers min–max), grouped by strategy with one
//! bar per core count, on a linear scale from zero so a bar's height reads as its share of the
//! largest (on a log axis a thread per call at 23× a task per call looked a few times taller);
//! every bar carries its value, so the smallest still reads. Sweep rows are left out; a failed
//! cell is an "×".

use super::axis::ValueAxis;
use super::colour::Palette;
use super::p99::{Layout, Panel, draw_panel};
use super::svg::{scenario_file, svg};
use super::text::{title_height, title_strip, wrap};
use crate::exporter::{Exporter, Output, Picture};
use analysis::Analysed;
use lab::format::fmt_num;
use lab::row::Row;
use lab::select::{first_seen, plain_rows};
use workload::Scenario;

/// The peak-memory exporter.
pub struct Memory;

/// KiB in a MiB.
const KIB_PER_MIB: f64 = 1024.0;

impl Exporter for Memory {
    fn name(&self) -> &'static str {
        "memory plot"
    }

    fn export(&self, results: &Analysed) -> anyhow::Result<Vec<Output>> {
        let palette = Palette::of(results);
        let scenarios = first_seen(
            plain_rows(results)
                .map(|(_, r)| r)
                .filter(|r| r.preset.is_some_and(is_memory_scenario)),
            |r| r.scenario.as_str(),
        );
        scenarios
            .iter()
            .map(|s| {
                let rows: Vec<&Row> = plain_rows(results)
                    .map(|(_, r)| r)
                    .filter(|r| r.scenario == *s)
                    .collect();
                scenario_plot(s, rows, &palette)
            })
            .collect()
    }
}

/// A scenario whose purpose is the memory of many calls in flight (matched exhaustively: a new
/// preset decides here whether it gets the picture).
fn is_memory_scenario(p: Scenario) -> bool {
    match p {
        Scenario::CallCenter => true,
        Scenario::Office
        | Scenario::BackOffice
        | Scenario::RushHour
        | Scenario::Switchboard
        | Scenario::MonthEnd => false,
    }
}

fn scenario_plot(scenario: &str, rows: Vec<&Row>, palette: &Palette) -> anyhow::Result<Output> {
    let (file, kind) = scenario_file(Picture::Memory, scenario);
    let purpose = rows
        .iter()
        .find_map(|r| r.preset)
        .map(Scenario::purpose)
        .unwrap_or_default();
    let layout = Layout::new(rows, palette);
    let mib = |r: &Row| r.figures.max_rss_kib / KIB_PER_MIB;
    let range = |r: &Row| {
        r.ranges
            .get("max_rss_kib")
            .map(|[a, b]| [a / KIB_PER_MIB, b / KIB_PER_MIB])
    };
    let verified = || {
        layout
            .rows
            .iter()
            .filter(|r| !r.status.is_failure() && r.figures.max_rss_kib > 0.0)
    };
    let values =
        || verified().flat_map(|r| [mib(r)].into_iter().chain(range(r).into_iter().flatten()));
    let axis = ValueAxis::linear(values().fold(0.0, f64::max));
    let panel = Panel {
        title: "peak memory of the strategy's process (lower is better)",
        y_desc: "peak RSS (MiB)".to_owned(),
        axis,
        value: &mib,
        range: &range,
        fmt: &|v, crowded| {
            if crowded {
                fmt_num(v)
            } else {
                format!("{} MiB", fmt_num(v))
            }
        },
    };
    let mut lines = vec![
        "Peak resident set (VmHWM) of the strategy's process, MiB: median over runs, whiskers min–max."
            .to_owned(),
    ];
    lines.extend(wrap(&format!("What this scenario is for: {purpose}."), 110));
    lines.push(
        "Bars side by side: fewest cores darkest. ×: the cell failed (no verified answer)."
            .to_owned(),
    );
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let height = title_height(refs.len()) + 420;
    svg(file, kind, (1000, height), |root| {
        let rest = title_strip(
            root,
            &format!("{scenario}: peak memory by strategy and cores"),
            &refs,
        )?;
        draw_panel(root, &rest, &layout, &panel)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_call_center_gets_a_memory_picture() {
        let mut r = lab::fixtures::sample_results();
        assert!(
            Memory
                .export(&analysis::analyse(r.clone()))
                .unwrap()
                .is_empty()
        );
        for row in r.rows.iter_mut().filter(|r| r.scenario == "office") {
            row.scenario = "call-center".into();
            row.preset = Some(Scenario::CallCenter);
            if row.strategy == "threads" {
                row.figures.max_rss_kib = 900.0 * KIB_PER_MIB;
            }
        }
        let out = Memory.export(&analysis::analyse(r)).unwrap();
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].file, "memory-call-center.svg");
        let svg = String::from_utf8(out[0].bytes.clone()).unwrap();
        assert!(
            svg.contains("900 MiB") || svg.contains(">900<") || svg.contains("900\n"),
            "{svg}"
        );
        assert!(svg.contains("What this scenario is for") && svg.contains("a thread per call"));
    }
}
