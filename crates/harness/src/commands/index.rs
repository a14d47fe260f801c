//! `harness index DIR...`: rewrites each results base folder's `README.md` index and its
//! `latest` link from the run folders it holds now (`report::output::refresh_index`) — what
//! every command does after writing a folder, for after folders were pruned (e.g. to the newest
//! reference run of each kind). Exit 2 on a folder with no results folder in it, checked before
//! anything is written; 1 when a file could not be written.
#![allow(clippy::print_stdout)] // the command line's own output

use super::run_error;
use clap::Args;
use lab::plan::Usage;
use std::path::PathBuf;
use std::process::ExitCode;

/// The arguments, as clap parses them.
#[derive(Args, Debug)]
pub struct IndexArgs {
    /// Results base folders (e.g. results results/capacity results/memory).
    #[arg(value_name = "DIR", required = true)]
    pub dirs: Vec<PathBuf>,
}

pub fn index(a: &IndexArgs) -> Result<ExitCode, Usage> {
    for d in &a.dirs {
        if report::output::Collection::of_base(d).is_none() {
            return Err(Usage(format!(
                "invalid folder {}: no results folder in it (give a base folder such as results or results/capacity)",
                d.display()
            )));
        }
    }
    for d in &a.dirs {
        if let Err(e) = report::output::refresh_index(d) {
            return Ok(run_error(&e));
        }
        println!("{}", d.join("README.md").display());
    }
    Ok(ExitCode::SUCCESS)
}
