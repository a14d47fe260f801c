//! The `harness` command line (placeholder until written).
fn main() {}
