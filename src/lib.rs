//! pronote-companion: checks and fixes the Identifiant CAS (ENT) of PRONOTE lists.

pub mod app;
pub mod cli;
pub mod ent;
pub mod io;
pub mod model;
pub mod parallel;
pub mod progress;
pub mod review;
#[cfg(feature = "synthetic")]
pub mod synthetic;
pub mod timing;
