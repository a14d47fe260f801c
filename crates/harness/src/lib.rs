//! The harness library: the command line's arguments (`cli`) and what each subcommand does
//! (`commands`). `main.rs` is only the dispatch; the work is in the crates below it — `lab`
//! (runs and measures), `analysis` (decides), `report` (renders).

pub mod cli;
pub mod commands;
