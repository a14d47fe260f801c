//! The digest: what each answered call and each checked appointment adds to a logbook's
//! order-independent digest (a wrapping sum of contributions), so a run's answers can be checked
//! against the reference without keeping them.

use crate::work::mix2;

const TAG_CALL: u64 = 0xCA11_0000_0000_0001;
const TAG_APPT: u64 = 0xA990_0000_0000_0002;

/// Digest contribution of an answered call with combined value `value`.
#[must_use]
pub fn call_contribution(id: u32, value: u64) -> u64 {
    mix2(mix2(TAG_CALL, u64::from(id)), value)
}

/// Digest contribution of a checked appointment with combined value `value`.
#[must_use]
pub fn appointment_contribution(id: u32, value: u64) -> u64 {
    mix2(mix2(TAG_APPT, u64::from(id)), value)
}
