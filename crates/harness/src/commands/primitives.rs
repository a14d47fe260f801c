//! `harness primitives`: what one switch costs in each strategy's runtime.
#![allow(clippy::print_stdout)] // the command line's own output

use super::{interrupt_flag, run_error};
use clap::Args;
use lab::discover;
use lab::format::group_thousands;
use lab::plan::Usage;
use lab::primitives::{BinaryStatus, PrimitivesPlan, PrimitivesRequest};
use std::path::PathBuf;
use std::process::ExitCode;

/// The arguments, as clap parses them (checking them is the lab's plan's job).
#[derive(Args, Debug)]
pub struct PrimitivesArgs {
    /// Comma-separated strategies (default: all found).
    #[arg(long, value_delimiter = ',')]
    pub strategies: Vec<String>,
    /// Comma-separated core counts to pin each binary to (default: 1).
    #[arg(long, value_delimiter = ',')]
    pub cores: Vec<usize>,
    /// A tenth of each count (default: 10,000 spawns, 10,000 round trips, 500 sleeps of each
    /// length, 10,000 idle units).
    #[arg(long)]
    pub quick: bool,
    /// Per-binary timeout in seconds (default 60).
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<f64>,
    /// Kill a binary whose resident memory passes this many MiB (default: half of physical
    /// memory, at most 8 GiB).
    #[arg(long, value_name = "MIB")]
    pub mem_limit_mib: Option<u64>,
    /// Base folder of results (default: results/primitives).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Also write the table between `<!-- primitives:begin -->` and `<!-- primitives:end -->`
    /// of this file (the project README).
    #[arg(long, value_name = "FILE")]
    pub readme: Option<PathBuf>,
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
    if let Some(readme) = &a.readme {
        super::check_readme(readme, "primitives")?;
    }
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
            (_, BinaryStatus::Ok) => "ok".to_owned(),
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
    let mut files = vec![report::exporter::Output::new(
        "env.json",
        serde_json::to_vec_pretty(&results.env).unwrap_or_default(),
        report::exporter::Kind::Environment,
    )];
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
        let name = dir
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let source = report::export::reference_source(
            "Reference run",
            &format!(
                "{}/{name}/primitives.md",
                super::readme_link(Some(readme), &out_base)
            ),
            &results.env,
            "harness primitives --readme",
        );
        let section = format!(
            "{source}; the notes on how each runtime was measured and the quoted context-switch \
             figures are in that file.\n\n{table}\n{}",
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
        .filter(|r| r.status != BinaryStatus::Ok)
        .map(|r| format!("{} on {} cores", r.strategy, r.cores))
        .collect();
    if !failed.is_empty() {
        eprintln!("failed: {}", failed.join(", "));
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
