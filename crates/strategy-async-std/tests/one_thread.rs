//! Proves the async-std secretary is ONE secretary: every call and every desk chunk of the day ran on one
//! OS thread — the one that called `run` — also when it is offered 2 cores.

#[test]
fn one_thread_on_one_and_two_cores() {
    for cores in [1, 2] {
        workload::conformance::check_on_calling_thread("async-std", strategy_async_std::run, cores);
    }
}
