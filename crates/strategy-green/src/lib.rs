//! x
pub fn run(_o: &workload::Office, _c: usize) -> workload::Logbook { todo!() }
