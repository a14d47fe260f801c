//! The harness library: each subcommand's arguments and what it does (`commands`, one file
//! per subcommand). `main.rs` is only the dispatch; the work is in the crates below it — `lab`
//! (runs and measures), `analysis` (decides), `report` (renders).

pub mod commands;
