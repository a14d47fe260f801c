//! End-to-end tests of real phone lines (`--lines tcp`): a verified row whose pick-ups the
//! caller process measured; a strategy that grades itself kindly is caught; a strategy that
//! crashes mid-day leaves a `crashed` row, a caller that ended and no stray process; a day that
//! needs more descriptors than the limit is `exhausted`; a bad `--lines` is one line and exit 2.

use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// These tests run strategies: one at a time.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_harness"))
        .parent()
        .expect("bin dir")
        .to_path_buf()
}

/// A strategy folder with the named faults (links to the `fault` binary) and the real threads
/// secretary; the caller is found beside the harness.
fn strategies(tag: &str, faults: &[&str]) -> PathBuf {
    let d = std::env::temp_dir().join(format!("secretary-lines-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("tmp dir");
    for f in faults {
        std::os::unix::fs::symlink(bin_dir().join("fault"), d.join(format!("strategy-{f}")))
            .expect("link");
    }
    std::os::unix::fs::symlink(
        bin_dir().join("strategy-threads"),
        d.join("strategy-threads"),
    )
    .expect("link");
    d
}

/// `harness run --strategy NAME --lines tcp --json` on a short office day with `seed`.
fn run_tcp(dir: &Path, name: &str, seed: u64, extra: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_harness"));
    cmd.env("SECRETARY_BIN_DIR", dir)
        .args([
            "run",
            "--strategy",
            name,
            "--scenario",
            "office",
            "--cores",
            "1",
        ])
        .args([
            "--duration",
            "1",
            "--lines",
            "tcp",
            "--json",
            "--timeout",
            "30",
        ])
        .args(["--seed", &seed.to_string()])
        .args(extra);
    cmd
}

fn row(o: &Output) -> serde_json::Value {
    let out = String::from_utf8_lossy(&o.stdout);
    let line = out.lines().find(|l| l.starts_with('{')).unwrap_or_else(|| {
        panic!(
            "no JSON row; stderr: {}",
            String::from_utf8_lossy(&o.stderr)
        )
    });
    serde_json::from_str(line).expect("a JSON row")
}

#[test]
fn a_tcp_row_is_verified_and_timed_by_the_caller() {
    let _turn = serial();
    let dir = strategies("row", &[]);
    let o = run_tcp(&dir, "threads", 31, &[]).output().expect("runs");
    let r = row(&o);
    assert_eq!(r["lines"], "tcp", "{r}");
    assert_eq!(r["scenario"], "office-tcp", "{r}");
    assert!(r["digest_ok"].as_bool().unwrap(), "{r}");
    // Measured (not wrong, not crashed) on a machine that may be busy.
    assert!(
        ["ok", "saturated", "invalid"].contains(&r["status"].as_str().unwrap()),
        "{r}"
    );
    let offered = r["offered_calls"].as_u64().unwrap();
    assert_eq!(
        r["answered_calls"].as_u64().unwrap() + r["missed_calls"].as_u64().unwrap(),
        offered
    );
    // The caller's pick-up includes the line both ways: never below the strategy's own.
    let (caller, own) = (
        r["pickup_us"]["p50"].as_f64().unwrap(),
        r["self_pickup_us"]["p50"].as_f64().unwrap(),
    );
    assert!(own > 0.0 && caller > 0.0, "{r}");
    assert!(r["peak_connections"].as_f64().unwrap() >= 1.0, "{r}");
    assert!(
        r["caller_lateness_us"]["max"].as_f64().unwrap() > 0.0,
        "{r}"
    );
}

#[test]
fn a_strategy_that_grades_itself_kindly_is_wrong() {
    let _turn = serial();
    let dir = strategies("liar", &["liar"]);
    // Patient callers: the liar's 30 ms late hellos are heard, not hung up on.
    let o = run_tcp(&dir, "liar", 32, &["--patience-us", "200000"])
        .output()
        .expect("runs");
    let r = row(&o);
    assert_eq!(r["status"], "wrong", "{r}");
    let why = r["reason"].as_str().unwrap();
    assert!(why.contains("grades itself kindly"), "{why}");
    assert!(why.contains("the caller measured"), "{why}");
}

/// One late hello in twenty is still a lie the caller sees: its p99 holds the late ones.
#[test]
fn a_strategy_that_lies_about_one_call_in_twenty_is_wrong() {
    let _turn = serial();
    let dir = strategies("liar-sometimes", &["liar-sometimes"]);
    let o = run_tcp(&dir, "liar-sometimes", 33, &["--patience-us", "200000"])
        .output()
        .expect("runs");
    let r = row(&o);
    assert_eq!(r["status"], "wrong", "{r}");
    assert!(
        r["reason"]
            .as_str()
            .unwrap()
            .contains("grades itself kindly"),
        "{r}"
    );
    assert_eq!(
        r["caller_shares_cpus"], 0.0,
        "1 core on a 2+ core machine: judged"
    );
}

/// Processes whose command line holds `needle`.
fn processes_with(needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for e in std::fs::read_dir("/proc").expect("/proc").flatten() {
        if let Ok(cmd) = std::fs::read(e.path().join("cmdline")) {
            let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
            if cmd.contains(needle) && !cmd.contains("cargo") {
                found.push(cmd);
            }
        }
    }
    found
}

#[test]
fn a_crash_mid_day_over_tcp_is_a_crashed_row_and_leaves_nothing_behind() {
    let _turn = serial();
    let dir = strategies("crash", &["crash-midday"]);
    let seed = 700_000 + u64::from(std::process::id());
    let t = Instant::now();
    let o = run_tcp(&dir, "crash-midday", seed, &[])
        .output()
        .expect("runs");
    let r = row(&o);
    assert_eq!(r["status"], "crashed", "{r}");
    assert!(r["reason"].as_str().unwrap().contains("SIGABRT"), "{r}");
    // The caller ended on its own (refused lines are missed calls) well before its timeout.
    assert!(t.elapsed() < Duration::from_secs(25), "{:?}", t.elapsed());
    // Nothing left running: the caller's command line carries this day's seed.
    let stray = processes_with(&format!("\"seed\":{seed},"));
    assert!(stray.is_empty(), "stray processes: {stray:?}");
}

#[test]
fn a_day_beyond_the_descriptor_limit_is_exhausted() {
    let _turn = serial();
    let dir = strategies("nofile", &[]);
    let mut cmd = run_tcp(&dir, "threads", 33, &[]);
    // SAFETY: setrlimit in the forked child before exec, on a local struct.
    unsafe {
        cmd.pre_exec(|| {
            let r = libc::rlimit {
                rlim_cur: 48,
                rlim_max: 48,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &r) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let r = row(&cmd.output().expect("runs"));
    assert_eq!(r["status"], "exhausted", "{r}");
    assert!(
        r["reason"]
            .as_str()
            .unwrap()
            .contains("RLIMIT_NOFILE hard limit 48"),
        "{r}"
    );
}

#[test]
fn a_bad_lines_value_is_one_line_and_exit_2() {
    let o = Command::new(env!("CARGO_BIN_EXE_harness"))
        .args(["run", "--strategy", "threads", "--lines", "carrier-pigeon"])
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("sim, tcp"), "{err}");
}
