//! `harness replicate OLD NEW` on small hand-made results folders (a `summary.json` of
//! serialized claims and verdicts, an `env.json`): exit 0 when NEW repeats OLD, 1 on a
//! contradicted claim or a verdict flipped yes ↔ no, 2 on bad input with nothing written;
//! `--out` and `--readme` get the markdown.

use analysis::claims::{Claim, Claims, Control, Outcome};
use analysis::verdict::{Answer, Call, Verdict};
use lab::plan::claims::{CellRef, Comparison, Question};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn harness() -> Command {
    Command::new(env!("CARGO_BIN_EXE_harness"))
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn tmpdir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("secretary-replicate-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("tmp dir");
    d
}

/// `strategy` on 1 core against 2 in `office`, with `outcome`.
fn claim(strategy: &str, outcome: Outcome, ratio: f64) -> Claim {
    let cell = |cores| CellRef {
        strategy: strategy.to_owned(),
        cores,
        twin: false,
    };
    Claim {
        comparison: Comparison {
            id: format!("office/second-core/{strategy}@1c/{strategy}@2c/wait_all_us.mean"),
            scenario: "office".to_owned(),
            question: Question::SecondCore,
            a: cell(1),
            b: cell(2),
            figure: "wait_all_us.mean".to_owned(),
        },
        a_runs: vec![100.0; 7],
        b_runs: vec![100.0 * ratio; 7],
        p: Some(0.000_58),
        threshold: Some(0.001),
        side: None,
        ratio: Some(ratio),
        shift: Some(100.0 * (ratio - 1.0)),
        floor: 10.0,
        outcome,
    }
}

fn verdict(second_core: Call) -> Verdict {
    let a = |call| Answer {
        call,
        text: "from the claims".to_owned(),
    };
    Verdict {
        scenario: "office".to_owned(),
        preset: None,
        runs: 7,
        interleaving: a(Call::Yes),
        second_core: a(second_core),
        best: "threads, 2 cores".to_owned(),
        why: "two workers".to_owned(),
        purpose: a(Call::Yes),
    }
}

/// A results folder `name` under `base` with `claims` (none: a folder written before claims).
fn folder(base: &Path, name: &str, claims: Option<Vec<Claim>>, second_core: Call) -> PathBuf {
    let dir = base.join(name);
    std::fs::create_dir_all(&dir).expect("folder");
    let mut doc = serde_json::json!({
        "protocol": 1,
        "env": {},
        "interrupted": false,
        "verdict": [verdict(second_core)],
        "findings": [],
        "rows": [],
    });
    if let Some(claims) = claims {
        let claims = Claims {
            rule: None,
            claims,
            controls: vec![Control {
                id: "office/control-a-a/sequential@1c/sequential@1c-twin/wait_all_us.mean"
                    .to_owned(),
                scenario: "office".to_owned(),
                question: Question::ControlAa,
                passed: true,
                tested: true,
                withholds: "every claim of the scenario".to_owned(),
            }],
        };
        doc["claims"] = serde_json::to_value(&claims).expect("claims serialize");
    }
    std::fs::write(dir.join("summary.json"), doc.to_string()).expect("summary.json");
    std::fs::write(
        dir.join("env.json"),
        r#"{"git_commit_built": "abcdef0123456789", "ns_per_unit": 640.0}"#,
    )
    .expect("env.json");
    dir
}

fn replicate(old: &Path, new: &Path, extra: &[&str]) -> Output {
    harness()
        .arg("replicate")
        .arg(old)
        .arg(new)
        .args(extra)
        .output()
        .expect("runs")
}

#[test]
fn a_run_that_repeats_every_claim_exits_0_and_writes_out_and_readme() {
    let base = tmpdir("repeat");
    let both = || {
        vec![
            claim("threads", Outcome::Lower, 0.5),
            claim("rayon", Outcome::Lower, 0.6),
        ]
    };
    let old = folder(&base, "old", Some(both()), Call::Yes);
    let mut new_claims = both();
    new_claims.push(claim("tokio-mt", Outcome::Lower, 0.7));
    let new = folder(&base, "new", Some(new_claims), Call::Yes);
    let readme = base.join("README.md");
    std::fs::write(
        &readme,
        "# R\n\n<!-- replicate:begin -->\nold text\n<!-- replicate:end -->\ntail\n",
    )
    .expect("readme");
    let out = base.join("replication.md");
    let o = replicate(
        &old,
        &new,
        &[
            "--out",
            out.to_str().expect("utf-8"),
            "--readme",
            readme.to_str().expect("utf-8"),
        ],
    );
    let (stdout, stderr) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(
        stdout.contains(
            "Of OLD's 2 claims, 2 repeated (100.0 %), 0 contradicted, 0 not repeated; NEW made 1 claim OLD did not."
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("| Commit | `abcdef0123` | `abcdef0123` |"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read_to_string(&out).expect("--out written"),
        stdout
    );
    let readme = std::fs::read_to_string(&readme).expect("readme");
    assert!(!readme.contains("old text"), "{readme}");
    assert!(readme.contains("### OLD's claims"), "{readme}");
    assert!(
        readme.ends_with("<!-- replicate:end -->\ntail\n"),
        "{readme}"
    );
    let _ = std::fs::remove_dir_all(&base);
}

#[test]
fn a_contradicted_claim_exits_1() {
    let base = tmpdir("contradict");
    let old = folder(
        &base,
        "old",
        Some(vec![claim("threads", Outcome::Lower, 0.5)]),
        Call::Yes,
    );
    let new = folder(
        &base,
        "new",
        Some(vec![claim("threads", Outcome::Higher, 1.5)]),
        Call::Yes,
    );
    let o = replicate(&old, &new, &[]);
    let (stdout, stderr) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stdout.contains("| **contradicted** |"), "{stdout}");
    assert!(
        stderr.contains("not replicated: 1 of OLD's claims contradicted"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&base);
}

#[test]
fn a_verdict_flipped_yes_to_no_exits_1() {
    let base = tmpdir("flip");
    let claims = || Some(vec![claim("threads", Outcome::Lower, 0.5)]);
    let old = folder(&base, "old", claims(), Call::Yes);
    let new = folder(&base, "new", claims(), Call::No);
    let o = replicate(&old, &new, &[]);
    let (stdout, stderr) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("| office | second core | yes | no | **flipped** |"),
        "{stdout}"
    );
    assert!(
        stderr.contains("1 verdict answer flipped yes ↔ no"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&base);
}

#[test]
fn bad_input_is_one_line_exit_2_and_nothing_written() {
    let base = tmpdir("bad");
    let claims = || Some(vec![claim("threads", Outcome::Lower, 0.5)]);
    let good = folder(&base, "good", claims(), Call::Yes);
    let before = folder(&base, "before-claims", None, Call::Yes);
    let garbled = base.join("garbled");
    std::fs::create_dir_all(&garbled).expect("folder");
    std::fs::write(garbled.join("summary.json"), "{ not json").expect("write");
    let empty = base.join("empty");
    std::fs::create_dir_all(&empty).expect("folder");
    let out = base.join("replication.md");
    let out_arg = out.to_str().expect("utf-8").to_owned();

    let cases: Vec<(PathBuf, Vec<String>, String)> = vec![
        (base.join("nowhere"), vec![], "no such folder".to_owned()),
        (
            before.clone(),
            vec![],
            format!(
                "error: {}/summary.json has no claims (written before claims were recorded; rerun harness compare)",
                before.display()
            ),
        ),
        (garbled.clone(), vec![], "not JSON".to_owned()),
        (empty.clone(), vec![], "cannot read".to_owned()),
        (
            good.clone(),
            vec![
                "--readme".to_owned(),
                base.join("nope.md").display().to_string(),
            ],
            "invalid --readme".to_owned(),
        ),
    ];
    for (old, extra, want) in cases {
        let mut args = extra.clone();
        args.extend(["--out".to_owned(), out_arg.clone()]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = replicate(&old, &good, &args);
        let (stdout, stderr) = text(&o);
        assert_eq!(o.status.code(), Some(2), "{}: {stderr}", old.display());
        assert!(stderr.contains(&want), "{}: {stderr}", old.display());
        assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
        assert!(stdout.is_empty(), "{stdout}");
        assert!(!out.exists(), "--out written on bad input");
    }

    // README without the markers: exit 2, neither file touched.
    let readme = base.join("README.md");
    std::fs::write(&readme, "# R\n<!-- replicate:begin -->\n").expect("readme");
    let o = replicate(
        &good,
        &good,
        &[
            "--readme",
            readme.to_str().expect("utf-8"),
            "--out",
            &out_arg,
        ],
    );
    let (_, stderr) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("no <!-- replicate:end --> marker"),
        "{stderr}"
    );
    assert!(!out.exists(), "--out written on bad input");
    assert_eq!(
        std::fs::read_to_string(&readme).expect("readme"),
        "# R\n<!-- replicate:begin -->\n"
    );
    let _ = std::fs::remove_dir_all(&base);
}
