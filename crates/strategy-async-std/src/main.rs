//! Binary entry point of the async-std secretary: the shared `strategy_main` does the rest.
fn main() -> std::process::ExitCode {
    workload::strategy_main(
        "async-std",
        strategy_async_std::ARRANGEMENT,
        strategy_async_std::run,
        strategy_async_std::primitives,
    )
}
