//! Binary entry point of the smol secretary: the shared `strategy_main` does the rest.
fn main() -> std::process::ExitCode {
    workload::strategy_main(
        "smol",
        strategy_smol::ARRANGEMENT,
        strategy_smol::run,
        strategy_smol::primitives,
    )
}
