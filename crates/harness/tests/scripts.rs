//! The scripts a new user runs find the binaries where cargo put them, wherever that is
//! (`CARGO_TARGET_DIR` or `build.target-dir` set), instead of assuming `target/`.

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn target_dir_follows_cargo_target_dir() {
    let elsewhere = std::env::temp_dir().join("secretary-elsewhere-target");
    let out = Command::new(root().join("scripts/target-dir.sh"))
        .current_dir(root())
        .env("CARGO_TARGET_DIR", &elsewhere)
        .output()
        .expect("run scripts/target-dir.sh");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        elsewhere.to_string_lossy()
    );
}

#[test]
fn compare_and_bundle_run_the_harness_from_the_target_dir() {
    for script in ["scripts/compare.sh", "scripts/bundle.sh"] {
        let text = std::fs::read_to_string(root().join(script)).expect("read script");
        assert!(
            text.contains("scripts/target-dir.sh"),
            "{script} must ask cargo where the binaries are"
        );
        assert!(
            !text.contains(" target/release"),
            "{script} still assumes target/release"
        );
    }
}
