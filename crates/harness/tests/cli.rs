//! End-to-end tests of the `harness` binary: listing, a verified run on a tiny spec, bad input
//! (one line, exit code 2, nothing written), and a sweep where injected faulty strategies
//! (crash, hang, garbage, wrong digest, exhaustion) each become their own row while the real
//! strategy's row stays intact.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Tests that run strategies take turns: in parallel they would measure each other.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn harness() -> Command {
    Command::new(env!("CARGO_BIN_EXE_harness"))
}

/// The folder cargo put the workspace's binaries in (next to the harness).
fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_harness"))
        .parent()
        .expect("bin dir")
        .to_path_buf()
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn tmpdir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("secretary-test-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("tmp dir");
    d
}

#[test]
fn list_shows_strategies_and_scenarios() {
    let o = harness().arg("list").output().expect("runs");
    let (out, _) = text(&o);
    assert!(o.status.success());
    for s in [
        "sequential",
        "threads",
        "office",
        "call-center",
        "back-office",
        "rush-hour",
    ] {
        assert!(out.contains(s), "{s} missing from:\n{out}");
    }
    assert!(
        !out.contains("fault"),
        "test-only binaries must not be listed"
    );
}

const TINY: [&str; 8] = [
    "--duration",
    "0.3",
    "--calls-per-s",
    "100",
    "--listen-us",
    "1000",
    "--desk-work",
    "300",
];

#[test]
fn run_verifies_a_tiny_day_and_prints_json() {
    let _turn = serial();
    let o = harness()
        .args([
            "run",
            "--strategy",
            "threads",
            "--scenario",
            "office",
            "--cores",
            "1",
            "--json",
        ])
        .args(TINY)
        .output()
        .expect("runs");
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    let row: serde_json::Value = serde_json::from_str(out.trim()).expect("one JSON row");
    assert_eq!(row["digest_ok"], true);
    assert_eq!(row["strategy"], "threads");
    let (a, m, off) = (
        row["answered_calls"].as_u64(),
        row["missed_calls"].as_u64(),
        row["offered_calls"].as_u64(),
    );
    assert_eq!(a.unwrap() + m.unwrap(), off.unwrap());
    assert!(off.unwrap() > 0);
    for k in [
        "cpu_user_s",
        "cpu_sys_s",
        "max_rss_kib",
        "ctx_voluntary",
        "ctx_involuntary",
    ] {
        assert!(row[k].is_number(), "{k}");
    }
}

#[test]
fn capacity_searches_and_writes_its_folder() {
    let _turn = serial();
    let out = tmpdir("capacity");
    // 2,000 calls/s at 1×, short days: the search reaches threads' limit in a few days.
    let o = harness()
        .args([
            "capacity",
            "--quick",
            "--strategies",
            "threads",
            "--cores",
            "1",
            "--duration",
            "0.25",
            "--calls-per-s",
            "2000",
        ])
        .arg("--out")
        .arg(&out)
        .output()
        .expect("runs");
    let (stdout, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(stdout.contains("capacity on office"), "{stdout}");
    let dir = out.join("latest");
    for f in [
        "capacity.json",
        "capacity.csv",
        "capacity.md",
        "load-office.svg",
        "env.json",
    ] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    let cap: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("capacity.json")).expect("json"))
            .expect("parses");
    let search = &cap["scenarios"][0]["searches"][0];
    assert_eq!(search["strategy"], "threads");
    assert!(search["probes"].as_array().is_some_and(|p| !p.is_empty()));
    assert!(search["bracket"]["kind"].is_string(), "{search}");
    let desk = &cap["scenarios"][0]["desk"][0]["days"][0];
    assert!(desk["checks"].as_u64().unwrap_or(0) > 0, "{desk}");
    let env: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("env.json")).expect("env"))
            .expect("parses");
    assert!(
        env["scenario_units"]["office"]["desk_work"]
            .as_u64()
            .is_some(),
        "{env}"
    );
}

#[test]
fn primitives_measures_each_runtime_and_writes_its_folder() {
    let _turn = serial();
    let out = tmpdir("primitives");
    let o = harness()
        .args(["primitives", "--strategies", "threads,tokio", "--quick"])
        .arg("--out")
        .arg(&out)
        .output()
        .expect("runs");
    let (stdout, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(stdout.contains("| `threads` | OS thread | 1 |"), "{stdout}");
    let dir = out.join("latest");
    for f in [
        "primitives.json",
        "primitives.csv",
        "primitives.md",
        "env.json",
    ] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("primitives.json")).expect("json"))
            .expect("parses");
    let row = |name: &str| {
        doc["rows"]
            .as_array()
            .and_then(|rows| rows.iter().find(|r| r["strategy"] == name))
            .unwrap_or_else(|| panic!("no row for {name}: {doc}"))
            .clone()
    };
    let (threads, tokio) = (row("threads"), row("tokio"));
    let figure = |r: &serde_json::Value, p: &str, f: &str| {
        r["report"][p]["measured"][f]
            .as_f64()
            .unwrap_or_else(|| panic!("{p}.{f} missing: {r}"))
    };
    for r in [&threads, &tokio] {
        assert_eq!(r["status"], "ok", "{r}");
        assert_eq!(r["cores"], 1);
        assert!(figure(r, "spawn_join", "p50_ns") > 0.0, "{r}");
        assert!(figure(r, "round_trip", "p50_ns") > 0.0, "{r}");
        assert!(figure(r, "sleep_1ms", "n") > 0.0, "{r}");
    }
    // Generous: a thread costs more to start and to keep than a task, by far more than 2×.
    let ratio = |p: &str, f: &str| figure(&threads, p, f) / figure(&tokio, p, f);
    assert!(ratio("spawn_join", "p50_ns") > 2.0, "{doc}");
    assert!(ratio("idle_memory", "bytes_per_unit") > 2.0, "{doc}");
    let md = std::fs::read_to_string(dir.join("primitives.md")).expect("md");
    assert!(
        md.contains("https://github.com/jimblandy/context-switch")
            && md.contains("not measured here"),
        "{md}"
    );
}

#[test]
fn a_failed_primitives_binary_is_a_row_with_its_reason() {
    let _turn = serial();
    let dir = tmpdir("primitives-faults");
    for name in ["crash", "hang", "garbage"] {
        std::os::unix::fs::symlink(
            bin_dir().join("fault"),
            dir.join(format!("strategy-{name}")),
        )
        .expect("link");
    }
    std::os::unix::fs::symlink(
        bin_dir().join("strategy-sequential"),
        dir.join("strategy-sequential"),
    )
    .expect("link");
    let out = dir.join("results");
    let o = harness()
        .env("SECRETARY_BIN_DIR", &dir)
        .args(["primitives", "--quick", "--timeout", "3"])
        .arg("--out")
        .arg(&out)
        .output()
        .expect("runs");
    let (_, err) = text(&o);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a failed row must make it exit 1:\n{err}"
    );
    let doc: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("latest").join("primitives.json")).expect("json"),
    )
    .expect("parses");
    let status = |name: &str| {
        doc["rows"]
            .as_array()
            .and_then(|rows| rows.iter().find(|r| r["strategy"] == name))
            .map(|r| r["status"].as_str().unwrap_or("?").to_owned())
            .unwrap_or_else(|| panic!("no row for {name}: {doc}"))
    };
    assert_eq!(status("crash"), "crashed");
    assert_eq!(status("hang"), "timeout");
    assert_eq!(status("garbage"), "crashed");
    assert_eq!(status("sequential"), "ok");
    let md = std::fs::read_to_string(out.join("latest").join("primitives.md")).expect("md");
    assert!(
        md.contains("| `crash` | **crashed**: killed by signal"),
        "{md}"
    );
    assert!(
        md.contains("| `hang` | **timeout**: no report within 3 s"),
        "{md}"
    );
    assert!(
        md.contains("| `garbage` | **crashed**: unreadable report"),
        "{md}"
    );
    assert!(
        md.contains("`sequential`, spawn + join: one secretary"),
        "{md}"
    );
}

/// CPU per wall second of the threads secretary on a day that keeps at least two threads
/// busy whatever it is told (a desk thread with ~0.9 core of checks, call threads with ~1.2
/// cores of replies; callers patient enough that no work is skipped), pinned to `cores` CPUs.
/// The work is sized in µs of CPU at this machine's calibration (a fixed number of units was
/// ~1.3 cores on a VM that ran a unit in 635 ns instead of ~1,000: too little to show pinning).
fn busy_day_cpu_per_wall(cores: &str) -> f64 {
    let ns = workload::work::calibrate_ns_per_unit();
    let units = |us: f64| format!("{:.0}", us * 1_000.0 / ns);
    let o = harness()
        .args(["run", "--strategy", "threads", "--scenario", "office"])
        .args(["--cores", cores, "--json", "--duration", "0.5"])
        .args([
            "--appointments-per-s",
            "100",
            "--desk-work",
            &units(9_000.0),
        ])
        .args(["--calls-per-s", "400", "--reply-work", &units(1_000.0)])
        .args(["--patience-us", "60000000", "--timeout", "60"])
        .output()
        .expect("runs");
    let (out, err) = text(&o);
    let row: serde_json::Value = serde_json::from_str(out.trim()).unwrap_or_else(|_| {
        panic!("no JSON row: {err}");
    });
    row["cpu_per_wall"].as_f64().expect("cpu_per_wall")
}

#[test]
fn pinning_holds_in_both_directions() {
    let _turn = serial();
    // A day that keeps two threads busy: pinned to one CPU it cannot use more than one...
    let one = busy_day_cpu_per_wall("1");
    assert!(one <= 1.05, "pinned to 1 CPU but used {one:.2} cores");
    // ...and given two, it uses both (fails if the pinning kept it on one).
    // (The machine is shared: other processes can take CPU from us for a while, so the best of
    // three tries counts, and the bar is 1.2 cores — above the 1.05 one CPU allows, below what a
    // neighbour busy on one CPU leaves: tries read 0.97–1.45 beside a running soak. Broken
    // pinning fails all three.)
    if lab::runner::allowed_cpus().len() >= 2 {
        let mut tries = Vec::new();
        while tries.len() < 3 && tries.iter().all(|&x| x <= 1.2) {
            tries.push(busy_day_cpu_per_wall("2"));
        }
        assert!(
            tries.iter().any(|&x| x > 1.2),
            "given 2 CPUs it used only {tries:.2?} cores"
        );
    }
}

#[test]
fn sequential_misses_calls_on_office_without_failing() {
    let _turn = serial();
    let o = harness()
        .args([
            "run",
            "--strategy",
            "sequential",
            "--scenario",
            "office",
            "--json",
            "--duration",
            "0.5",
        ])
        .output()
        .expect("runs");
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    let row: serde_json::Value = serde_json::from_str(out.trim()).expect("json");
    assert_eq!(row["digest_ok"], true);
    assert!(row["missed_calls"].as_u64().unwrap() > 0, "{row}");
    // Saturated by design; `invalid` if this shared machine was too busy to keep its timers.
    assert!(
        ["saturated", "invalid"].contains(&row["status"].as_str().unwrap()),
        "{row}"
    );
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    let out = tmpdir("bad");
    let cases: &[&[&str]] = &[
        &["run", "--strategy", "nosuch"],
        &["run", "--strategy", "threads", "--scenario", "nosuch"],
        &["run", "--strategy", "threads", "--cores", "999"],
        &["run", "--strategy", "threads", "--chunk", "0"],
        &["run", "--strategy", "threads", "--chunk", "-5"],
        &["run", "--strategy", "threads", "--duration", "-1"],
        &[
            "run",
            "--strategy",
            "threads",
            "--appointment-arrivals",
            "sometimes",
        ],
        &["run", "--strategy", "threads", "--calls-per-s", "NaN"],
        &["compare", "--strategies", "threads,nosuch"],
        &["compare", "--sweep", "colour=1,2"],
        &["compare", "--runs", "0"],
        &["compare", "--frobnicate"],
        &["capacity", "--strategies", "nosuch"],
        &["capacity", "--cores", "999"],
        &["capacity", "--scenario", "beach"],
        &["capacity", "--calls-per-s", "0"],
        &["primitives", "--strategies", "threads,nosuch"],
        &["primitives", "--cores", "999"],
        &["primitives", "--timeout", "0"],
        &["soak", "--minutes", "0"],
        &["soak", "--strategies", "threads,nosuch"],
        &["soak", "--cores", "999"],
        &["soak", "--readme", "/nonexistent/soak.md"],
        &["primitives", "--readme", "/nonexistent/primitives.md"],
        &["nosuchcommand"],
    ];
    for args in cases {
        let o = harness().args(*args).arg("--out").arg(&out).output();
        // `run` has no --out: retry without it so the error is about the real problem.
        let o = match o {
            Ok(o) if text(&o).1.contains("--out") => harness().args(*args).output().expect("runs"),
            o => o.expect("runs"),
        };
        let (_, err) = text(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(
            err.trim().lines().count(),
            1,
            "{args:?} printed more than one line:\n{err}"
        );
        assert!(err.starts_with("error: "), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    let e = text(
        &harness()
            .args(["run", "--strategy", "nosuch"])
            .output()
            .expect("runs"),
    )
    .1;
    assert!(e.contains("valid:") && e.contains("threads"), "{e}");
    let e = text(
        &harness()
            .args(["run", "--strategy", "threads", "--scenario", "x"])
            .output()
            .expect("runs"),
    )
    .1;
    assert!(e.contains("office") && e.contains("rush-hour"), "{e}");
    let e = text(
        &harness()
            .args(["run", "--strategy", "threads", "--chunk", "0"])
            .output()
            .expect("runs"),
    )
    .1;
    assert!(e.contains("chunk") && e.contains("1..="), "{e}");
    assert_eq!(
        std::fs::read_dir(&out).expect("dir").count(),
        0,
        "bad input wrote files"
    );
}

/// A strategy folder with `threads` and the named faults (links to the `fault` binary), and a
/// one-cell-per-strategy compare over it writing into `<folder>/results`.
fn faulty_compare(tag: &str, faults: &[&str], timeout_s: &str) -> (Command, PathBuf) {
    let dir = tmpdir(tag);
    for name in faults {
        std::os::unix::fs::symlink(
            bin_dir().join("fault"),
            dir.join(format!("strategy-{name}")),
        )
        .expect("link");
    }
    std::os::unix::fs::symlink(
        bin_dir().join("strategy-threads"),
        dir.join("strategy-threads"),
    )
    .expect("link");
    let out = dir.join("results");
    let mut cmd = harness();
    cmd.env("SECRETARY_BIN_DIR", &dir)
        .args([
            "compare",
            "--scenarios",
            "office",
            "--cores",
            "1",
            "--runs",
            "1",
        ])
        .args(["--no-timelines", "--no-sweep", "--timeout", timeout_s])
        .args(["--mem-limit-mib", "256"])
        .args(TINY)
        .arg("--out")
        .arg(&out);
    (cmd, out)
}

#[test]
fn faulty_strategies_become_rows_and_the_sweep_goes_on() {
    let _turn = serial();
    let faults = [
        "crash",
        "hang",
        "garbage",
        "wrong",
        "exhausted",
        "hog",
        "undeclared",
        "segv",
    ];
    let (mut cmd, out) = faulty_compare("faults", &faults, "3");
    let o = cmd.output().expect("runs");
    let (_, err) = text(&o);
    assert_eq!(
        o.status.code(),
        Some(1),
        "failed rows must make compare exit 1:\n{err}"
    );
    let summary = std::fs::read_to_string(out.join("latest").join("summary.json"))
        .expect("summary.json written");
    let doc: serde_json::Value = serde_json::from_str(&summary).expect("json");
    let rows = doc["rows"].as_array().expect("rows");
    let status = |s: &str| {
        rows.iter()
            .find(|r| r["strategy"] == s)
            .unwrap_or_else(|| panic!("no row for {s}"))["status"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(status("crash"), "crashed");
    assert_eq!(status("hang"), "timeout");
    assert_eq!(status("garbage"), "crashed");
    assert_eq!(status("wrong"), "wrong");
    assert_eq!(status("exhausted"), "exhausted");
    // The memory guard stopped the hog: a row that says so, not a machine out of memory.
    assert_eq!(status("hog"), "exhausted");
    let hog = rows.iter().find(|r| r["strategy"] == "hog").unwrap();
    assert!(
        hog["reason"]
            .as_str()
            .unwrap()
            .contains("memory limit 256 MiB"),
        "{hog}"
    );
    // A strategy that declares nothing still runs and verifies; its arrangement is unknown.
    assert!(["ok", "saturated", "invalid"].contains(&status("undeclared").as_str()));
    let undeclared = rows.iter().find(|r| r["strategy"] == "undeclared").unwrap();
    assert!(undeclared["arrangement"].is_null(), "{undeclared}");
    let threads = rows.iter().find(|r| r["strategy"] == "threads").unwrap();
    assert_eq!(threads["arrangement"]["workers"], "per-call");
    // The real strategy's row is intact: verified, not a failure (on a busy test machine it
    // may be marked saturated or invalid, which are measurements, not failures).
    assert!(
        ["ok", "saturated", "invalid"].contains(&status("threads").as_str()),
        "{}",
        status("threads")
    );
    let crash = rows.iter().find(|r| r["strategy"] == "crash").unwrap();
    let reason = crash["reason"].as_str().unwrap();
    assert!(
        reason.contains("SIGABRT") && reason.contains("crashing on purpose"),
        "{reason}"
    );
    // A fault inside the process names itself: the signal, the address, the thread, and the
    // function and line that faulted, first in a backtrace through its callers.
    assert_eq!(status("segv"), "crashed");
    let segv = rows.iter().find(|r| r["strategy"] == "segv").unwrap();
    let reason = segv["reason"].as_str().unwrap();
    assert!(
        reason.contains("SIGSEGV")
            && reason.contains("fatal SIGSEGV at address 0x10 in thread 'call' (tid ")
            && reason.contains("; backtrace: ")
            && reason.contains("fault::read_nowhere (crates/harness/src/bin/fault.rs:")
            && reason.contains(" ← "),
        "{reason}"
    );
    let wrong = rows.iter().find(|r| r["strategy"] == "wrong").unwrap();
    assert_eq!(wrong["digest_ok"], false);
    assert!(wrong["reason"].as_str().unwrap().contains("digest"));
    let threads = rows.iter().find(|r| r["strategy"] == "threads").unwrap();
    assert_eq!(threads["digest_ok"], true);
    // Every file of the folder is there.
    for f in ["env.json", "summary.md", "summary.csv", "summary.json"] {
        assert!(out.join("latest").join(f).is_file(), "{f} missing");
    }
    assert!(out.join("README.md").is_file());
}

#[test]
fn list_json_shows_each_declared_arrangement_or_undeclared() {
    let dir = tmpdir("list-json");
    for (link, target) in [
        ("strategy-undeclared", bin_dir().join("fault")),
        ("strategy-hang", bin_dir().join("fault")),
        ("strategy-threads", bin_dir().join("strategy-threads")),
        ("strategy-async-std", bin_dir().join("strategy-async-std")),
    ] {
        std::os::unix::fs::symlink(target, dir.join(link)).expect("link");
    }
    let o = harness()
        .env("SECRETARY_BIN_DIR", &dir)
        .args(["list", "--json"])
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", text(&o).1);
    let v: serde_json::Value = serde_json::from_str(&text(&o).0).expect("json");
    let find = |n: &str| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == n)
            .unwrap_or_else(|| panic!("{n} not listed: {v}"))
            .clone()
    };
    let a = find("async-std");
    assert_eq!(a["arrangement"]["switching"], "cooperative");
    assert_eq!(a["arrangement"]["timer_check_polls"], 200);
    assert_eq!(find("threads")["arrangement"]["switching"], "preemptive");
    for n in ["undeclared", "hang"] {
        assert!(find(n)["arrangement"].is_null());
        assert_eq!(find(n)["arrangement_text"], "undeclared");
    }
    let o = harness()
        .env("SECRETARY_BIN_DIR", &dir)
        .arg("list")
        .output()
        .expect("runs");
    assert!(text(&o).0.contains("undeclared"));
}

#[test]
fn ctrl_c_stops_the_sweep_and_leaves_a_consistent_folder() {
    let _turn = serial();
    let (mut cmd, out) = faulty_compare("sigint", &["hang"], "60");
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("starts");
    // threads runs first (known strategies come first), then hang blocks until interrupted:
    // interrupt once the progress line of threads' run is out (not after a fixed sleep, which
    // a busy machine or a longer calibration outruns).
    let summary = out.join("latest").join("summary.json");
    let (lines, progress) = std::sync::mpsc::channel::<String>();
    let stderr = child.stderr.take().expect("piped");
    let reader = std::thread::spawn(move || {
        use std::io::BufRead;
        let mut all = String::new();
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            all.push_str(&line);
            all.push('\n');
            let _ = lines.send(line);
        }
        all
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while let Ok(line) = progress.recv_timeout(deadline - std::time::Instant::now()) {
        if line.contains(" threads ") && line.contains("run 1:") {
            break;
        }
    }
    // SAFETY: sending SIGINT to our own child process.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let started = std::time::Instant::now();
    let o = child.wait_with_output().expect("waits");
    let err = reader.join().expect("reader");
    assert!(
        started.elapsed().as_secs() < 20,
        "Ctrl-C did not stop the sweep promptly"
    );
    assert_eq!(o.status.code(), Some(130), "{err}");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&summary).expect("summary")).expect("json");
    assert_eq!(doc["interrupted"], true);
    let rows = doc["rows"].as_array().expect("rows");
    assert!(
        rows.iter().all(|r| r["strategy"] != "hang"),
        "the interrupted run must not become a row"
    );
    assert!(
        rows.iter()
            .any(|r| r["strategy"] == "threads" && r["digest_ok"] == true)
    );
    // No staging folder left behind.
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .expect("dir")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn a_pick_up_before_the_ring_is_a_wrong_row_that_names_the_call() {
    let _turn = serial();
    let (mut cmd, out) = faulty_compare("early", &["early"], "5");
    let o = cmd.output().expect("runs");
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "a wrong row must fail:\n{err}");
    let doc: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("latest").join("summary.json")).expect("summary"),
    )
    .expect("json");
    let rows = doc["rows"].as_array().expect("rows");
    let early = rows
        .iter()
        .find(|r| r["strategy"] == "early")
        .expect("a row for early");
    assert_eq!(early["status"], "wrong", "{early}");
    // Its values are right: the early pick-ups alone make it wrong, and the reason says which.
    assert_eq!(early["digest_ok"], true, "{early}");
    let reason = early["reason"].as_str().expect("a reason");
    let named = reason
        .split("call ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .is_some_and(|id| id.parse::<u32>().is_ok());
    assert!(
        reason.contains("picked up before it rang") && named,
        "{reason}"
    );
}

/// `env.json` of a compare's folder.
fn env_of(folder: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(folder.join("env.json")).expect("env.json"))
        .expect("json")
}

#[test]
fn units_from_an_earlier_compare_gives_the_same_work_units() {
    let _turn = serial();
    let (mut first, out) = faulty_compare("units-first", &[], "20");
    let o = first.output().expect("runs");
    assert!(o.status.success(), "{}", text(&o).1);
    let earlier = out.join("latest");
    let (mut again, out2) = faulty_compare("units-again", &[], "20");
    let o = again
        .arg("--units-from")
        .arg(&earlier)
        .output()
        .expect("runs");
    let (_, err) = text(&o);
    assert!(o.status.success(), "{err}");
    let (old, new) = (env_of(&earlier), env_of(&out2.join("latest")));
    assert_eq!(new["scenario_units"], old["scenario_units"]);
    assert!(new["scenario_units"]["office"].is_object(), "{new}");
    assert_eq!(new["ns_per_unit"], old["ns_per_unit"]);
    assert_eq!(new["units_from"], earlier.display().to_string());
    assert!(old["units_from"].is_null(), "{old}");
    assert!(new["placement"].as_str().unwrap().contains("rotated by r"));
    // The machine's noise over the compare, calibrated now (not the earlier units' figure).
    let noise = &new["noise"];
    for k in [
        "calibration_start_ns_per_unit",
        "calibration_end_ns_per_unit",
        "calibration_drift",
        "wall_s",
    ] {
        assert!(noise[k].as_f64().is_some(), "{k}: {noise}");
    }
    assert!(noise["children_involuntary_switches"].is_u64(), "{noise}");
    assert!(
        err.lines()
            .any(|l| l.starts_with("noise: calibration ") && l.contains("involuntary switches")),
        "{err}"
    );
}

#[test]
fn units_from_without_an_earlier_compare_is_one_line_and_exit_2() {
    let dir = tmpdir("units-bad");
    let no_env = dir.join("empty");
    let no_key = dir.join("no-key");
    std::fs::create_dir_all(&no_env).expect("dir");
    std::fs::create_dir_all(&no_key).expect("dir");
    std::fs::write(no_key.join("env.json"), r#"{"host": "vm"}"#).expect("write");
    let out = dir.join("results");
    for (from, why) in [
        (dir.join("nosuch"), "no such folder"),
        (no_env, "env.json"),
        (no_key, "ns_per_unit"),
    ] {
        let o = harness()
            .args(["compare", "--units-from"])
            .arg(&from)
            .arg("--out")
            .arg(&out)
            .output()
            .expect("runs");
        let (_, err) = text(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(
            err.starts_with("error: invalid --units-from") && err.contains(why),
            "{err}"
        );
    }
    assert!(!out.exists(), "bad input wrote files");
}

#[test]
fn a_soak_writes_its_figures_between_the_markers_of_its_readme() {
    let _serial = serial();
    let dir = tmpdir("soak-readme");
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    let readme = docs.join("soak.md");
    std::fs::write(
        &readme,
        "# Soak\n\n<!-- soak:begin -->\nold\n<!-- soak:end -->\ntail\n",
    )
    .unwrap();
    let o = harness()
        .args([
            "soak",
            "--minutes",
            "0.01",
            "--strategies",
            "sequential",
            "--cores",
            "1",
        ])
        .arg("--out")
        .arg(dir.join("results/soak"))
        .arg("--readme")
        .arg(&readme)
        .output()
        .expect("runs");
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}\n{err}");
    let text = std::fs::read_to_string(&readme).unwrap();
    assert!(
        !text.contains("old") && text.ends_with("<!-- soak:end -->\ntail\n"),
        "{text}"
    );
    // The link is relative to docs/, the figures are the run's own.
    assert!(text.contains("](../results/soak/"), "{text}");
    assert!(text.contains("0 crashed, 0 timed out, 0 wrong"), "{text}");
    assert!(
        text.contains("Strategies sequential; days rush-hour"),
        "{text}"
    );
    assert!(text.contains("cores 1.\n"), "{text}");
    // However far the short soak got: a rate where real-line days were judged, else none.
    assert!(
        text.contains("- The liar rule: its measured false-positive rate is 0 in ")
            || text.contains("- The liar rule: no real-line day was judged"),
        "{text}"
    );
}
