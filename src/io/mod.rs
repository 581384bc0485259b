//! Reading and writing files: encodings, fields, atomic saving. No egui here.

pub mod encoding;
pub mod save;
pub mod scan;
