//! What each subcommand does once its arguments are parsed: ask `plan` (or `capacity`) what
//! to run, calibrate, run it, write the results folder, print the terminal's summary. The exit
//! code says how it went: 0, 1 (a failed row or an I/O error), 2 (bad input), 130 (Ctrl-C).
#![allow(clippy::print_stdout)] // the command line's own output

use crate::cli::{CapacityArgs, CompareArgs, MemoryArgs, PrimitivesArgs, RunArgs};
use lab::capacity::{self, CapacityPlan, CapacityRequest};
use lab::discover;
use lab::format::group_thousands;
use lab::plan::{CompareRequest, Plan, RunRequest, Usage};
use lab::primitives::{PrimitivesPlan, PrimitivesRequest, Status};
use lab::sweep;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

fn interrupt_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let f = flag.clone();
    if let Err(e) = ctrlc::set_handler(move || f.store(true, Ordering::SeqCst)) {
        eprintln!("note: Ctrl-C will not stop the sweep cleanly: {e}");
    }
    flag
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
    let ns = workload::work::calibrate_ns_per_unit();
    let req = RunRequest {
        ns_per_unit: Some(ns),
        ..req
    };
    let plan = Plan::for_run(&req, &found, cpus.len())?;
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
    let env = lab::envinfo::collect(ns, cpus.len());
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
    let results = analysis::analyse(results);
    let dir = match report::output::write_results(&out_base, &results) {
        Ok(d) => d,
        Err(e) => return Ok(run_error(&e)),
    };
    if let Some(readme) = &a.readme {
        let prefix = format!("{}/", out_base.display());
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

pub fn primitives(a: &PrimitivesArgs) -> Result<ExitCode, Usage> {
    let started = std::time::Instant::now();
    let found = discover::ordered(discover::in_dir(&discover::default_dir()));
    let req = PrimitivesRequest {
        strategies: a.strategies.clone(),
        cores: a.cores.clone(),
        quick: a.quick,
        timeout_s: a.timeout,
        mem_limit_mib: a.mem_limit_mib,
    };
    let cpus = lab::runner::allowed_cpus();
    let plan = PrimitivesPlan::new(&req, &found, cpus.len())?;
    let out_base = a
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("results/primitives"));
    eprintln!(
        "{} strategies × cores {:?}: {} spawns, {} round trips, {} sleeps of each length, {} \
         idle units",
        plan.strategies.len(),
        plan.cores,
        group_thousands(plan.spec.spawns),
        group_thousands(plan.spec.round_trips),
        group_thousands(plan.spec.sleeps),
        group_thousands(plan.spec.idle_units)
    );
    // No work units here: env.json has no calibration.
    let mut env = lab::envinfo::collect(f64::NAN, cpus.len());
    if let Some(o) = env.as_object_mut() {
        o.remove("ns_per_unit");
    }
    let stop = interrupt_flag();
    let results = lab::primitives::execute(&plan, &cpus, env, &stop, |row| {
        let how = match (&row.reason, row.status) {
            (_, Status::Ok) => "ok".to_owned(),
            (Some(r), _) => format!("FAILED: {r}"),
            (None, _) => "FAILED".to_owned(),
        };
        eprintln!(
            "  {} on {} core{}: {how} ({:.1} s)",
            row.strategy,
            row.cores,
            if row.cores == 1 { "" } else { "s" },
            row.wall_s
        );
    });
    let results = match results {
        Ok(r) => r,
        Err(e) => return Ok(run_error(&e)),
    };
    let mut files = vec![report::exporter::Output {
        file: "env.json".into(),
        bytes: serde_json::to_vec_pretty(&results.env).unwrap_or_default(),
    }];
    let written = report::export::primitives::files(&results).and_then(|f| {
        files.extend(f);
        report::output::write_folder(&out_base, &files)
    });
    let dir = match written {
        Ok(d) => d,
        Err(e) => return Ok(run_error(&e)),
    };
    let table = report::export::primitives::table(&results.rows);
    print!("{table}");
    if let Some(readme) = &a.readme {
        let env = &results.env;
        let s = |k: &str| env[k].as_str().unwrap_or("?").to_owned();
        let name = dir
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let section = format!(
            "Reference run: [`{0}/{name}/primitives.md`]({0}/{name}/primitives.md) — {1}, commit `{2}`, {3} ({4} cores), \
             written by `harness primitives --readme`; the notes on how each runtime was measured and the \
             quoted context-switch figures are in that file.\n\n{table}\n{5}",
            out_base.display(),
            s("date_utc"),
            s("git_commit_built").chars().take(10).collect::<String>(),
            s("cpu_model"),
            env["logical_cores"],
            report::export::primitives::published(),
        );
        if let Err(e) = report::output::replace_section(readme, "primitives", &section) {
            return Ok(run_error(&e));
        }
    }
    println!(
        "\nResults: {} (primitives.md) in {:.0} s",
        dir.display(),
        started.elapsed().as_secs_f64()
    );
    if results.interrupted {
        eprintln!("interrupted: the folder holds the binaries finished before Ctrl-C");
        return Ok(ExitCode::from(130));
    }
    let failed: Vec<String> = results
        .rows
        .iter()
        .filter(|r| r.status != Status::Ok)
        .map(|r| format!("{} on {} cores", r.strategy, r.cores))
        .collect();
    if !failed.is_empty() {
        eprintln!("failed: {}", failed.join(", "));
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
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
    let ns = workload::work::calibrate_ns_per_unit();
    let req = MemoryRequest {
        ns_per_unit: Some(ns),
        ..req
    };
    let plan = MemoryPlan::new(&req, &found, cpus.len())?;
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

/// A run that could not finish (a folder not written, a day not started): the error on
/// stderr, exit code 1.
fn run_error(e: &anyhow::Error) -> ExitCode {
    eprintln!("error: {e:#}");
    ExitCode::from(1)
}
