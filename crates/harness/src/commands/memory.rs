//! `harness memory`: how many calls each strategy holds at once, and the memory each costs.
#![allow(clippy::print_stdout)] // the command line's own output

use super::{calibrated, interrupt_flag, run_error};
use crate::cli::MemoryArgs;
use lab::discover;
use lab::plan::Usage;
use std::path::PathBuf;
use std::process::ExitCode;

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
