//! The loaded lists, their columns, findings and edits. No egui here.

pub mod checks;
pub mod columns;
pub mod date;
pub mod edit;
pub mod findings;
pub mod fold;
pub mod guide;
pub mod table;
