//! `harness capacity`: the highest call rate each strategy × cores keeps up with, and the desk
//! speedup.
#![allow(clippy::print_stdout)] // the command line's own output

use super::{calibrated, interrupt_flag, run_error};
use clap::Args;
use lab::capacity::{self, CapacityPlan, CapacityRequest};
use lab::discover;
use lab::plan::Usage;
use lab::spec_flags::SpecFlags;
use std::path::PathBuf;
use std::process::ExitCode;

/// The arguments, as clap parses them (checking them is the lab's plan's job).
#[derive(Args, Debug)]
pub struct CapacityArgs {
    /// Short days (0.5 s) and a wider final bracket (19 % instead of 9 %).
    #[arg(long)]
    pub quick: bool,
    /// Comma-separated strategies (default: all found).
    #[arg(long, value_delimiter = ',')]
    pub strategies: Vec<String>,
    /// Comma-separated scenarios (default: office).
    #[arg(long, value_delimiter = ',', alias = "scenarios")]
    pub scenario: Vec<String>,
    /// Comma-separated core counts (default: 1,2).
    #[arg(long, value_delimiter = ',')]
    pub cores: Vec<usize>,
    /// Days per rate, on seeds seed, seed + 1, ... (default 1).
    #[arg(long)]
    pub runs: Option<usize>,
    /// Per-day timeout in seconds (default: derived from each spec).
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<f64>,
    /// Kill a day whose resident memory passes this many MiB.
    #[arg(long, value_name = "MIB")]
    pub mem_limit_mib: Option<u64>,
    /// Base folder of results (default: results/capacity).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub spec: SpecFlags,
}

pub fn capacity(a: &CapacityArgs) -> Result<ExitCode, Usage> {
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
    let cpus = lab::runner::allowed_cpus();
    // Check the request first, then plan at this machine's calibration (~1 s).
    CapacityPlan::new(&req, &found, cpus.len())?;
    eprintln!("calibrating the work unit...");
    let (ns, plan) = calibrated(|ns_per_unit| {
        CapacityPlan::new(
            &CapacityRequest {
                ns_per_unit,
                ..req.clone()
            },
            &found,
            cpus.len(),
        )
    })?;
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
        Err(e) => return Ok(run_error(&e)),
    };
    let results = ran.into_results(lab::envinfo::collect(ns, cpus.len()), &plan);
    let results = analysis::analyse(results);
    let dir = match report::output::write_results(&out_base, &results) {
        Ok(d) => d,
        Err(e) => return Ok(run_error(&e)),
    };
    if let Some(c) = &results.capacity {
        print!("{}", report::terminal::capacity(c));
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
