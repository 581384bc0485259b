//! ENT user exports and their reconciliation with the PRONOTE lists. No egui here.

pub mod directory;
pub mod layout;
pub mod matcher;
pub mod prenoms;

pub use directory::{EntAccount, EntDirectory, EntReadError, Profile};
pub use layout::{EntColumns, EntLayout};
