//! The `harness` command line: `list`, `run`, `compare`, `calibrate`. Parses and checks every
//! argument before anything runs (bad input: one line naming the problem and the valid
//! choices, exit code 2, nothing written), then hands over to the library.
#![allow(clippy::print_stdout)] // this is the CLI: stdout is its output

use clap::{Args, Parser, Subcommand};
use harness::discover::{self, Strategy};
use harness::row::Row;
use harness::sweep::{self, Cell, Plan};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use workload::{Scenario, Spec};

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
    /// List the strategies found and the scenarios with their purpose.
    List,
    /// Measure nanoseconds per work unit on this machine.
    Calibrate,
    /// Run one strategy on one scenario, verify it, print a summary.
    Run(RunArgs),
    /// Sweep strategies × scenarios × cores (× a parameter) and write a results folder.
    Compare(CompareArgs),
}

/// Spec overrides, in the spec's own units (see `harness list`).
#[derive(Args, Debug, Default, Clone)]
struct SpecArgs {
    /// Base seed (run r uses seed + r).
    #[arg(long)]
    seed: Option<u64>,
    /// Length of the day in seconds (overrides the scenario's).
    #[arg(long, value_name = "SECS")]
    duration: Option<f64>,
    #[arg(long, value_name = "RATE")]
    calls_per_s: Option<String>,
    #[arg(long, value_name = "N")]
    exchanges: Option<String>,
    #[arg(long, value_name = "US")]
    listen_us: Option<String>,
    #[arg(long, value_name = "UNITS")]
    pickup_work: Option<String>,
    #[arg(long, value_name = "UNITS")]
    reply_work: Option<String>,
    #[arg(long, value_name = "US")]
    patience_us: Option<String>,
    #[arg(long, value_name = "RATE")]
    appointments_per_s: Option<String>,
    /// periodic or poisson.
    #[arg(long, value_name = "KIND")]
    appointment_arrivals: Option<String>,
    #[arg(long, value_name = "UNITS")]
    desk_work: Option<String>,
    /// Work units per uninterrupted desk chunk (cooperative strategies yield between chunks).
    #[arg(long, value_name = "UNITS")]
    chunk: Option<String>,
}

impl SpecArgs {
    /// The scenario's spec with every override applied, validated.
    fn apply(&self, scenario: Scenario) -> Result<Spec, String> {
        let mut spec = scenario.spec();
        if let Some(seed) = self.seed {
            spec.seed = seed;
        }
        if let Some(d) = self.duration {
            if !(d.is_finite() && d > 0.0 && d <= 86_400.0) {
                return Err(format!(
                    "invalid --duration {d}: must be a number of seconds in (0, 86400]"
                ));
            }
            spec.duration_us = (d * 1e6).round().max(1.0) as u64;
        }
        let fields = [
            ("calls-per-s", &self.calls_per_s),
            ("exchanges", &self.exchanges),
            ("listen-us", &self.listen_us),
            ("pickup-work", &self.pickup_work),
            ("reply-work", &self.reply_work),
            ("patience-us", &self.patience_us),
            ("appointments-per-s", &self.appointments_per_s),
            ("appointment-arrivals", &self.appointment_arrivals),
            ("desk-work", &self.desk_work),
            ("chunk", &self.chunk),
        ];
        for (name, value) in fields {
            if let Some(v) = value {
                spec.set(name, v)?;
            }
        }
        spec.validate().map_err(|e| format!("{scenario}: {e}"))?;
        Ok(spec)
    }
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
    /// Print the row as one JSON object instead of a summary.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    spec: SpecArgs,
}

#[derive(Args, Debug)]
struct CompareArgs {
    /// A short sweep: office and back-office, 1 s days, one run per cell, no default sweep.
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
    /// Per-run timeout in seconds (default: derived from each spec).
    #[arg(long, value_name = "SECS")]
    timeout: Option<f64>,
    /// Base folder of results (default: results, or results/quick with --quick).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Also refresh the results section of this README (between its markers).
    #[arg(long, value_name = "FILE")]
    readme: Option<PathBuf>,
    #[command(flatten)]
    spec: SpecArgs,
}

/// A usage error: one line, exit code 2.
struct Usage(String);

fn find_strategy(all: &[Strategy], name: &str) -> Result<Strategy, Usage> {
    all.iter().find(|s| s.name == name).cloned().ok_or_else(|| {
        let valid: Vec<&str> = all.iter().map(|s| s.name.as_str()).collect();
        Usage(format!(
            "unknown strategy '{name}' (valid: {}; looked in {})",
            if valid.is_empty() {
                "none found — build them with cargo build --release".to_owned()
            } else {
                valid.join(", ")
            },
            discover::default_dir().display()
        ))
    })
}

fn parse_scenario(name: &str) -> Result<Scenario, Usage> {
    name.parse().map_err(Usage)
}

fn check_cores(cores: &[usize], allowed: usize) -> Result<(), Usage> {
    match cores.iter().find(|&&c| c == 0 || c > allowed) {
        Some(c) => Err(Usage(format!(
            "invalid --cores {c}: this machine allows 1..={allowed}"
        ))),
        None => Ok(()),
    }
}

fn timeout(secs: Option<f64>) -> Result<Option<Duration>, Usage> {
    secs.map(|s| {
        if s.is_finite() && s > 0.0 {
            Ok(Duration::from_secs_f64(s))
        } else {
            Err(Usage(format!(
                "invalid --timeout {s}: must be a positive number of seconds"
            )))
        }
    })
    .transpose()
}

fn interrupt_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let f = flag.clone();
    if let Err(e) = ctrlc::set_handler(move || f.store(true, Ordering::SeqCst)) {
        eprintln!("note: Ctrl-C will not stop the sweep cleanly: {e}");
    }
    flag
}

fn list() {
    let dir = discover::default_dir();
    let found = discover::ordered(discover::in_dir(&dir));
    println!(
        "Strategies (binaries named strategy-* in {}):",
        dir.display()
    );
    if found.is_empty() {
        println!("  none found: build them with `cargo build --release --workspace`");
    }
    for s in &found {
        println!("  {:<12} {}", s.name, s.bin.display());
    }
    println!("\nScenarios:");
    for sc in Scenario::ALL {
        println!("  {:<12} {}", sc.name(), sc.purpose());
    }
    println!(
        "\nSpec fields (override with --<field> VALUE): {}",
        Spec::FIELDS.join(", ")
    );
}

fn print_row(row: &Row) {
    let st = row.status();
    println!(
        "{} on {} with {} core(s), {} run(s): {}",
        row.strategy,
        row.scenario,
        row.cores,
        row.runs,
        st.name()
    );
    if let Some(r) = &row.reason {
        println!("  why:           {r}");
    }
    println!(
        "  calls:         {} answered + {} missed = {} offered ({:.1}% missed)",
        row.answered_calls,
        row.missed_calls,
        row.offered_calls,
        row.missed_share * 100.0
    );
    println!(
        "  pick-up µs:    p50 {:.0}  p90 {:.0}  p99 {:.0}  p99.9 {:.0}  max {:.0}  mean {:.0}",
        row.pickup_us.p50,
        row.pickup_us.p90,
        row.pickup_us.p99,
        row.pickup_us.p999,
        row.pickup_us.max,
        row.pickup_us.mean
    );
    println!(
        "  reply µs:      p50 {:.0}  p99 {:.0}  max {:.0}",
        row.reply_us.p50, row.reply_us.p99, row.reply_us.max
    );
    println!(
        "  appointments:  {} done, lateness µs p50 {:.0}  p99 {:.0}  max {:.0}",
        row.appointments_done,
        row.appointment_lateness_us.p50,
        row.appointment_lateness_us.p99,
        row.appointment_lateness_us.max
    );
    println!(
        "  cost:          wall {:.2} s, cpu {:.2}+{:.2} s, {:.2} cores busy, max RSS {:.1} MiB, {} OS threads did work",
        row.wall_s,
        row.cpu_user_s,
        row.cpu_sys_s,
        row.cpu_per_wall,
        row.max_rss_kib / 1024.0,
        row.threads_used
    );
    println!(
        "  clock:         timer lateness p50 {:.0} µs p99 {:.0} µs ({}); digest {}",
        row.timer_lateness_us.p50,
        row.timer_lateness_us.p99,
        if row.clock_ok { "ok" } else { "late" },
        if row.digest_ok {
            "verified"
        } else {
            "NOT verified"
        }
    );
    if let Some(p) = &row.prediction {
        match (p.mean_pickup_wait_us, row.measured_over_predicted) {
            (Some(w), Some(ratio)) => println!(
                "  theory:        {}: mean wait {w:.0} µs predicted, {:.0} µs measured (pick-up − timer lateness; ×{ratio:.2})",
                p.model, row.pickup_wait_us_mean
            ),
            _ => println!("  theory:        {}: {}", p.model, p.note),
        }
    }
}

fn cmd_run(a: &RunArgs) -> Result<ExitCode, Usage> {
    let all = discover::in_dir(&discover::default_dir());
    let strategy = find_strategy(&all, &a.strategy)?;
    let scenario = parse_scenario(&a.scenario)?;
    let spec = a.spec.apply(scenario).map_err(Usage)?;
    let cpus = harness::runner::allowed_cpus();
    check_cores(&[a.cores], cpus.len())?;
    if a.runs == 0 {
        return Err(Usage("invalid --runs 0: must be at least 1".into()));
    }
    let plan = Plan {
        cells: vec![Cell {
            strategy,
            scenario,
            cores: a.cores,
            spec,
            sweep: None,
        }],
        runs: a.runs,
        timeout: timeout(a.timeout)?,
        timelines: Vec::new(),
    };
    let ns = workload::work::calibrate_ns_per_unit();
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
        print_row(row);
    }
    Ok(if row.status().is_failure() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn cmd_compare(a: &CompareArgs) -> Result<ExitCode, Usage> {
    let all = discover::ordered(discover::in_dir(&discover::default_dir()));
    let strategies: Vec<Strategy> = if a.strategies.is_empty() {
        if all.is_empty() {
            return Err(Usage(format!(
                "no strategies found in {} (build them with cargo build --release --workspace)",
                discover::default_dir().display()
            )));
        }
        all.clone()
    } else {
        a.strategies
            .iter()
            .map(|n| find_strategy(&all, n))
            .collect::<Result<_, _>>()?
    };
    let scenarios: Vec<Scenario> = if !a.scenarios.is_empty() {
        a.scenarios
            .iter()
            .map(|s| parse_scenario(s))
            .collect::<Result<_, _>>()?
    } else if a.quick {
        vec![Scenario::Office, Scenario::BackOffice]
    } else {
        Scenario::ALL.to_vec()
    };
    let cpus = harness::runner::allowed_cpus();
    let cores = if a.cores.is_empty() {
        sweep::default_cores(cpus.len())
    } else {
        a.cores.clone()
    };
    check_cores(&cores, cpus.len())?;
    let runs = a.runs.unwrap_or(if a.quick { 1 } else { 3 });
    if runs == 0 {
        return Err(Usage("invalid --runs 0: must be at least 1".into()));
    }
    let spec_args = SpecArgs {
        duration: a.spec.duration.or(a.quick.then_some(1.0)),
        ..a.spec.clone()
    };
    let mut cells = Vec::new();
    for &scenario in &scenarios {
        let spec = spec_args.apply(scenario).map_err(Usage)?;
        for s in &strategies {
            for &c in &cores {
                cells.push(Cell {
                    strategy: s.clone(),
                    scenario,
                    cores: c,
                    spec: spec.clone(),
                    sweep: None,
                });
            }
        }
    }
    // The parameter sweep: explicit, or the default chunk sweep of a full compare.
    let sweep_def = match (&a.sweep, a.quick || a.no_sweep) {
        (Some(s), _) => Some(parse_sweep(s)?),
        (None, false) => Some((
            "chunk".to_owned(),
            vec!["10", "100", "1000", "5000"]
                .into_iter()
                .map(String::from)
                .collect(),
        )),
        (None, true) => None,
    };
    if let Some((field, values)) = &sweep_def {
        let explicit = a.sweep.is_some();
        let sweep_cores = if a.cores.is_empty() {
            vec![1]
        } else {
            cores.clone()
        };
        // The default sweep: office, 2 s days, the cooperative secretaries plus threads as the
        // preemptive control.
        let (sweep_scenarios, sweep_strategies): (Vec<Scenario>, Vec<&Strategy>) = if explicit {
            (scenarios.clone(), strategies.iter().collect())
        } else {
            (
                vec![Scenario::Office],
                strategies
                    .iter()
                    .filter(|s| ["green", "async-std", "threads"].contains(&s.name.as_str()))
                    .collect(),
            )
        };
        for scenario in sweep_scenarios {
            let mut base = spec_args.apply(scenario).map_err(Usage)?;
            if !explicit && a.spec.duration.is_none() {
                base.duration_us = 2_000_000;
            }
            for v in values {
                let mut spec = base.clone();
                spec.set(field, v).map_err(Usage)?;
                spec.validate()
                    .map_err(|e| Usage(format!("--sweep {field}={v}: {e}")))?;
                for s in &sweep_strategies {
                    for &c in &sweep_cores {
                        cells.push(Cell {
                            strategy: (*s).clone(),
                            scenario,
                            cores: c,
                            spec: spec.clone(),
                            sweep: Some(format!("{field}={v}")),
                        });
                    }
                }
            }
        }
    }
    let timelines = if a.no_timelines {
        Vec::new()
    } else {
        strategies
            .iter()
            .flat_map(|s| cores.iter().map(move |&c| (s.clone(), c)))
            .collect()
    };
    let plan = Plan {
        cells,
        runs,
        timeout: timeout(a.timeout)?,
        timelines,
    };
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
    eprintln!(
        "{:.0} ns per work unit; {} cells × {} runs + {} timeline runs",
        ns,
        plan.cells.len(),
        runs,
        plan.timelines.len()
    );
    let env = harness::envinfo::collect(ns, cpus.len());
    let stop = interrupt_flag();
    let results = match sweep::execute(&plan, &cpus, ns, env, &stop) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e:#}");
            return Ok(ExitCode::from(1));
        }
    };
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
    eprintln!("wrote {}", dir.display());
    print!(
        "{}",
        std::fs::read_to_string(dir.join("summary.md")).unwrap_or_default()
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

fn parse_sweep(s: &str) -> Result<(String, Vec<String>), Usage> {
    let bad = || {
        Usage(format!(
            "invalid --sweep '{s}': expected FIELD=V1,V2,... with FIELD one of {}",
            Spec::FIELDS.join(", ")
        ))
    };
    let (field, values) = s.split_once('=').ok_or_else(bad)?;
    let field = field.replace('_', "-");
    if !Spec::FIELDS.contains(&field.as_str()) || field == "seed" {
        return Err(bad());
    }
    let values: Vec<String> = values
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(String::from)
        .collect();
    if values.is_empty() {
        return Err(bad());
    }
    Ok((field, values))
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
        Cmd::List => {
            list();
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
    };
    result.unwrap_or_else(|Usage(msg)| {
        eprintln!("error: {msg}");
        ExitCode::from(2)
    })
}
