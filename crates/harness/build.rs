//! Build script: records what `env.json` needs but a machine without a toolchain cannot ask
//! at run time — the rustc version, the git commit (and whether the tree was dirty), and the
//! versions of the runtime crates from Cargo.lock.

use std::process::Command;

fn output(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

fn main() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = output(&rustc, &["-V"]).unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=SECRETARY_RUSTC={version}");
    let commit = output("git", &["rev-parse", "HEAD"]).unwrap_or_else(|| "unknown".into());
    let dirty = output("git", &["status", "--porcelain", "--untracked-files=no"])
        .is_some_and(|s| !s.is_empty());
    println!("cargo:rustc-env=SECRETARY_GIT_COMMIT={commit}");
    println!("cargo:rustc-env=SECRETARY_GIT_DIRTY={dirty}");
    // Cargo.lock of the workspace: name@version of the crates results depend on.
    let lock = std::fs::read_to_string("../../Cargo.lock").unwrap_or_default();
    let wanted = [
        "may",
        "async-std",
        "async-global-executor",
        "rayon",
        "rayon-core",
        "hdrhistogram",
        "rand",
        "rand_chacha",
        "rand_distr",
        "plotters",
        "smol",
        "tokio",
    ];
    let mut found = Vec::new();
    let mut name = None;
    for line in lock.lines() {
        if let Some(n) = line.strip_prefix("name = ") {
            name = Some(n.trim_matches('"').to_owned());
        } else if let (Some(v), Some(n)) = (line.strip_prefix("version = "), name.take())
            && wanted.contains(&n.as_str())
        {
            found.push(format!("{n}@{}", v.trim_matches('"')));
        }
    }
    println!("cargo:rustc-env=SECRETARY_CRATES={}", found.join(","));
    println!("cargo:rerun-if-changed=../../Cargo.lock");
    println!("cargo:rerun-if-changed=../../.git/HEAD");
    println!("cargo:rerun-if-changed=../../.git/index");
}
