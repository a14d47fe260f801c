//! `harness run`: one strategy on one scenario, verified, its row printed.
#![allow(clippy::print_stdout)] // the command line's own output

use super::{calibrated, interrupt_flag, run_error};
use clap::Args;
use lab::discover;
use lab::plan::{Plan, RunRequest, Usage};
use lab::spec_flags::SpecFlags;
use lab::sweep;
use std::process::ExitCode;

/// The arguments, as clap parses them (checking them is the lab's plan's job).
#[derive(Args, Debug)]
pub struct RunArgs {
    /// Strategy name (see `harness list`).
    #[arg(long)]
    pub strategy: String,
    /// Scenario name (see `harness list`).
    #[arg(long, default_value = "office")]
    pub scenario: String,
    /// Cores to pin the strategy to.
    #[arg(long, default_value_t = 1)]
    pub cores: usize,
    /// Repetitions (seed, seed + 1, ...).
    #[arg(long, default_value_t = 1)]
    pub runs: usize,
    /// Per-run timeout in seconds (default: derived from the spec).
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<f64>,
    /// Kill a run whose resident memory passes this many MiB (an `exhausted` row; default:
    /// half of physical memory, at most 8 GiB).
    #[arg(long, value_name = "MIB")]
    pub mem_limit_mib: Option<u64>,
    /// Print the row as one JSON object instead of a summary.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub spec: SpecFlags,
}

pub fn run(a: &RunArgs) -> Result<ExitCode, Usage> {
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
    let cpus = lab::runner::allowed_cpus();
    // Check the request first, then plan at this machine's calibration (~1 s).
    Plan::for_run(&req, &found, cpus.len())?;
    let (ns, plan) = calibrated(|ns_per_unit| {
        Plan::for_run(
            &RunRequest {
                ns_per_unit,
                ..req.clone()
            },
            &found,
            cpus.len(),
        )
    })?;
    let stop = interrupt_flag();
    let results = match sweep::execute(&plan, &cpus, ns, serde_json::Value::Null, &stop) {
        Ok(r) => r,
        Err(e) => return Ok(run_error(&e)),
    };
    let Some(row) = results.rows.first() else {
        eprintln!("interrupted before the run finished");
        return Ok(ExitCode::from(130));
    };
    if a.json {
        println!("{}", serde_json::to_string(row).unwrap_or_default());
    } else {
        print!("{}", report::terminal::row_detail(row));
    }
    Ok(if row.status.is_failure() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
