//! `harness compare`: the sweep of strategies × scenarios × cores (and the capacity search with
//! `--capacity`), analysed and written as a results folder.
#![allow(clippy::print_stdout)] // the command line's own output

use super::{interrupt_flag, run_error};
use clap::Args;
use lab::capacity::{self, CapacityPlan, CapacityRequest};
use lab::discover;
use lab::format::{format_share, group_thousands};
use lab::noise::Noise;
use lab::plan::{CompareRequest, Plan, Usage};
use lab::spec_flags::SpecFlags;
use lab::sweep;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The arguments, as clap parses them (checking them is the lab's plan's job).
#[derive(Args, Debug)]
pub struct CompareArgs {
    /// A short sweep: office and back-office, 0.5 s days, one run per cell, no default sweep,
    /// timelines on 1 core.
    #[arg(long)]
    pub quick: bool,
    /// Comma-separated strategies (default: all found).
    #[arg(long, value_delimiter = ',')]
    pub strategies: Vec<String>,
    /// Comma-separated scenarios (default: all but switchboard; with --quick:
    /// office,back-office).
    #[arg(long, value_delimiter = ',', alias = "scenario")]
    pub scenarios: Vec<String>,
    /// Comma-separated core counts (default: 1, 2, 4, ... and all CPUs).
    #[arg(long, value_delimiter = ',')]
    pub cores: Vec<usize>,
    /// Runs per cell (default 3; 1 with --quick).
    #[arg(long)]
    pub runs: Option<usize>,
    /// Sweep one spec field over values, e.g. chunk=10,100,1000 (on 1 core unless --cores).
    #[arg(long, value_name = "FIELD=V1,V2,...")]
    pub sweep: Option<String>,
    /// Skip the default chunk sweep of a full compare.
    #[arg(long)]
    pub no_sweep: bool,
    /// Skip the timeline runs (and so the timeline pictures).
    #[arg(long)]
    pub no_timelines: bool,
    /// The window of the 1 s timeline day to record, in ms (default 0:1000, the whole day):
    /// the traces hold all of it, the timeline pictures 40 ms of it.
    #[arg(long, value_name = "FROM_MS:LEN_MS")]
    pub timeline_window: Option<String>,
    /// Per-run timeout in seconds (default: derived from each spec).
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<f64>,
    /// Kill a run whose resident memory passes this many MiB (an `exhausted` row; default:
    /// half of physical memory, at most 8 GiB).
    #[arg(long, value_name = "MIB")]
    pub mem_limit_mib: Option<u64>,
    /// Base folder of results (default: results, or results/quick with --quick).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Also refresh the results section of this README (between its markers).
    #[arg(long, value_name = "FILE")]
    pub readme: Option<PathBuf>,
    /// Also search each strategy's capacity on office (on the compare's cores), into the same
    /// folder (capacity.md, load-office.svg).
    #[arg(long)]
    pub capacity: bool,
    /// Give the scenarios the work units of an earlier compare: plan at the ns per work unit
    /// in DIR/env.json instead of this machine's calibration now (which is still recorded).
    #[arg(long, value_name = "DIR")]
    pub units_from: Option<PathBuf>,
    #[command(flatten)]
    pub spec: SpecFlags,
}

pub fn compare(a: &CompareArgs) -> Result<ExitCode, Usage> {
    let found = discover::ordered(discover::in_dir(&discover::default_dir()));
    let req = CompareRequest {
        quick: a.quick,
        strategies: a.strategies.clone(),
        scenarios: a.scenarios.clone(),
        cores: a.cores.clone(),
        runs: a.runs,
        sweep: a.sweep.clone(),
        no_sweep: a.no_sweep,
        no_timelines: a.no_timelines,
        timeline_window: a.timeline_window.clone(),
        timeout_s: a.timeout,
        mem_limit_mib: a.mem_limit_mib,
        spec: a.spec.clone(),
        ns_per_unit: None,
    };
    let cpus = lab::runner::allowed_cpus();
    let cap_req = a.capacity.then(|| CapacityRequest {
        quick: a.quick,
        strategies: a.strategies.clone(),
        cores: a.cores.clone(),
        timeout_s: a.timeout,
        mem_limit_mib: a.mem_limit_mib,
        ..CapacityRequest::default()
    });
    // Check the request first, then plan at this machine's calibration (~1 s).
    Plan::for_compare(&req, &found, cpus.len())?;
    if let Some(r) = &cap_req {
        CapacityPlan::new(r, &found, cpus.len())?;
    }
    let units_at = a.units_from.as_deref().map(ns_per_unit_of).transpose()?;
    let out_base = a
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(if a.quick { "results/quick" } else { "results" }));
    if let Some(readme) = &a.readme
        && !readme.is_file()
    {
        return Err(Usage(format!(
            "invalid --readme {}: no such file",
            readme.display()
        )));
    }
    eprintln!("calibrating the work unit...");
    // The machine's noise from here to the end: the calibration now is its start.
    let noise_start = Noise::take();
    let ns = units_at.unwrap_or(noise_start.ns_per_unit());
    let plan = Plan::for_compare(
        &CompareRequest {
            ns_per_unit: Some(ns),
            ..req.clone()
        },
        &found,
        cpus.len(),
    )?;
    if let Some(dir) = &a.units_from {
        eprintln!(
            "{:.0} ns per work unit now; the units of {} ({ns:.0} ns per unit)",
            noise_start.ns_per_unit(),
            dir.display()
        );
    }
    eprintln!(
        "{:.0} ns per work unit; {} cells, {} runs + {} timeline runs",
        ns,
        plan.cells.len(),
        plan.cells.iter().map(|c| c.runs).sum::<usize>(),
        plan.timelines.len()
    );
    let mut env = lab::envinfo::collect(ns, cpus.len());
    if let Some(obj) = env.as_object_mut() {
        obj.insert(
            "units_from".into(),
            json!(a.units_from.as_ref().map(|d| d.display().to_string())),
        );
        obj.insert("placement".into(), json!(lab::day::PLACEMENT));
    }
    let stop = interrupt_flag();
    let mut results = match sweep::execute(&plan, &cpus, ns, env, &stop) {
        Ok(r) => r,
        Err(e) => return Ok(run_error(&e)),
    };
    if let Some(r) = cap_req.filter(|_| !results.interrupted) {
        let r = CapacityRequest {
            ns_per_unit: Some(ns),
            ..r
        };
        let plan = CapacityPlan::new(&r, &found, cpus.len())?;
        eprintln!("capacity on {}:", capacity::DEFAULT_SCENARIO);
        match capacity::execute(&plan, &cpus, ns, &stop) {
            // The days of the searches are in capacity.json; summary.md stays the compare's.
            Ok(ran) => {
                results.interrupted |= ran.interrupted;
                results.capacity = Some(ran.capacity);
            }
            Err(e) => return Ok(run_error(&e)),
        }
    }
    // The noise's end: after the days, before the folder is written.
    let noise = Noise::take().since(&noise_start);
    let noise_line = noise_line(&noise);
    if let Some(obj) = results.env.as_object_mut() {
        obj.insert("noise".into(), noise);
    }
    let results = analysis::analyse(results);
    let dir = match report::output::write_results(&out_base, &results) {
        Ok(d) => d,
        Err(e) => return Ok(run_error(&e)),
    };
    if let Some(readme) = &a.readme {
        let prefix = format!("{}/", super::readme_link(Some(readme), &out_base));
        if let Err(e) = report::output::update_readme(readme, &out_base, &prefix) {
            return Ok(run_error(&e));
        }
    }
    let failed: Vec<String> = results
        .rows
        .iter()
        .filter(|r| r.status.is_failure())
        .map(|r| format!("{} ({})", r.cell_name(), r.status.name()))
        .collect();
    print!("{}", report::terminal::compact(&results.rows));
    if let Some(c) = &results.capacity {
        print!("{}", report::terminal::capacity(c));
    }
    print!("{}", report::terminal::claims(&results.claims));
    println!(
        "\nResults: {} (tables in summary.md; all of it on one page: index.html)",
        dir.display()
    );
    eprintln!("{noise_line}");
    if results.interrupted {
        eprintln!("interrupted: the folder holds the runs finished before Ctrl-C");
        return Ok(ExitCode::from(130));
    }
    if !failed.is_empty() {
        eprintln!("failed cells: {}", failed.join(", "));
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// The ns per work unit an earlier compare planned at: `ns_per_unit` of `dir`/env.json.
fn ns_per_unit_of(dir: &Path) -> Result<f64, Usage> {
    let bad = |why: String| {
        Usage(format!(
            "invalid --units-from {}: {why} (give an earlier compare's results folder, \
             e.g. results/latest)",
            dir.display()
        ))
    };
    if !dir.is_dir() {
        return Err(bad("no such folder".into()));
    }
    let text = std::fs::read_to_string(dir.join("env.json"))
        .map_err(|e| bad(format!("cannot read env.json: {e}")))?;
    let env: Value =
        serde_json::from_str(&text).map_err(|e| bad(format!("env.json is not JSON: {e}")))?;
    env.get("ns_per_unit")
        .and_then(Value::as_f64)
        .filter(|ns| ns.is_finite() && *ns > 0.0)
        .ok_or_else(|| bad("env.json has no ns_per_unit (a positive number)".into()))
}

/// The noise on one line: `noise: calibration 640 → 652 ns/unit (+1.9 %), steal 0.0 %, 1,234
/// involuntary switches`.
fn noise_line(noise: &Value) -> String {
    let num = |k: &str| noise[k].as_f64();
    let drift = num("calibration_drift")
        .map_or_else(|| "n/a".to_owned(), |d| format!("{:+.1} %", d * 100.0));
    let steal = num("steal_share").map_or_else(|| "n/a".to_owned(), format_share);
    let switches = noise["children_involuntary_switches"]
        .as_u64()
        .map_or_else(|| "n/a".to_owned(), group_thousands);
    format!(
        "noise: calibration {:.0} → {:.0} ns/unit ({drift}), steal {steal}, {switches} \
         involuntary switches",
        num("calibration_start_ns_per_unit").unwrap_or(f64::NAN),
        num("calibration_end_ns_per_unit").unwrap_or(f64::NAN),
    )
}
