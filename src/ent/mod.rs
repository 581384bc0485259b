//! ENT user exports and their reconciliation with the PRONOTE lists. No egui here.

pub mod assistant;
pub mod directory;
pub mod layout;
pub mod matcher;
pub mod prenoms;
pub mod profiles;

pub use directory::{EntAccount, EntDirectory, EntReadError, Profile};
pub use layout::{EntColumns, EntLayout};
