//! The arguments of `harness run`, `compare`, `capacity`, `memory` and `primitives`, as clap
//! parses them (the spec flags come from `spec_flags`). Checking them is `plan`'s,
//! `capacity`'s, `memory`'s and `primitives`' job; running them is `commands`'.

use clap::Args;
use lab::spec_flags::SpecFlags;
use std::path::PathBuf;

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

#[derive(Args, Debug)]
pub struct CompareArgs {
    /// A short sweep: office and back-office, 0.5 s days, one run per cell, no default sweep,
    /// timelines on 1 core.
    #[arg(long)]
    pub quick: bool,
    /// Comma-separated strategies (default: all found).
    #[arg(long, value_delimiter = ',')]
    pub strategies: Vec<String>,
    /// Comma-separated scenarios (default: all but switchboard; with --quick:
    /// office,back-office).
    #[arg(long, value_delimiter = ',', alias = "scenario")]
    pub scenarios: Vec<String>,
    /// Comma-separated core counts (default: 1, 2, 4, ... and all CPUs).
    #[arg(long, value_delimiter = ',')]
    pub cores: Vec<usize>,
    /// Runs per cell (default 3; 1 with --quick).
    #[arg(long)]
    pub runs: Option<usize>,
    /// Sweep one spec field over values, e.g. chunk=10,100,1000 (on 1 core unless --cores).
    #[arg(long, value_name = "FIELD=V1,V2,...")]
    pub sweep: Option<String>,
    /// Skip the default chunk sweep of a full compare.
    #[arg(long)]
    pub no_sweep: bool,
    /// Skip the timeline runs (and so the timeline pictures).
    #[arg(long)]
    pub no_timelines: bool,
    /// The window of the 1 s timeline day to record, in ms (default 0:1000, the whole day):
    /// the traces hold all of it, the timeline pictures 40 ms of it.
    #[arg(long, value_name = "FROM_MS:LEN_MS")]
    pub timeline_window: Option<String>,
    /// Per-run timeout in seconds (default: derived from each spec).
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<f64>,
    /// Kill a run whose resident memory passes this many MiB (an `exhausted` row; default:
    /// half of physical memory, at most 8 GiB).
    #[arg(long, value_name = "MIB")]
    pub mem_limit_mib: Option<u64>,
    /// Base folder of results (default: results, or results/quick with --quick).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Also refresh the results section of this README (between its markers).
    #[arg(long, value_name = "FILE")]
    pub readme: Option<PathBuf>,
    /// Also search each strategy's capacity on office (on the compare's cores), into the same
    /// folder (capacity.md, load-office.svg).
    #[arg(long)]
    pub capacity: bool,
    #[command(flatten)]
    pub spec: SpecFlags,
}

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
