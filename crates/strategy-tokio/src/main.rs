//! Binary entry point of the tokio current-thread secretary: `strategy_main` does the rest.
fn main() -> std::process::ExitCode {
    workload::strategy_main(
        "tokio",
        strategy_tokio::ARRANGEMENT,
        strategy_tokio::run,
        strategy_tokio::primitives,
    )
}
