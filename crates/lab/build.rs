//! Build script: records what `env.json` needs but a machine without a toolchain cannot ask
//! at run time — the rustc version, the git commit (and whether the tree was dirty), and the
//! version of every crate a measured process is built from: every dependency, direct or not,
//! of `workload` and of every `strategy-*` package, read from the workspace's Cargo.lock. No
//! list of names: a new strategy's runtime is recorded without editing the harness.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

fn output(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// One `[[package]]` of Cargo.lock: name, version, dependencies (by name; a dependency entry
/// may carry a version, `name 1.2.3`, where two versions of one name are locked).
struct Package {
    name: String,
    version: String,
    deps: Vec<(String, Option<String>)>,
}

fn packages(lock: &str) -> Vec<Package> {
    let mut out = Vec::new();
    for block in lock.split("[[package]]").skip(1) {
        let field = |key: &str| {
            block
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .map(|v| v.trim().trim_matches('"').to_owned())
        };
        let (Some(name), Some(version)) = (field("name = "), field("version = ")) else {
            continue;
        };
        let deps = block
            .split("dependencies = [")
            .nth(1)
            .and_then(|rest| rest.split(']').next())
            .unwrap_or_default()
            .lines()
            .map(|l| l.trim().trim_end_matches(',').trim_matches('"'))
            .filter(|l| !l.is_empty())
            .map(|l| {
                let mut parts = l.split(' ');
                let n = parts.next().unwrap_or_default().to_owned();
                (n, parts.next().map(str::to_owned))
            })
            .collect();
        out.push(Package {
            name,
            version,
            deps,
        });
    }
    out
}

/// `name@version` of every package reachable from `workload` and the `strategy-*` packages
/// (those themselves excluded: they are this workspace's own code, recorded by the commit).
/// `pub(crate)` for `tests/build_script.rs`, which includes this file as a module.
pub(crate) fn measured_crates(lock: &str) -> Vec<String> {
    let all = packages(lock);
    let find = |name: &str, version: Option<&str>| {
        all.iter()
            .position(|p| p.name == name && version.is_none_or(|v| p.version == v))
    };
    let roots: Vec<usize> = (0..all.len())
        .filter(|&i| all[i].name == "workload" || all[i].name.starts_with("strategy-"))
        .collect();
    let mut seen: BTreeSet<usize> = roots.iter().copied().collect();
    let mut todo = roots.clone();
    while let Some(i) = todo.pop() {
        for (n, v) in &all[i].deps {
            if let Some(j) = find(n, v.as_deref())
                && seen.insert(j)
            {
                todo.push(j);
            }
        }
    }
    let mut versions: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for i in seen.into_iter().filter(|i| !roots.contains(i)) {
        versions
            .entry(all[i].name.as_str())
            .or_default()
            .push(all[i].version.as_str());
    }
    versions
        .into_iter()
        .map(|(n, v)| format!("{n}@{}", v.join(" ")))
        .collect()
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
    let lock = std::fs::read_to_string("../../Cargo.lock").unwrap_or_default();
    println!(
        "cargo:rustc-env=SECRETARY_CRATES={}",
        measured_crates(&lock).join(",")
    );
    println!("cargo:rerun-if-changed=../../Cargo.lock");
    println!("cargo:rerun-if-changed=../../.git/HEAD");
    println!("cargo:rerun-if-changed=../../.git/index");
}
