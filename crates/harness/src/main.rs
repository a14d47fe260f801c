//! The `harness` command line: `list`, `run`, `compare`, `capacity`, `memory`, `primitives`,
//! `soak`, `replicate`, `answers`, `index`, `calibrate`. Parses the arguments and hands each subcommand to its file
//! in `commands`, which asks the lab's plan what to do — every check and default lives there: bad
//! input is one line naming the problem and the valid choices, exit code 2, nothing written —
//! runs it, analyses and prints.
#![allow(clippy::print_stdout)] // this is the CLI: stdout is its output

use clap::{Parser, Subcommand};
use harness::commands;
use harness::commands::{
    AnswersArgs, CapacityArgs, CompareArgs, IndexArgs, MemoryArgs, PrimitivesArgs, ReplicateArgs,
    RunArgs, SoakArgs,
};
use lab::discover;
use lab::plan::Usage;
use std::process::ExitCode;

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
    /// Measure nanoseconds per work unit on this machine, and what N cores give at most (the
    /// work kernel on N pinned threads over 1: `env.json`'s `core_limit`).
    Calibrate,
    /// Run one strategy on one scenario, verify it, print a summary.
    Run(RunArgs),
    /// Sweep strategies × scenarios × cores (× a parameter) and write a results folder.
    Compare(CompareArgs),
    /// Find the highest call rate each strategy × cores keeps up with, and the desk speedup.
    Capacity(CapacityArgs),
    /// How many calls each strategy holds at once on one core, and the memory each costs.
    Memory(MemoryArgs),
    /// What one switch costs: each strategy's binary measures its runtime's spawn + join,
    /// round trip, sleep lateness and memory per idle unit; writes results/primitives/.
    Primitives(PrimitivesArgs),
    /// Every strategy, round after round on new seeds, overload and real-line days for as long
    /// as asked: crashes, hangs and false `wrong`s counted; writes results/soak/.
    Soak(SoakArgs),
    /// Whether a later compare's results folder (NEW) repeats the claims of an earlier one
    /// (OLD): markdown on stdout; exit 1 on a contradicted claim or a verdict flipped yes ↔ no.
    Replicate(ReplicateArgs),
    /// The essay's three questions answered from the reference runs (a compare, optionally a
    /// second compare, a capacity and a memory folder): markdown on stdout, and into README's
    /// answers section with --readme.
    Answers(AnswersArgs),
    /// Rewrite results base folders' README.md index and latest link from the run folders
    /// they hold now (after pruning old runs).
    Index(IndexArgs),
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
                println!("{:#}", report::terminal::list_json(&found));
            } else {
                print!("{}", report::terminal::list(&dir, &found));
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Calibrate => {
            println!("{:.1} ns per work unit", lab::noise::calibrate_pinned());
            let limit = lab::core_limit::measure();
            let measured = (!limit.speedup.is_empty()).then_some(&limit);
            println!("{}", report::terminal::core_limit(measured));
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Run(a) => commands::run(a),
        Cmd::Compare(a) => commands::compare(a),
        Cmd::Capacity(a) => commands::capacity(a),
        Cmd::Memory(a) => commands::memory(a),
        Cmd::Primitives(a) => commands::primitives(a),
        Cmd::Soak(a) => commands::soak(a),
        Cmd::Replicate(a) => commands::replicate(a),
        Cmd::Answers(a) => commands::answers(a),
        Cmd::Index(a) => commands::index(a),
    };
    result.unwrap_or_else(|Usage(msg)| {
        eprintln!("error: {msg}");
        ExitCode::from(2)
    })
}
