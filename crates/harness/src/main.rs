//! The `harness` command line: `list`, `run`, `compare`, `capacity`, `calibrate`. Parses the
//! arguments, asks `plan` (or `capacity`) what to do (every check and default lives there: bad input is one line naming
//! the problem and the valid choices, exit code 2, nothing written), runs it, prints.
#![allow(clippy::print_stdout)] // this is the CLI: stdout is its output

use clap::{Args, Parser, Subcommand};
use harness::capacity::{self, CapacityPlan, CapacityRequest};
use harness::discover;
use harness::plan::{CompareRequest, Plan, RunRequest, Usage};
use harness::spec_flags::SpecFlags;
use harness::sweep;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Parser, Debug)]
#[command(
    name = "harness",
    version,
    about = "Runs the secretary strategies side by side and writes results/"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand, Debug)]
enum Cmd {
    /// List the strategies found (with their declared arrangement) and the scenarios.
    List {
        /// Print the strategies as JSON (name, binary, arrangement).
        #[arg(long)]
        json: bool,
    },
    /// Measure nanoseconds per work unit on this machine.
    Calibrate,
    /// Run one strategy on one scenario, verify it, print a summary.
    Run(RunArgs),
    /// Sweep strategies × scenarios × cores (× a parameter) and write a results folder.
    Compare(CompareArgs),
    /// Find the highest call rate each strategy × cores keeps up with, and the desk speedup.
    Capacity(CapacityArgs),
}

#[derive(Args, Debug)]
struct RunArgs {
    /// Strategy name (see `harness list`).
    #[arg(long)]
    strategy: String,
    /// Scenario name (see `harness list`).
    #[arg(long, default_value = "office")]
    scenario: String,
    /// Cores to pin the strategy to.
    #[arg(long, default_value_t = 1)]
    cores: usize,
    /// Repetitions (seed, seed + 1, ...).
    #[arg(long, default_value_t = 1)]
    runs: usize,
    /// Per-run timeout in seconds (default: derived from the spec).
    #[arg(long, value_name = "SECS")]
    timeout: Option<f64>,
    /// Kill a run whose resident memory passes this many MiB (an `exhausted` row; default:
    /// half of physical memory, at most 8 GiB).
    #[arg(long, value_name = "MIB")]
    mem_limit_mib: Option<u64>,
    /// Print the row as one JSON object instead of a summary.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    spec: SpecFlags,
}

#[derive(Args, Debug)]
struct CompareArgs {
    /// A short sweep: office and back-office, 0.5 s days, one run per cell, no default sweep,
    /// timelines on 1 core.
    #[arg(long)]
    quick: bool,
    /// Comma-separated strategies (default: all found).
    #[arg(long, value_delimiter = ',')]
    strategies: Vec<String>,
    /// Comma-separated scenarios (default: all; with --quick: office,back-office).
    #[arg(long, value_delimiter = ',')]
    scenarios: Vec<String>,
    /// Comma-separated core counts (default: 1, 2, 4, ... and all CPUs).
    #[arg(long, value_delimiter = ',')]
    cores: Vec<usize>,
    /// Runs per cell (default 3; 1 with --quick).
    #[arg(long)]
    runs: Option<usize>,
    /// Sweep one spec field over values, e.g. chunk=10,100,1000 (on 1 core unless --cores).
    #[arg(long, value_name = "FIELD=V1,V2,...")]
    sweep: Option<String>,
    /// Skip the default chunk sweep of a full compare.
    #[arg(long)]
    no_sweep: bool,
    /// Skip the timeline runs (and so the timeline pictures).
    #[arg(long)]
    no_timelines: bool,
    /// The window of the 1 s timeline day to record, in ms (default 0:1000, the whole day):
    /// the traces hold all of it, the timeline pictures 40 ms of it.
    #[arg(long, value_name = "FROM_MS:LEN_MS")]
    timeline_window: Option<String>,
    /// Per-run timeout in seconds (default: derived from each spec).
    #[arg(long, value_name = "SECS")]
    timeout: Option<f64>,
    /// Kill a run whose resident memory passes this many MiB (an `exhausted` row; default:
    /// half of physical memory, at most 8 GiB).
    #[arg(long, value_name = "MIB")]
    mem_limit_mib: Option<u64>,
    /// Base folder of results (default: results, or results/quick with --quick).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Also refresh the results section of this README (between its markers).
    #[arg(long, value_name = "FILE")]
    readme: Option<PathBuf>,
    /// Also search each strategy's capacity on office (on the compare's cores), into the same
    /// folder (capacity.md, load-office.svg).
    #[arg(long)]
    capacity: bool,
    #[command(flatten)]
    spec: SpecFlags,
}

#[derive(Args, Debug)]
struct CapacityArgs {
    /// Short days (0.5 s) and a wider final bracket (19 % instead of 9 %).
    #[arg(long)]
    quick: bool,
    /// Comma-separated strategies (default: all found).
    #[arg(long, value_delimiter = ',')]
    strategies: Vec<String>,
    /// Comma-separated scenarios (default: office).
    #[arg(long, value_delimiter = ',', alias = "scenarios")]
    scenario: Vec<String>,
    /// Comma-separated core counts (default: 1,2).
    #[arg(long, value_delimiter = ',')]
    cores: Vec<usize>,
    /// Days per rate, on seeds seed, seed + 1, ... (default 1).
    #[arg(long)]
    runs: Option<usize>,
    /// Per-day timeout in seconds (default: derived from each spec).
    #[arg(long, value_name = "SECS")]
    timeout: Option<f64>,
    /// Kill a day whose resident memory passes this many MiB.
    #[arg(long, value_name = "MIB")]
    mem_limit_mib: Option<u64>,
    /// Base folder of results (default: results/capacity).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    #[command(flatten)]
    spec: SpecFlags,
}

fn interrupt_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let f = flag.clone();
    if let Err(e) = ctrlc::set_handler(move || f.store(true, Ordering::SeqCst)) {
        eprintln!("note: Ctrl-C will not stop the sweep cleanly: {e}");
    }
    flag
}

fn cmd_run(a: &RunArgs) -> Result<ExitCode, Usage> {
    let found = discover::in_dir(&discover::default_dir());
    let req = RunRequest {
        strategy: a.strategy.clone(),
        scenario: a.scenario.clone(),
        cores: a.cores,
        runs: a.runs,
        timeout_s: a.timeout,
        mem_limit_mib: a.mem_limit_mib,
        spec: a.spec.clone(),
        ns_per_unit: None,
    };
    let cpus = harness::runner::allowed_cpus();
    // Check the request first, then plan at this machine's calibration (~1 s).
    Plan::for_run(&req, &found, cpus.len())?;
    let ns = workload::work::calibrate_ns_per_unit();
    let req = RunRequest {
        ns_per_unit: Some(ns),
        ..req
    };
    let plan = Plan::for_run(&req, &found, cpus.len())?;
    let stop = interrupt_flag();
    let results = match sweep::execute(&plan, &cpus, ns, serde_json::Value::Null, &stop) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e:#}");
            return Ok(ExitCode::from(1));
        }
    };
    let Some(row) = results.rows.first() else {
        eprintln!("interrupted before the run finished");
        return Ok(ExitCode::from(130));
    };
    if a.json {
        println!("{}", serde_json::to_string(row).unwrap_or_default());
    } else {
        print!("{}", harness::terminal::row_detail(row));
    }
    Ok(if row.status().is_failure() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn cmd_compare(a: &CompareArgs) -> Result<ExitCode, Usage> {
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
    let cpus = harness::runner::allowed_cpus();
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
    let ns = workload::work::calibrate_ns_per_unit();
    let req = CompareRequest {
        ns_per_unit: Some(ns),
        ..req
    };
    let plan = Plan::for_compare(&req, &found, cpus.len())?;
    eprintln!(
        "{:.0} ns per work unit; {} cells, {} runs + {} timeline runs",
        ns,
        plan.cells.len(),
        plan.cells.iter().map(|c| c.runs).sum::<usize>(),
        plan.timelines.len()
    );
    let env = harness::envinfo::collect(ns, cpus.len());
    let stop = interrupt_flag();
    let mut results = match sweep::execute(&plan, &cpus, ns, env, &stop) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e:#}");
            return Ok(ExitCode::from(1));
        }
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
            Err(e) => {
                eprintln!("error: {e:#}");
                return Ok(ExitCode::from(1));
            }
        }
    }
    let dir = match harness::output::write_results(&out_base, &results) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e:#}");
            return Ok(ExitCode::from(1));
        }
    };
    if let Some(readme) = &a.readme {
        let prefix = format!("{}/", out_base.display());
        if let Err(e) = harness::output::update_readme(readme, &out_base, &prefix) {
            eprintln!("error: {e:#}");
            return Ok(ExitCode::from(1));
        }
    }
    let failed: Vec<String> = results
        .rows
        .iter()
        .filter(|r| r.status().is_failure())
        .map(|r| format!("{} ({})", r.cell_name(), r.status().name()))
        .collect();
    print!("{}", harness::terminal::compact(&results.rows));
    if let Some(c) = &results.capacity {
        print!("{}", harness::terminal::capacity(c));
    }
    println!(
        "\nResults: {} (tables in summary.md; all of it on one page: index.html)",
        dir.display()
    );
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

fn cmd_capacity(a: &CapacityArgs) -> Result<ExitCode, Usage> {
    let started = std::time::Instant::now();
    let found = discover::ordered(discover::in_dir(&discover::default_dir()));
    let req = CapacityRequest {
        quick: a.quick,
        strategies: a.strategies.clone(),
        scenarios: a.scenario.clone(),
        cores: a.cores.clone(),
        runs: a.runs,
        timeout_s: a.timeout,
        mem_limit_mib: a.mem_limit_mib,
        spec: a.spec.clone(),
        ns_per_unit: None,
    };
    let cpus = harness::runner::allowed_cpus();
    // Check the request first, then plan at this machine's calibration (~1 s).
    CapacityPlan::new(&req, &found, cpus.len())?;
    eprintln!("calibrating the work unit...");
    let ns = workload::work::calibrate_ns_per_unit();
    let req = CapacityRequest {
        ns_per_unit: Some(ns),
        ..req
    };
    let plan = CapacityPlan::new(&req, &found, cpus.len())?;
    let out_base = a
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("results/capacity"));
    eprintln!(
        "{ns:.0} ns per work unit; {} strategies × cores {:?}, {} s days",
        plan.strategies.len(),
        plan.cores,
        plan.scenarios
            .first()
            .map_or(0.0, |(_, s)| s.duration_us as f64 / 1e6)
    );
    let stop = interrupt_flag();
    let ran = match capacity::execute(&plan, &cpus, ns, &stop) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e:#}");
            return Ok(ExitCode::from(1));
        }
    };
    let results = ran.into_results(harness::envinfo::collect(ns, cpus.len()), &plan);
    let dir = match harness::output::write_results(&out_base, &results) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e:#}");
            return Ok(ExitCode::from(1));
        }
    };
    if let Some(c) = &results.capacity {
        print!("{}", harness::terminal::capacity(c));
    }
    println!(
        "\nResults: {} (capacity.md; every day of the searches in summary.md) in {:.0} s",
        dir.display(),
        started.elapsed().as_secs_f64()
    );
    if results.interrupted {
        eprintln!("interrupted: the folder holds the searches finished before Ctrl-C");
        return Ok(ExitCode::from(130));
    }
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {}", workload::entry::clap_one_line(&e));
            return ExitCode::from(2);
        }
    };
    let result = match &cli.cmd {
        Cmd::List { json } => {
            let dir = discover::default_dir();
            let found = discover::ordered(discover::in_dir(&dir));
            if *json {
                println!("{:#}", harness::terminal::list_json(&found));
            } else {
                print!("{}", harness::terminal::list(&dir, &found));
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Calibrate => {
            println!(
                "{:.1} ns per work unit",
                workload::work::calibrate_ns_per_unit()
            );
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Run(a) => cmd_run(a),
        Cmd::Compare(a) => cmd_compare(a),
        Cmd::Capacity(a) => cmd_capacity(a),
    };
    result.unwrap_or_else(|Usage(msg)| {
        eprintln!("error: {msg}");
        ExitCode::from(2)
    })
}
