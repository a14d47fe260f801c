//! The capacity files, when the run searched capacities (`Results::capacity`): `capacity.json`
//! (everything, every day of every search), `capacity.csv` (one line per strategy × scenario
//! × cores) and `capacity.md` (the capacities with their brackets and deciding days, what the
//! second core buys, the desk speedups). Every speedup stands beside what this machine's cores
//! give at most at the same core count (`Capacity::core_limit`): "1.62× of a possible 1.95×
//! here", or "limit not measured". Numbers follow [`lab::format`].

use super::markdown::{env_line, escape};
use crate::exporter::{Exporter, Format, Kind, Output, Picture, scenario_plot_file};
use analysis::Analysed;
use lab::capacity::{Bracket, Capacity, ScenarioCapacity, StrategyCapacity};
use lab::core_limit::OfLimit;
use lab::format::{
    fmt_num, format_cores, format_cores_within, format_factor, format_rate, format_share,
    format_speedup_of_limit, format_us, us_number_in_unit_of,
};
use lab::row::Row;
use std::fmt::Write as _;

/// The capacity exporter.
#[derive(Debug)]
pub struct CapacityFiles;

impl Exporter for CapacityFiles {
    fn name(&self) -> &'static str {
        "capacity"
    }
    fn export(&self, results: &Analysed) -> anyhow::Result<Vec<Output>> {
        let Some(c) = &results.capacity else {
            return Ok(Vec::new());
        };
        let mut json = serde_json::to_vec_pretty(c)?;
        json.push(b'\n');
        Ok(vec![
            Output::new("capacity.json", json, Kind::Capacity(Format::Json)),
            Output::new("capacity.csv", csv(c)?, Kind::Capacity(Format::Csv)),
            Output::new(
                "capacity.md",
                markdown(c, &results.env, &results.rows).into_bytes(),
                Kind::Capacity(Format::Markdown),
            ),
        ])
    }
}

/// The columns of `capacity.csv`. `second_core_ratio` and `desk_speedup` are per strategy
/// (repeated on each of its lines), each with the machine's limit on 2 cores and its share of
/// that limit (empty where not measured); `desk_median_check_us` is this core count's.
pub const COLUMNS: &[&str] = &[
    "scenario",
    "strategy",
    "cores",
    "outcome",
    "capacity_calls_per_s",
    "failed_calls_per_s",
    "capacity_multiple",
    "failed_multiple",
    "capacity_offered_cores",
    "decided_by",
    "failed_row",
    "failed_why",
    "days",
    "second_core_ratio",
    "desk_median_check_us",
    "desk_checks",
    "desk_split_share",
    "desk_speedup",
    "second_core_limit",
    "second_core_share_of_limit",
    "desk_speedup_limit",
    "desk_speedup_share_of_limit",
];

fn num(v: Option<f64>) -> String {
    v.filter(|x| x.is_finite())
        .map(|x| format!("{x}"))
        .unwrap_or_default()
}

fn outcome(b: &Bracket) -> &'static str {
    match b {
        Bracket::Between { .. } => "between",
        Bracket::FailsAtLowest { .. } => "fails-at-lowest",
        Bracket::PassesAtHighest { .. } => "passes-at-highest",
        Bracket::Unfinished { .. } => "unfinished",
    }
}

fn csv(c: &Capacity) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS)?;
    for sc in &c.scenarios {
        for s in &sc.searches {
            let second = sc.second_core.iter().find(|r| r.strategy == s.strategy);
            let desk = sc.desk.iter().find(|d| d.strategy == s.strategy);
            let day = desk.and_then(|d| d.days.iter().find(|d| d.cores == s.cores));
            w.write_record([
                sc.scenario.clone(),
                s.strategy.clone(),
                s.cores.to_string(),
                outcome(&s.bracket).to_owned(),
                num(s.capacity_calls_per_s),
                num(s.failed_calls_per_s),
                num(s.bracket.pass()),
                num(s.bracket.fail()),
                num(s.capacity_offered_cores),
                s.decided_by.clone().unwrap_or_default(),
                s.failed_row.clone().unwrap_or_default(),
                s.failed_why.clone().unwrap_or_default(),
                s.probes.len().to_string(),
                num(second.and_then(|r| r.ratio)),
                num(day.and_then(|d| d.median_us)),
                day.map(|d| d.checks.to_string()).unwrap_or_default(),
                num(day.and_then(|d| d.split_share)),
                num(desk.and_then(|d| d.speedup)),
                num(second.and_then(|r| r.of_limit.limit)),
                num(second.and_then(|r| r.of_limit.share)),
                num(desk.and_then(|d| d.of_limit.limit)),
                num(desk.and_then(|d| d.of_limit.share)),
            ])?;
        }
    }
    w.into_inner()
        .map_err(|e| anyhow::anyhow!("csv: {}", e.error()))
}

fn rate(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_owned(), format_rate)
}

/// A speedup beside the machine's limit: "1.62× of a possible 1.95× here", "1.62× (limit not
/// measured)", or "–" where there is no speedup.
fn speedup(v: Option<f64>, of: &OfLimit) -> String {
    v.map_or_else(|| "–".to_owned(), |x| format_speedup_of_limit(x, of.limit))
}

/// The paragraph on what this machine's cores give at most.
fn limit_paragraph(c: &Capacity) -> String {
    match &c.core_limit {
        Some(l) => {
            let at: Vec<String> = l
                .speedup
                .iter()
                .filter(|(n, _)| **n > 1)
                .map(|(n, x)| format!("{} on {n} cores", format_factor(*x)))
                .collect();
            format!(
                "**What this machine's cores give at most:** {} over 1 core ({} CPUs allowed; {}).                  Every speedup below stands beside it: \"1.62× of a possible 1.95× here\".\n",
                if at.is_empty() {
                    "1 core only".to_owned()
                } else {
                    at.join(", ")
                },
                l.cpus,
                escape(&l.method)
            )
        }
        None => "**What this machine's cores give at most:** limit not measured (no `core_limit`                  in `env.json`): the speedups below stand alone.\n"
            .to_owned(),
    }
}

/// The capacity cell: the rate, or a bound where the bracket is open.
fn capacity_cell(s: &StrategyCapacity) -> String {
    match s.bracket {
        Bracket::Between { .. } => format!("**{}**", rate(s.capacity_calls_per_s)),
        Bracket::FailsAtLowest { .. } => format!("< {}", rate(s.failed_calls_per_s)),
        Bracket::PassesAtHighest { .. } => format!("≥ {}", rate(s.capacity_calls_per_s)),
        Bracket::Unfinished { .. } => format!("{} (stopped)", rate(s.capacity_calls_per_s)),
    }
}

fn bracket_cell(s: &StrategyCapacity) -> String {
    match s.bracket {
        Bracket::Between { .. } => format!(
            "[{}, {})",
            rate(s.capacity_calls_per_s),
            rate(s.failed_calls_per_s)
        ),
        Bracket::FailsAtLowest { .. } => "failed even at the lowest rate".to_owned(),
        Bracket::PassesAtHighest { .. } => "kept up even at the highest rate".to_owned(),
        Bracket::Unfinished { .. } => format!(
            "[{}, {}) when stopped",
            rate(s.capacity_calls_per_s),
            rate(s.failed_calls_per_s)
        ),
    }
}

/// The day that kept up at the capacity, with its figures.
fn decided_cell(s: &StrategyCapacity) -> String {
    match (&s.decided_by, s.probe_at(s.bracket.pass())) {
        (Some(row), Some(p)) => format!(
            "`{}`: p99 all callers {}, missed {}{}",
            row,
            format_us(p.wait_all_p99_us),
            format_share(p.missed_share),
            p.first_days
                .as_deref()
                .map_or_else(String::new, |f| format!(
                    " (on the second try; first: {})",
                    escape(f)
                ))
        ),
        _ => "–".to_owned(),
    }
}

/// The day that failed just above it, and why.
fn failed_cell(s: &StrategyCapacity) -> String {
    match &s.failed_row {
        Some(row) => format!(
            "`{}`: {}",
            row,
            escape(s.failed_why.as_deref().unwrap_or("did not keep up"))
        ),
        None => "–".to_owned(),
    }
}

/// The CPU at a search's capacity: the offered load (at the calibrated ns per unit), never
/// above the cell's cores ([`format_cores_within`]), and what the day that decided it used (the
/// strategy process's CPU over its wall time, from its row), where that row is among `rows`.
/// `true` where the offered load came to more than the cell's cores.
fn offered_cell(s: &StrategyCapacity, rows: &[Row]) -> (String, bool) {
    let Some(offered) = s.capacity_offered_cores else {
        return ("–".to_owned(), false);
    };
    let text = format_cores_within(offered, s.cores);
    let over = text.starts_with('≥');
    let used = s.decided_by.as_deref().and_then(|label| {
        rows.iter()
            .find(|r| r.cell_name() == label)
            .map(|r| r.figures.cpu_per_wall)
            .filter(|u| u.is_finite() && *u > 0.0)
    });
    match used {
        Some(u) => (
            format!("{text} (used {})", format_cores_within(u, s.cores)),
            over,
        ),
        None => (text, over),
    }
}

fn scenario_section(out: &mut String, c: &Capacity, sc: &ScenarioCapacity, rows: &[Row]) {
    let spec = &sc.spec;
    let _ = writeln!(out, "## {}\n", escape(&sc.scenario));
    let _ = writeln!(
        out,
        "_Intended load ~{} at the scenario's own rate ({} calls/s, {} appointments/s); here {} \
         (pick-up {}, reply {}, desk {}, chunk {} work units at {} ns per unit). Every rate of \
         the search multiplies the calls; appointments stay at the scenario's rate._\n",
        format_cores(sc.intended_cores),
        format_rate(spec.calls_per_s),
        fmt_num(spec.appointments_per_s),
        format_cores(sc.offered_cores),
        spec.pickup_work,
        spec.reply_work,
        spec.desk_work,
        spec.chunk,
        fmt_num(c.ns_per_unit),
    );
    out.push_str(
        "| Strategy | Declared arrangement | Cores | Capacity (calls/s) | Bracket the search ended on (calls/s) | × the scenario's rate | Offered CPU at capacity (used) | Days | Decided by (kept up) | Next rate tried (did not keep up) |\n|---|---|---:|---:|---|---:|---:|---:|---|---|\n",
    );
    for s in &sc.searches {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            escape(&s.strategy),
            escape(
                &s.arrangement
                    .map_or_else(|| "undeclared".to_owned(), |a| a.describe())
            ),
            s.cores,
            capacity_cell(s),
            bracket_cell(s),
            s.bracket.pass().map_or_else(|| "–".to_owned(), fmt_num),
            offered_cell(s, rows).0,
            s.probes.len(),
            decided_cell(s),
            failed_cell(s),
        );
    }
    if sc.searches.iter().any(|s| offered_cell(s, rows).1) {
        out.push_str(
            "\n_≥: at the calibrated ns per unit the offered load came to more than the cell's cores; \
             a cell uses at most its cores, so the day kept up because its units ran faster than the \
             calibration's. Used: the strategy process's CPU over its wall time on the deciding day._\n",
        );
    }
    if !sc.second_core.is_empty() {
        out.push_str("\n### What the second core buys\n\n");
        out.push_str("_Capacity on 2 cores over capacity on 1 core; the range is what the two brackets allow._\n\n");
        out.push_str("| Strategy | Capacity, 1 core | Capacity, 2 cores | 2 cores / 1 core | Range the brackets allow |\n|---|---:|---:|---:|---|\n");
        for r in &sc.second_core {
            let end = |v: Option<f64>| v.map_or_else(|| "open".to_owned(), format_factor);
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} – {} |",
                escape(&r.strategy),
                rate(r.capacity_1c),
                rate(r.capacity_2c),
                speedup(r.ratio, &r.of_limit),
                end(r.ratio_range[0]),
                end(r.ratio_range[1]),
            );
        }
    }
    let curves = &sc.scaling;
    if curves.iter().any(|c| c.points.len() > 2) {
        out.push_str("\n### Capacity by cores (the speedup curve)\n\n");
        out.push_str("_Each strategy's capacity at each core count, and in brackets its capacity over its own on 1 core beside what this machine's cores give at most there (the ideal is the core count). Each capacity is a search's lower bracket end; a ratio's uncertainty is its two brackets' widths together._\n\n");
        let mut cores: Vec<usize> = curves
            .iter()
            .flat_map(|c| c.points.iter().map(|p| p.0))
            .collect();
        cores.sort_unstable();
        cores.dedup();
        let mut head = "| Strategy |".to_owned();
        let mut align = "|---|".to_owned();
        for c in &cores {
            let _ = write!(head, " {c} core{} |", if *c == 1 { "" } else { "s" });
            align.push_str("---:|");
        }
        let _ = writeln!(out, "{head}\n{align}");
        for curve in curves {
            let mut line = format!("| {} |", escape(&curve.strategy));
            for c in &cores {
                let at = curve.points.iter().position(|p| p.0 == *c);
                let open = at.is_some_and(|i| curve.at_least.get(i) == Some(&true));
                let at_least = if open { "≥ " } else { "" };
                let of = at
                    .and_then(|i| curve.of_limit.get(i))
                    .copied()
                    .unwrap_or_default();
                let cell = match at.map(|i| curve.points[i]) {
                    Some((1, Some(cap), Some(r))) => {
                        format!("{at_least}{} ({})", rate(Some(cap)), format_factor(r))
                    }
                    Some((_, Some(cap), Some(r))) => format!(
                        "{at_least}{} ({at_least}{})",
                        rate(Some(cap)),
                        format_speedup_of_limit(r, of.limit)
                    ),
                    Some((_, cap, _)) => format!("{at_least}{}", rate(cap)),
                    None => "–".to_owned(),
                };
                let _ = write!(line, " {cell} |");
            }
            out.push_str(&line);
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "\n![{0}]({0})",
            scenario_plot_file(Picture::Scaling, &sc.scenario)
        );
    }
    if !sc.desk.is_empty() {
        out.push_str("\n### Desk speedup (the desk alone)\n\n");
        let desk = lab::capacity::desk_spec(spec, c.ns_per_unit);
        let _ = writeln!(
            out,
            "_A day with no calls: {} checks per second of {} work units each, far enough apart that none waits for another. \
             One check's time is read off the strategy's own timeline, from the start of its first desk chunk to the end of its \
             last (wall clock). Speedup = median check on 1 core / median check on 2 cores: 2.0 is two cores sharing every \
             check, 1.0 a check done by one worker. \"Off the busiest thread\": the share of a check's chunks done by other \
             threads than the one that did most of them (mean over checks; 50 % is an even split over two)._\n",
            fmt_num(desk.appointments_per_s),
            spec.desk_work,
        );
        let mut cores: Vec<usize> = sc
            .desk
            .iter()
            .flat_map(|d| d.days.iter().map(|x| x.cores))
            .collect();
        cores.sort_unstable();
        cores.dedup();
        let mut head = "| Strategy | Declared desk |".to_owned();
        let mut align = "|---|---|".to_owned();
        for c in &cores {
            let _ = write!(
                head,
                " Median check, {c} core{} [min–max] |",
                if *c == 1 { "" } else { "s" }
            );
            align.push_str("---:|");
        }
        let _ = writeln!(out, "{head} Speedup, 2 cores over 1 |\n{align}---:|");
        for d in &sc.desk {
            let declared = match d.desk {
                Some(workload::Desk::OneWorker) => "one worker",
                Some(workload::Desk::SplitAcrossCores) => "split across cores",
                None => "undeclared",
            };
            let mut line = format!("| {} | {declared} |", escape(&d.strategy));
            for c in &cores {
                let cell = match d.days.iter().find(|x| x.cores == *c) {
                    Some(x) => match (x.median_us, x.min_us, x.max_us) {
                        (Some(m), Some(lo), Some(hi)) => format!(
                            "{} [{}–{}] {} ({} checks; {} of chunks off the busiest thread)",
                            us_number_in_unit_of(m, hi).0,
                            us_number_in_unit_of(lo, hi).0,
                            us_number_in_unit_of(hi, hi).0,
                            us_number_in_unit_of(hi, hi).1,
                            x.checks,
                            x.split_share.map_or_else(|| "–".to_owned(), format_share)
                        ),
                        _ => format!(
                            "{}: {}",
                            x.status.name(),
                            escape(x.why.as_deref().unwrap_or("no checks timed"))
                        ),
                    },
                    None => "–".to_owned(),
                };
                let _ = write!(line, " {cell} |");
            }
            let _ = writeln!(line, " {} |", speedup(d.speedup, &d.of_limit));
            out.push_str(&line);
        }
    }
    let _ = writeln!(
        out,
        "\n![{0}]({0})\n",
        scenario_plot_file(Picture::Load, &sc.scenario)
    );
}

/// The whole `capacity.md`.
#[must_use]
pub fn markdown(c: &Capacity, env: &serde_json::Value, rows: &[Row]) -> String {
    let mut s = String::from("# Capacity\n\n");
    let _ = writeln!(s, "**Environment:** {}\n", env_line(env));
    let _ = writeln!(s, "{}", limit_paragraph(c));
    let _ = writeln!(
        s,
        "The highest call rate each strategy × cores keeps up with. A day **keeps up** when at most \
         {} % of its calls are missed, the 99th-percentile wait of every caller (a missed caller counted \
         at patience) is at most {} of the patience, the digest is verified and the day is neither \
         saturated (overran) nor exhausted. The search doubles the scenario's call rate from 1× (halves \
         it while 1× fails), then bisects the octave where the verdict changed {} times; days of {} s, \
         {} per rate on the same seeds at every rate. A rate whose days did not keep up is tried once \
         more on the next seeds and that second verdict stands (one stall of the machine must not \
         decide a capacity; both days are rows in summary.md). The capacity is the highest rate that \
         kept up; the bracket's upper end is the next rate tried, which did not.\n",
        fmt_num(c.rule.max_missed_share * 100.0),
        fmt_num(c.rule.max_p99_wait_all_of_patience),
        c.steps,
        fmt_num(c.day_s),
        c.runs_per_rate,
    );
    for sc in &c.scenarios {
        scenario_section(&mut s, c, sc, rows);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No 1-core figure reads above one core: a 1-core search whose capacity was offered 1.02
    /// cores (at the calibration) reads "≥ 1 core", beside what its deciding day used.
    #[test]
    fn offered_cpu_never_reads_above_the_cells_cores() {
        let mut c = lab::fixtures::sample_capacity();
        let mut rows = lab::fixtures::sample_results().rows;
        let row = rows
            .iter_mut()
            .find(|r| r.cell_name() == "office-threads-1c")
            .expect("the fixture's office threads 1-core row");
        row.figures.cpu_per_wall = 0.97;
        let s = c.scenarios[0]
            .searches
            .iter_mut()
            .find(|s| s.strategy == "threads" && s.cores == 1)
            .expect("threads on 1 core");
        s.capacity_offered_cores = Some(1.02);
        s.decided_by = Some("office-threads-1c".into());
        let md = markdown(&c, &serde_json::Value::Null, &rows);
        let line = md
            .lines()
            .find(|l| l.starts_with("| threads |") && l.contains("| 1 |"))
            .expect("the threads 1-core line");
        assert!(line.contains("| ≥ 1 core (used 0.97 core) |"), "{line}");
        assert!(!line.contains("1.02"), "{line}");
        assert!(md.contains("_≥: at the calibrated ns per unit"), "{md}");
        // Within its cores the offered load reads as it is.
        s_offered(&mut c, 0.5);
        let md = markdown(&c, &serde_json::Value::Null, &rows);
        assert!(md.contains("| 0.50 core (used 0.97 core) |"), "{md}");
        assert!(!md.contains("_≥: at the calibrated"), "{md}");
    }

    fn s_offered(c: &mut Capacity, v: f64) {
        for s in &mut c.scenarios[0].searches {
            if s.strategy == "threads" && s.cores == 1 {
                s.capacity_offered_cores = Some(v);
            }
        }
    }

    #[test]
    fn files_only_when_capacity_was_searched() {
        let mut res = lab::fixtures::sample_results();
        assert!(
            CapacityFiles
                .export(&analysis::analyse(res.clone()))
                .unwrap()
                .is_empty()
        );
        res.capacity = Some(lab::fixtures::sample_capacity());
        let out = CapacityFiles
            .export(&analysis::analyse(res.clone()))
            .unwrap();
        let names: Vec<&str> = out.iter().map(|o| o.file.as_str()).collect();
        assert_eq!(names, ["capacity.json", "capacity.csv", "capacity.md"]);
        // Read back (floats within serde_json's parsing precision).
        let back: Capacity = serde_json::from_slice(&out[0].bytes).unwrap();
        let sent = res.capacity.as_ref().unwrap();
        assert_eq!(
            back.scenarios[0].searches.len(),
            sent.scenarios[0].searches.len()
        );
        assert_eq!(back.scenarios[0].second_core[1].ratio, Some(2.0));
        assert_eq!(back.scenarios[0].searches[2].bracket.pass(), Some(8.0));
        let mut rd = csv::Reader::from_reader(out[1].bytes.as_slice());
        assert_eq!(rd.headers().unwrap().len(), COLUMNS.len());
        let recs: Vec<csv::StringRecord> = rd.records().collect::<Result<_, _>>().unwrap();
        assert_eq!(recs.len(), 4);
        assert!(recs.iter().all(|r| r.len() == COLUMNS.len()));
        let md = String::from_utf8(out[2].bytes.clone()).unwrap();
        for needle in [
            "## office",
            "What the second core buys",
            "Desk speedup",
            "load-office.svg",
            "[1,600, 1,745)",
            "failed even at the lowest rate",
            "limit not measured",
        ] {
            assert!(md.contains(needle), "{needle} missing:\n{md}");
        }
    }

    #[test]
    fn speedups_stand_beside_the_machines_limit() {
        let mut res = lab::fixtures::sample_results();
        res.capacity = Some(lab::fixtures::sample_capacity());
        res.env["core_limit"] = serde_json::json!({
            "method": "test", "cpus": 2, "speedup": { "1": 1.0, "2": 1.6 }
        });
        let out = CapacityFiles.export(&analysis::analyse(res)).unwrap();
        let md = String::from_utf8(out[2].bytes.clone()).unwrap();
        for needle in [
            "1.60× on 2 cores over 1 core",
            // threads: capacity 2× on 2 cores.
            "2.00× of a possible 1.60× here",
        ] {
            assert!(md.contains(needle), "{needle} missing:\n{md}");
        }
        assert!(!md.contains("limit not measured"), "{md}");
        let mut rd = csv::Reader::from_reader(out[1].bytes.as_slice());
        let head = rd.headers().unwrap().clone();
        let col = |name: &str| head.iter().position(|h| h == name).unwrap();
        let recs: Vec<csv::StringRecord> = rd.records().collect::<Result<_, _>>().unwrap();
        let threads = recs.iter().find(|r| &r[1] == "threads").unwrap();
        assert_eq!(&threads[col("second_core_limit")], "1.6");
        assert_eq!(&threads[col("second_core_share_of_limit")], "1.25");
        assert_eq!(&threads[col("desk_speedup_limit")], "1.6");
    }

    #[test]
    fn a_capacity_the_search_never_failed_is_printed_and_drawn_as_a_lower_bound() {
        let mut res = lab::fixtures::sample_results();
        let mut cap = lab::fixtures::sample_capacity();
        let mut four = cap.scenarios[0]
            .searches
            .iter()
            .find(|s| s.strategy == "threads" && s.cores == 2)
            .expect("the fixture searches threads on 2 cores")
            .clone();
        four.cores = 4;
        four.capacity_calls_per_s = four.capacity_calls_per_s.map(|c| c * 3.0);
        four.bracket = Bracket::PassesAtHighest {
            highest: four.capacity_calls_per_s.unwrap_or(1.0),
        };
        cap.scenarios[0].searches.push(four);
        res.capacity = Some(cap);
        let analysed = analysis::analyse(res);
        let curve = analysed.capacity.as_ref().unwrap().scenarios[0]
            .scaling
            .iter()
            .find(|c| c.strategy == "threads")
            .unwrap();
        assert_eq!(curve.at_least.last(), Some(&true), "{curve:?}");
        let out = CapacityFiles.export(&analysed).unwrap();
        let md = String::from_utf8(out[2].bytes.clone()).unwrap();
        assert!(
            md.contains("| ≥ "),
            "the 4-core cell reads as a lower bound:\n{md}"
        );
        let svg = crate::plot::scaling::ScalingPlot.export(&analysed).unwrap();
        let text = String::from_utf8(svg[0].bytes.clone()).unwrap();
        assert!(
            text.contains("lower bound"),
            "the caption says how a bound is drawn"
        );
        assert!(text.contains("threads: ≥ ×"), "the legend says it too");
        // As tests/plots.rs: SECRETARY_PLOTS_DIR=/tmp/plots writes it there for a look.
        if let Some(dir) = std::env::var_os("SECRETARY_PLOTS_DIR") {
            std::fs::write(std::path::Path::new(&dir).join(&svg[0].file), &svg[0].bytes).unwrap();
        }
    }
}
