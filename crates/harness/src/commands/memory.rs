//! `harness memory`: how many calls each strategy holds at once, and the memory each costs.
#![allow(clippy::print_stdout)] // the command line's own output

use super::{calibrated, interrupt_flag, run_error};
use clap::Args;
use lab::discover;
use lab::plan::Usage;
use std::path::PathBuf;
use std::process::ExitCode;

/// The arguments, as clap parses them (checking them is the lab's plan's job).
#[derive(Args, Debug)]
pub struct MemoryArgs {
    /// Levels 1k, 10k, 100k with 1 s calls (about a minute) instead of 1k … 1M with 8 s calls.
    #[arg(long)]
    pub quick: bool,
    /// Comma-separated strategies (default: all found).
    #[arg(long, value_delimiter = ',')]
    pub strategies: Vec<String>,
    /// Comma-separated calls in flight, e.g. 1000,10000,100000,1000000 (or 1k,10k,100k,1M).
    #[arg(long, value_name = "N,N,...")]
    pub in_flight: Option<String>,
    /// How long each call talks, and the phones ring, in seconds (default 8; 1 with --quick):
    /// the call rate of a level is the level over this.
    #[arg(long, value_name = "SECS")]
    pub call_s: Option<f64>,
    /// Per-day timeout in seconds (default: derived from each spec).
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<f64>,
    /// Kill a day whose resident memory passes this many MiB (an `exhausted` level; default:
    /// half of physical memory, at most 8 GiB).
    #[arg(long, value_name = "MIB")]
    pub mem_limit_mib: Option<u64>,
    /// Base folder of results (default: results/memory, or results/memory/quick with --quick).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

pub fn memory(a: &MemoryArgs) -> Result<ExitCode, Usage> {
    use lab::memory::{self, MemoryPlan, MemoryRequest};
    let started = std::time::Instant::now();
    let found = discover::ordered(discover::in_dir(&discover::default_dir()));
    let req = MemoryRequest {
        quick: a.quick,
        strategies: a.strategies.clone(),
        in_flight: a.in_flight.clone(),
        call_s: a.call_s,
        timeout_s: a.timeout,
        mem_limit_mib: a.mem_limit_mib,
        ns_per_unit: None,
    };
    let cpus = lab::runner::allowed_cpus();
    // Check the request first, then plan at this machine's calibration (~1 s).
    MemoryPlan::new(&req, &found, cpus.len())?;
    eprintln!("calibrating the work unit...");
    let (ns, plan) = calibrated(|ns_per_unit| {
        MemoryPlan::new(
            &MemoryRequest {
                ns_per_unit,
                ..req.clone()
            },
            &found,
            cpus.len(),
        )
    })?;
    let out_base = a.out.clone().unwrap_or_else(|| {
        PathBuf::from(if a.quick {
            "results/memory/quick"
        } else {
            "results/memory"
        })
    });
    eprintln!(
        "{ns:.0} ns per work unit; {} strategies on {} core, calls in flight {:?}, {} s calls; memory guard {} MiB",
        plan.strategies.len(),
        memory::CORES,
        plan.levels,
        plan.call_us as f64 / 1e6,
        plan.mem_limit_mib
    );
    let stop = interrupt_flag();
    let ran = match memory::execute(&plan, &cpus, &stop) {
        Ok(r) => r,
        Err(e) => return Ok(run_error(&e)),
    };
    let results = ran.into_results(lab::envinfo::collect(ns, cpus.len()), &plan);
    let results = analysis::analyse(results);
    let dir = match report::output::write_results(&out_base, &results) {
        Ok(d) => d,
        Err(e) => return Ok(run_error(&e)),
    };
    if let Some(m) = &results.memory {
        print!("{}", report::terminal::memory(m));
    }
    println!(
        "\nResults: {} (memory.md; every day in summary.md) in {:.0} s",
        dir.display(),
        started.elapsed().as_secs_f64()
    );
    if results.interrupted {
        eprintln!("interrupted: the folder holds the days finished before Ctrl-C");
        return Ok(ExitCode::from(130));
    }
    Ok(ExitCode::SUCCESS)
}
