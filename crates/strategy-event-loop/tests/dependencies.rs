//! Proves the event-loop secretary brings no runtime: its only dependencies are `workload`,
//! and for the real lines `mio` (epoll's readiness) and `rustix` (a timerfd) — no async
//! runtime, coroutine or pool crate. (That it is ONE secretary on the thread that called `run`
//! is one of the shared checks, in `tests/conformance.rs`.)

#[test]
fn depends_on_workload_and_epoll_alone() {
    let manifest = include_str!("../Cargo.toml");
    let deps: Vec<&str> = manifest
        .split("[dependencies]")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let names: Vec<&str> = deps
        .iter()
        .filter_map(|dep| dep.split(['.', ' ', '=']).next())
        .collect();
    assert_eq!(names, ["mio", "rustix", "workload"]);
}
