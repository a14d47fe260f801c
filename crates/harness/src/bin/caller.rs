//! The caller process of real phone lines: `caller --addr 127.0.0.1:PORT --spec JSON`, the
//! office's opening on stdin, one JSON line (`caller::CallerReport`) on stdout. The
//! harness starts it beside a strategy in tcp mode; see `caller`.
#![allow(clippy::print_stdout)] // the report is this binary's output

use clap::Parser;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    about = "Plays and times every caller of a day over loopback TCP (started by the harness)"
)]
struct Args {
    /// Where the office listens (a loopback address).
    #[arg(long)]
    addr: std::net::SocketAddr,
    /// The day's spec, as JSON.
    #[arg(long)]
    spec: String,
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {}", workload::entry::clap_one_line(&e));
            return ExitCode::from(2);
        }
    };
    if !args.addr.ip().is_loopback() {
        eprintln!(
            "error: --addr {} is not a loopback address (only 127.0.0.1 is used)",
            args.addr
        );
        return ExitCode::from(2);
    }
    let spec: workload::Spec = match serde_json::from_str(&args.spec) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: invalid --spec: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = spec.validate() {
        eprintln!("error: invalid --spec: {e}");
        return ExitCode::from(2);
    }
    match caller::call(&spec, args.addr, std::io::stdin().lock()) {
        Ok(report) => match serde_json::to_string(&report) {
            Ok(line) => {
                println!("{line}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: cannot write the report: {e}");
                ExitCode::from(1)
            }
        },
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(3)
        }
    }
}
