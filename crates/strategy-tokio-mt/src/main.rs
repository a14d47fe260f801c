//! Binary entry point of the tokio work-stealing secretaries: `strategy_main` does the rest.
fn main() -> std::process::ExitCode {
    workload::strategy_main(
        "tokio-mt",
        strategy_tokio_mt::ARRANGEMENT,
        strategy_tokio_mt::run,
        strategy_tokio_mt::primitives,
    )
}
