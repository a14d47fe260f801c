//! `strategy_main`: the whole `main` of a strategy binary. Reads the spec (a scenario, a spec
//! file and `--set` overrides), runs the strategy, writes the protocol document to stdout.
//! `--declare` prints the strategy's declared arrangement instead (how `harness list` and the
//! plan learn what a binary is without running a day); `--primitives` measures what one switch
//! of its runtime costs instead of running a day (`crate::primitives`).
//! Bad input: one line on stderr naming the problem and the valid choices, exit code 2.

use crate::arrangement::Arrangement;
use crate::office::Office;
use crate::primitives::{PRIMITIVES_VERSION, PrimitivesFn, PrimitivesReport, PrimitivesSpec};
use crate::protocol::Report;
use crate::record::Logbook;
use crate::spec::{Scenario, Spec};
use clap::Parser;
use std::process::ExitCode;
use std::time::Instant;

/// The signature every strategy's `run` has: do the day in `office` with `cores` cores.
pub type RunFn = fn(&Office, usize) -> Logbook;

#[derive(Parser, Debug)]
#[command(about = "Runs one secretary strategy for one day and writes a JSON report to stdout")]
struct Args {
    /// Preset to start from (office, call-center, back-office, rush-hour, switchboard, month-end).
    #[arg(long, default_value = "office")]
    scenario: String,
    /// A JSON spec file ('-' for stdin); replaces the scenario preset.
    #[arg(long)]
    spec: Option<String>,
    /// Override one spec field: --set chunk=50 (repeatable).
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    set: Vec<String>,
    /// Cores the strategy may use (it sizes its runtime to match; the harness pins the CPUs).
    #[arg(long)]
    cores: Option<usize>,
    /// Record a timeline of spans for the window FROM_US:LEN_US of the day.
    #[arg(long, value_name = "FROM_US:LEN_US")]
    timeline: Option<String>,
    /// Print the declared arrangement (JSON: name and arrangement) and exit.
    #[arg(long)]
    declare: bool,
    /// Measure the runtime's primitives (spawn + join, round trip, sleep lateness, memory per
    /// idle unit) instead of running a day; prints one JSON line.
    #[arg(long)]
    primitives: bool,
    /// The counts for --primitives, as JSON (e.g. '{"spawns":1000}'; missing fields default).
    #[arg(long, value_name = "JSON")]
    primitives_spec: Option<String>,
}

/// What `--declare` prints: one JSON line.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Declaration {
    /// Strategy name.
    pub strategy: String,
    /// Its arrangement.
    pub arrangement: Arrangement,
}

/// Prints one line and returns exit code 2.
fn bad_input(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {msg}");
    ExitCode::from(2)
}

/// First line of a clap error, without its "error: " prefix.
#[must_use]
pub fn clap_one_line(e: &clap::Error) -> String {
    let text = e.to_string();
    let line = text.lines().next().unwrap_or("bad arguments");
    line.trim_start_matches("error: ").to_owned()
}

fn read_spec(args: &Args) -> Result<Spec, String> {
    let mut spec = match &args.spec {
        Some(path) => {
            let text = if path == "-" {
                std::io::read_to_string(std::io::stdin())
                    .map_err(|e| format!("cannot read spec from stdin: {e}"))?
            } else {
                std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read spec file '{path}': {e}"))?
            };
            serde_json::from_str(&text).map_err(|e| format!("invalid spec '{path}': {e}"))?
        }
        None => args.scenario.parse::<Scenario>()?.spec(),
    };
    for kv in &args.set {
        let (k, v) = kv
            .split_once('=')
            .ok_or_else(|| format!("--set expects FIELD=VALUE, got '{kv}'"))?;
        spec.set(k, v)?;
    }
    spec.validate().map_err(|e| e.to_string())?;
    Ok(spec)
}

fn parse_window(s: &str) -> Result<(u64, u64), String> {
    let err =
        || format!("invalid --timeline '{s}': expected FROM_US:LEN_US, two non-negative integers");
    let (a, b) = s.split_once(':').ok_or_else(err)?;
    Ok((a.parse().map_err(|_| err())?, b.parse().map_err(|_| err())?))
}

/// The entry point of a strategy binary: `fn main() -> ExitCode { strategy_main("name",
/// my_crate::ARRANGEMENT, my_crate::run, my_crate::primitives) }`.
pub fn strategy_main(
    name: &str,
    arrangement: Arrangement,
    run: RunFn,
    primitives: PrimitivesFn,
) -> ExitCode {
    let args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) if !e.use_stderr() => {
            let _ = e.print(); // --help / --version
            return ExitCode::SUCCESS;
        }
        Err(e) => return bad_input(clap_one_line(&e)),
    };
    crate::crash::report_fatal_signals();
    if args.declare {
        let d = Declaration {
            strategy: name.to_owned(),
            arrangement,
        };
        return crate::protocol::write_stdout_line(&d)
            .map_or(ExitCode::from(1), |()| ExitCode::SUCCESS);
    }
    let cores = args
        .cores
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    if cores == 0 {
        return bad_input("invalid --cores 0: must be at least 1");
    }
    if args.primitives {
        return measure_primitives(name, &args, cores, primitives);
    }
    if args.primitives_spec.is_some() {
        return bad_input("--primitives-spec needs --primitives");
    }
    let spec = match read_spec(&args) {
        Ok(s) => s,
        Err(e) => return bad_input(e),
    };
    let window = match args.timeline.as_deref().map(parse_window).transpose() {
        Ok(w) => w,
        Err(e) => return bad_input(e),
    };
    let lines = spec.lines;
    let mut office = match Office::new(spec, window) {
        Ok(o) => o,
        Err(e) => return bad_input(e),
    };
    if lines == crate::spec::Lines::Tcp {
        match crate::phone::Switchboard::inherited() {
            Ok(s) => {
                crate::phone::raise_nofile();
                office = office.with_switchboard(s);
            }
            Err(e) => return bad_input(e),
        }
    }
    // Timers as exact as the kernel allows, for every strategy alike: set before any runtime
    // starts, so every thread the strategy creates inherits it (the report records it).
    if let Err(e) = crate::timer_slack::set_to_1ns() {
        eprintln!("warning: cannot set the timer slack to 1 ns: {e}");
    }
    let (mut report, _) = run_in_process(name, run, &office, cores);
    report.arrangement = Some(arrangement);
    if let Err(e) = report.write_stdout() {
        eprintln!("error: cannot write the report: {e}");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// `--primitives`: the crate's primitives function on the counts asked for, one JSON line.
fn measure_primitives(name: &str, args: &Args, cores: usize, primitives: PrimitivesFn) -> ExitCode {
    let spec = match args.primitives_spec.as_deref() {
        Some(json) => match serde_json::from_str::<PrimitivesSpec>(json) {
            Ok(s) => s,
            Err(e) => return bad_input(format!("invalid --primitives-spec: {e}")),
        },
        None => PrimitivesSpec::default(),
    };
    if let Err(e) = spec.validate() {
        return bad_input(format!("invalid --primitives-spec: {e}"));
    }
    // The same timers as on a day: set before any runtime starts.
    if let Err(e) = crate::timer_slack::set_to_1ns() {
        eprintln!("warning: cannot set the timer slack to 1 ns: {e}");
    }
    let report = PrimitivesReport {
        protocol: PRIMITIVES_VERSION,
        strategy: name.to_owned(),
        cores,
        spec,
        timer_slack_ns: crate::timer_slack::current_ns(),
        primitives: primitives(&spec, cores),
    };
    crate::protocol::write_stdout_line(&report).map_or(ExitCode::from(1), |()| ExitCode::SUCCESS)
}

/// Runs a strategy in this process and builds its report (the binaries and the conformance
/// tests share this). Also returns the wall time of `run`.
pub fn run_in_process(name: &str, run: RunFn, office: &Office, cores: usize) -> (Report, f64) {
    let t = Instant::now();
    let log = run(office, cores);
    let wall = t.elapsed().as_secs_f64();
    // The day is measured from the office opening (after runtime start-up), when it did.
    let day_s = office.clock().map_or(wall, |c| c.now_ns() as f64 / 1e9);
    (Report::new(name, cores, office, log, day_s), wall)
}
