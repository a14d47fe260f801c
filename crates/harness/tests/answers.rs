//! `harness answers` on a small hand-made compare folder (fixture rows and their claims, an
//! `env.json`): the section goes between README's markers with links relative to the README's
//! own folder, the answers follow the claims, and bad input (no folder, no markers) is exit 2
//! with nothing written; `harness index` rewrites a base folder's listing from what is left.

use analysis::claims;
use lab::discover::Strategy;
use lab::plan::claims::comparisons;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use workload::{Arrangement, Scenario};

fn tmpdir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("secretary-answers-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("tmp dir");
    d
}

fn answers(args: &[&Path], flags: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_harness"));
    c.arg("answers");
    for (f, p) in flags.iter().zip(args) {
        c.arg(f).arg(p);
    }
    c.output().expect("runs")
}

/// A compare folder: the baseline and one switcher on office, 7 runs each, the switcher's
/// waits a tenth of the baseline's — one interleaving claim.
fn compare(base: &Path) -> PathBuf {
    let dir = base.join("results").join("run");
    std::fs::create_dir_all(&dir).expect("folder");
    let strategies = [
        ("base", Arrangement::SEQUENTIAL),
        ("switcher", Arrangement::one_cooperative(Some(10))),
    ]
    .map(|(n, a)| Strategy {
        name: n.into(),
        bin: format!("/nowhere/strategy-{n}").into(),
        arrangement: Some(a),
    });
    let template = lab::fixtures::sample_results().rows[0].clone();
    let rows: Vec<lab::row::Row> = strategies
        .iter()
        .map(|s| {
            let mut r = template.clone();
            r.strategy = s.name.clone();
            r.arrangement = s.arrangement;
            r.scenario = "office".into();
            r.preset = Some(Scenario::Office);
            r.cores = 1;
            r.runs = 7;
            let m = if s.name == "base" { 5_000.0 } else { 500.0 };
            r.per_run = [(
                "wait_all_us.mean".to_owned(),
                (0..7).map(|i| m + i as f64).collect::<Vec<f64>>(),
            )]
            .into_iter()
            .collect();
            r
        })
        .collect();
    let plan = comparisons(Scenario::Office, &strategies, &[1]);
    let c = claims::test(&plan, &rows);
    let doc = serde_json::json!({"protocol": 1, "env": {}, "interrupted": false, "verdict": [],
        "findings": [], "claims": c, "rows": rows});
    std::fs::write(dir.join("summary.json"), doc.to_string()).expect("summary.json");
    std::fs::write(
        dir.join("env.json"),
        r#"{"git_commit_built": "abcdef0123456789", "date_utc": "2026-12-07T10:00:00Z", "cpu_model": "Test", "logical_cores": 2}"#,
    )
    .expect("env.json");
    dir
}

#[test]
fn the_answers_go_between_the_markers_with_links_from_the_readme() {
    let base = tmpdir("ok");
    let run = compare(&base);
    std::fs::create_dir_all(base.join("docs")).expect("docs");
    let readme = base.join("docs").join("answers.md");
    std::fs::write(
        &readme,
        "# A\n<!-- answers:begin -->\nold\n<!-- answers:end -->\ntail\n",
    )
    .expect("readme");
    let out = answers(&[&run, &readme], &["--compare", "--readme"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let text = std::fs::read_to_string(&readme).expect("readme");
    assert!(!text.contains("old"), "{text}");
    assert!(text.ends_with("<!-- answers:end -->\ntail\n"), "{text}");
    assert!(
        text.contains("[compare](../results/run/summary.md)"),
        "{text}"
    );
    assert!(text.contains("commit `abcdef0123`"), "{text}");
    assert!(
        text.contains("**1. When does interleaving on one core help?** Yes on office"),
        "{text}"
    );
    assert!(text.contains("yes for 1 of 1"), "{text}");
    let _ = std::fs::remove_dir_all(&base);
}

#[test]
fn bad_input_is_exit_2_and_nothing_written() {
    let base = tmpdir("bad");
    let run = compare(&base);
    let missing = base.join("nowhere");
    let out = answers(&[&missing], &["--compare"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("error: invalid --compare"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    let readme = base.join("README.md");
    std::fs::write(&readme, "# R\n<!-- answers:begin -->\n").expect("readme");
    let out = answers(&[&run, &readme], &["--compare", "--readme"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(
        std::fs::read_to_string(&readme).expect("readme"),
        "# R\n<!-- answers:begin -->\n"
    );
    let _ = std::fs::remove_dir_all(&base);
}

#[test]
fn index_rewrites_the_listing_from_the_folders_left() {
    let base = tmpdir("index");
    let run = compare(&base);
    let results = run.parent().expect("base").to_path_buf();
    std::fs::write(results.join("README.md"), "stale: lists a pruned run\n").expect("readme");
    let out = Command::new(env!("CARGO_BIN_EXE_harness"))
        .arg("index")
        .arg(&results)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(results.join("README.md")).expect("index");
    assert!(!text.contains("stale"), "{text}");
    assert!(
        text.contains("| run | – | 2026-12-07T10:00:00Z |"),
        "{text}"
    );
    assert_eq!(
        std::fs::read_link(results.join("latest")).expect("latest"),
        Path::new("run")
    );
    // A folder with no results folder in it: one line, exit 2.
    let empty = base.join("empty");
    std::fs::create_dir_all(&empty).expect("empty");
    let out = Command::new(env!("CARGO_BIN_EXE_harness"))
        .arg("index")
        .arg(&empty)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("error: invalid folder"), "{err}");
    let _ = std::fs::remove_dir_all(&base);
}
