//! `harness soak`: every strategy, round after round on new seeds, overload and real-line
//! days, for as long as asked; the days and their summary into `results/soak/`, and with
//! `--readme FILE` its figures into that file's `soak` section. Exit 1 if any day crashed,
//! timed out or was `wrong`.
#![allow(clippy::print_stdout)] // the command line's own output

use super::{calibrated, interrupt_flag, run_error};
use clap::Args;
use lab::discover;
use lab::plan::Usage;
use lab::soak::{SoakPlan, SoakRequest};
use std::path::PathBuf;
use std::process::ExitCode;

/// The arguments, as clap parses them (checking them is the lab's plan's job).
#[derive(Args, Debug)]
pub struct SoakArgs {
    /// How long to run, minutes (default 30); a day begun is finished.
    #[arg(long, value_name = "MIN")]
    pub minutes: Option<f64>,
    /// Comma-separated strategies (default: all found).
    #[arg(long, value_delimiter = ',')]
    pub strategies: Vec<String>,
    /// Comma-separated core counts (default: 1 and 2, those this machine allows).
    #[arg(long, value_delimiter = ',')]
    pub cores: Vec<usize>,
    /// Per-day timeout in seconds (default: derived from each spec).
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<f64>,
    /// Kill a day whose resident memory passes this many MiB (default: half of physical
    /// memory, at most 8 GiB).
    #[arg(long, value_name = "MIB")]
    pub mem_limit_mib: Option<u64>,
    /// The seed of the first round (default 1000); round r runs seed + r.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Base folder of results (default: results/soak).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Also write what ran, how the days ended and the liar rule's false-positive rate
    /// between `<!-- soak:begin -->` and `<!-- soak:end -->` of this file (docs/soak.md).
    #[arg(long, value_name = "FILE")]
    pub readme: Option<PathBuf>,
}

pub fn soak(a: &SoakArgs) -> Result<ExitCode, Usage> {
    let found = discover::ordered(discover::in_dir(&discover::default_dir()));
    let req = SoakRequest {
        minutes: a.minutes,
        strategies: a.strategies.clone(),
        cores: a.cores.clone(),
        timeout_s: a.timeout,
        mem_limit_mib: a.mem_limit_mib,
        first_seed: a.seed,
        ns_per_unit: None,
    };
    let cpus = lab::runner::allowed_cpus();
    SoakPlan::new(&req, &found, cpus.len())?;
    if let Some(readme) = &a.readme {
        super::check_readme(readme, "soak")?;
    }
    let out_base = a
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("results/soak"));
    eprintln!("calibrating the work unit...");
    let (ns, plan) = calibrated(|ns_per_unit| {
        SoakPlan::new(
            &SoakRequest {
                ns_per_unit,
                ..req.clone()
            },
            &found,
            cpus.len(),
        )
    })?;
    eprintln!(
        "{ns:.0} ns per work unit; {} strategies × cores {:?} × {} days a round, for {} min",
        plan.strategies.len(),
        plan.cores,
        plan.days.len(),
        plan.minutes
    );
    let stop = interrupt_flag();
    let soak = match lab::soak::execute(&plan, &cpus, ns, &stop) {
        Ok(s) => s,
        Err(e) => return Ok(run_error(&e)),
    };
    let summary = analysis::soak::summarise(&soak);
    let env = lab::envinfo::collect(ns, cpus.len());
    let written = report::output::env_json(&env).and_then(|e| {
        let mut files = vec![e];
        files.extend(report::export::soak::files(&soak, &summary)?);
        report::output::write_folder(&out_base, &files)
    });
    let dir = match written {
        Ok(d) => d,
        Err(e) => return Ok(run_error(&e)),
    };
    if let Some(readme) = &a.readme {
        let name = dir.file_name().map(std::path::Path::new).unwrap_or(&dir);
        let link = super::readme_link(Some(readme), &out_base.join(name));
        let section = report::export::soak::readme_section(&soak, &summary, &link, &env);
        if let Err(e) = report::output::replace_section(readme, "soak", &section) {
            return Ok(run_error(&e));
        }
    }
    print!("{}", report::export::soak::table(&summary));
    println!("\n{}", report::export::soak::headline(&soak, &summary));
    println!("\nResults: {} (soak.md)", dir.display());
    Ok(if soak.interrupted {
        ExitCode::from(130)
    } else if summary.crashed + summary.timeout + summary.wrong > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
