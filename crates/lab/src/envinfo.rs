//! `env.json`: the machine and build a results folder came from — CPU model, logical cores,
//! kernel, virtualisation, rustc, runtime crate versions, git commit, date, command line, the
//! calibrated nanoseconds per work unit and what N cores give at most (`core_limit`, measured
//! here: [`crate::core_limit`]).

use serde_json::{Value, json};

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

fn cpuinfo_field(cpuinfo: &str, key: &str) -> Option<String> {
    cpuinfo
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_owned())
}

fn uname() -> String {
    // SAFETY: a zeroed utsname is valid; uname fills its fixed-size, NUL-terminated fields.
    unsafe {
        let mut u: libc::utsname = std::mem::zeroed();
        if libc::uname(&mut u) != 0 {
            return "unknown".into();
        }
        let f = |s: &[libc::c_char]| {
            std::ffi::CStr::from_ptr(s.as_ptr())
                .to_string_lossy()
                .into_owned()
        };
        format!("{} {} {}", f(&u.sysname), f(&u.release), f(&u.machine))
    }
}

/// The host name (for folder names), sanitised to `[A-Za-z0-9-]`.
#[must_use]
pub fn host() -> String {
    let h = read("/proc/sys/kernel/hostname");
    let h: String = h
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if h.is_empty() { "host".into() } else { h }
}

/// UTC now as (YYYY-MM-DD, HHMMSS, ISO 8601).
#[must_use]
pub fn now_utc() -> (String, String, String) {
    // SAFETY: time(NULL) and gmtime_r with valid pointers to locals.
    let tm = unsafe {
        let t = libc::time(std::ptr::null_mut());
        let mut tm: libc::tm = std::mem::zeroed();
        libc::gmtime_r(&t, &mut tm);
        tm
    };
    let (y, mo, d, h, mi, s) = (
        tm.tm_year + 1900,
        tm.tm_mon + 1,
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec,
    );
    (
        format!("{y:04}-{mo:02}-{d:02}"),
        format!("{h:02}{mi:02}{s:02}"),
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z"),
    )
}

/// Whether the kernel reports a hypervisor.
fn virtualised(cpuinfo: &str) -> bool {
    cpuinfo
        .lines()
        .any(|l| l.starts_with("flags") && l.split_whitespace().any(|f| f == "hypervisor"))
}

/// `env.json`'s `crates`: name → version (two locked versions: `"1.9.0 2.5.0"`) of every crate
/// `workload` and the `strategy-*` packages are built from, as `build.rs` read Cargo.lock.
fn built_crates() -> serde_json::Map<String, Value> {
    env!("SECRETARY_CRATES")
        .split(',')
        .filter_map(|s| s.split_once('@'))
        .map(|(n, v)| (n.to_owned(), Value::String(v.to_owned())))
        .collect()
}

/// The environment document. Measures the machine's core limit (~0.3 s on 2 CPUs;
/// `core_limit`: `null` where threads cannot be pinned).
#[must_use]
pub fn collect(ns_per_unit: f64, cpus_allowed: usize) -> Value {
    let cpuinfo = read("/proc/cpuinfo");
    let commit = std::process::Command::new("git")
        .args(["rev-parse", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    json!({
        "cpu_model": cpuinfo_field(&cpuinfo, "model name").unwrap_or_else(|| "unknown".into()),
        "logical_cores": std::thread::available_parallelism().map_or(0, |n| n.get()),
        "cpus_allowed": cpus_allowed,
        "kernel": uname(),
        "virtualised": virtualised(&cpuinfo),
        "host": host(),
        "rustc": env!("SECRETARY_RUSTC"),
        "crates": built_crates(),
        "git_commit_built": env!("SECRETARY_GIT_COMMIT"),
        "git_dirty_built": env!("SECRETARY_GIT_DIRTY") == "true",
        "git_commit_now": commit,
        "date_utc": now_utc().2,
        "command_line": std::env::args().collect::<Vec<_>>().join(" "),
        "ns_per_unit": ns_per_unit,
        "vm_max_map_count": read("/proc/sys/vm/max_map_count").trim().parse::<u64>().ok(),
        // Real lines (`lines = tcp`): the listen backlog asked for and what the kernel caps it
        // at, the descriptor limit the processes can raise themselves to.
        "tcp_listen_backlog": crate::lines::BACKLOG,
        "net_core_somaxconn": read("/proc/sys/net/core/somaxconn").trim().parse::<u64>().ok(),
        "net_ipv4_tcp_max_syn_backlog": read("/proc/sys/net/ipv4/tcp_max_syn_backlog").trim().parse::<u64>().ok(),
        "rlimit_nofile_hard": crate::lines::nofile_hard_limit(),
        // What N cores give at most: the work kernel on N pinned threads over 1
        // (`{"method", "cpus", "speedup": {"1": 1.0, "2": 1.97}}`).
        "core_limit": crate::core_limit::measure_json(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_env_has_the_core_limit() {
        let env = collect(640.0, 2);
        let limit = env.get("core_limit").expect("core_limit key");
        if !limit.is_null() {
            assert_eq!(limit["speedup"]["1"], 1.0, "{limit}");
            assert!(
                limit["method"].is_string() && limit["cpus"].is_u64(),
                "{limit}"
            );
            let read = crate::core_limit::CoreLimit::from_env(&env).unwrap();
            assert_eq!(read.at(1), Some(1.0));
        }
        assert_eq!(env["ns_per_unit"], 640.0);
    }

    /// The `[dependencies]` of a Cargo.toml, by package name (`x = { package = "y" }`: y).
    fn dependencies(manifest: &str) -> Vec<String> {
        let mut section = "";
        let mut out = Vec::new();
        for line in manifest.lines().map(str::trim) {
            if line.starts_with('[') {
                section = line;
            } else if section == "[dependencies]" && !line.is_empty() && !line.starts_with('#') {
                let key = line.split(['.', ' ', '=']).next().unwrap_or_default();
                let renamed = line
                    .split("package = \"")
                    .nth(1)
                    .and_then(|rest| rest.split('"').next());
                out.push(renamed.unwrap_or(key).to_owned());
            }
        }
        out
    }

    #[test]
    fn every_strategys_runtime_is_in_env_json() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let workspace = std::fs::read_to_string(root.join("Cargo.toml")).expect("Cargo.toml");
        // The workspace's own crates (`path = ...`) are recorded by the commit, not by version.
        let internal = |dep: &str| {
            workspace
                .lines()
                .any(|l| l.starts_with(&format!("{dep} = ")) && l.contains("path = "))
        };
        let crates = built_crates();
        let mut checked = 0;
        for dir in std::fs::read_dir(root.join("crates"))
            .expect("crates/")
            .flatten()
        {
            let name = dir.file_name().to_string_lossy().into_owned();
            if !name.starts_with("strategy-") {
                continue;
            }
            let manifest =
                std::fs::read_to_string(dir.path().join("Cargo.toml")).expect("manifest");
            for dep in dependencies(&manifest).iter().filter(|d| !internal(d)) {
                let version = crates.get(dep).and_then(Value::as_str).unwrap_or_default();
                assert!(
                    !version.is_empty(),
                    "{name} depends on {dep}, which env.json's crates leave out: {crates:?}"
                );
                checked += 1;
            }
        }
        assert!(checked >= 10, "only {checked} runtime dependencies found");
    }
}
