//! Binary entry point of the event-loop secretary: the shared `strategy_main` does the rest.
fn main() -> std::process::ExitCode {
    workload::strategy_main(
        "event-loop",
        strategy_event_loop::ARRANGEMENT,
        strategy_event_loop::run,
        strategy_event_loop::primitives,
    )
}
