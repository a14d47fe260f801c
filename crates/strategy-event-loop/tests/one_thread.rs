//! Proves the event-loop secretary is ONE secretary on ONE thread — the one that called `run`
//! — also when offered 2 cores, and that it brings no runtime: its only dependencies are
//! `workload`, and for the real lines `mio` (epoll's readiness) and `rustix` (a timerfd) — no
//! async runtime, coroutine or pool crate.

#[test]
fn one_thread_on_one_and_two_cores() {
    for cores in [1, 2] {
        workload::conformance::check_on_calling_thread(
            "event-loop",
            strategy_event_loop::run,
            cores,
        );
    }
}

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
