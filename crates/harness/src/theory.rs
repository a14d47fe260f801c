//! Queueing-theory predictions (placeholder until written: the lead put the API type here
//! so the harness compiles; replace the whole file).

/// A predicted mean pick-up wait.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Prediction {
    pub model: String,
    pub rho: f64,
    pub mean_pickup_wait_us: Option<f64>,
    pub note: String,
}

/// Placeholder.
#[must_use]
pub fn predict(_strategy: &str, _cores: usize, _spec: &workload::Spec, _ns_per_unit: f64) -> Option<Prediction> {
    None
}
