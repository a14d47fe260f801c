//! End-to-end tests of `harness memory`: bad input (one line naming the valid choices, exit
//! code 2, nothing written), and a tiny run whose largest level passes a small memory limit —
//! the switchboard's exhausted path through the memory guard: an `exhausted` level with the
//! limit in its reason, the strategy stopped there, the folder written.

use std::path::PathBuf;
use std::process::Command;

fn harness() -> Command {
    Command::new(env!("CARGO_BIN_EXE_harness"))
}

fn tmpdir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("secretary-test-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

#[test]
fn bad_input_is_one_line_naming_the_choices_and_writes_nothing() {
    let out = tmpdir("memory-bad");
    for (args, needles) in [
        (
            vec!["--in-flight", "abc"],
            vec!["--in-flight 'abc'", "1000,10000,100000,1000000"],
        ),
        (
            vec!["--in-flight", "100M"],
            vec!["--in-flight 100000000", "--call-s"],
        ),
        (
            vec!["--strategies", "nope"],
            vec!["unknown strategy 'nope'", "valid: ", "tokio"],
        ),
        (vec!["--call-s", "0"], vec!["--call-s 0", "(0, 600]"]),
        (
            vec!["--mem-limit-mib", "1"],
            vec!["--mem-limit-mib 1", "at least"],
        ),
        (vec!["--quick", "--levels", "1"], vec!["--levels"]),
    ] {
        let o = harness()
            .arg("memory")
            .args(&args)
            .arg("--out")
            .arg(&out)
            .output()
            .expect("runs");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(
            err.trim().lines().count(),
            1,
            "{args:?}: one line, got {err}"
        );
        for n in needles {
            assert!(err.contains(n), "{args:?}: {n:?} not in {err}");
        }
    }
    assert!(!out.exists(), "nothing written on bad input");
}

#[test]
fn a_level_past_the_memory_limit_is_exhausted_and_the_strategy_stops_there() {
    let out = tmpdir("memory-guard");
    // 300,000 calls in flight (300k calls/s for 1 s) cannot fit in 24 MiB; 500 can.
    let o = harness()
        .args(["memory", "--strategies", "event-loop,sequential"])
        .args(["--in-flight", "500,300k,1M", "--call-s", "1"])
        .args(["--mem-limit-mib", "24", "--timeout", "60"])
        .arg("--out")
        .arg(&out)
        .output()
        .expect("runs");
    let (stdout, err) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    assert!(o.status.success(), "{err}");
    let dir = out.join("latest");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("memory.json")).unwrap()).unwrap();
    let strategies = doc["strategies"].as_array().unwrap();
    let el = &strategies[0];
    assert_eq!(el["strategy"], "event-loop");
    assert_eq!(el["held_up_to"], 500);
    assert_eq!(el["limit"]["in_flight"], 300_000);
    assert_eq!(el["limit"]["status"], "exhausted");
    let why = el["limit"]["reason"].as_str().unwrap();
    assert!(why.contains("memory limit 24 MiB"), "{why}");
    let days = el["days"].as_array().unwrap();
    assert_eq!(days.len(), 2, "stopped at its limit: 1M never ran");
    // Caught past the limit (the guard reports whole MiB).
    assert!(days[1]["peak_rss_kib"].as_u64().unwrap() >= 24 * 1024);
    // The first level: every call held at once, measured and by the schedule.
    assert_eq!(days[0]["held"], true);
    assert_eq!(days[0]["peak_measured"], days[0]["peak_scheduled"]);
    // One waiting secretary holds one call: saturated at the first level, with the reason.
    let seq = &strategies[1];
    assert_eq!(seq["limit"]["in_flight"], 500);
    assert_eq!(seq["limit"]["status"], "saturated");
    assert_eq!(seq["days"][0]["peak_measured"], 1);
    // Files of every format, every day a row of summary.md, the table on the terminal.
    for f in [
        "memory.md",
        "memory.csv",
        "env.json",
        "summary.md",
        "index.html",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    let md = std::fs::read_to_string(dir.join("memory.md")).unwrap();
    assert!(
        md.contains("| event-loop |") && md.contains("memory limit 24 MiB"),
        "{md}"
    );
    let summary = std::fs::read_to_string(dir.join("summary.md")).unwrap();
    assert!(summary.contains("in-flight=300000") || summary.contains("in-flight-300000"));
    let csv = std::fs::read_to_string(dir.join("memory.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 3, "a header and one line per day");
    assert!(
        stdout.contains("event-loop") && stdout.contains("300,000"),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(&out);
}
