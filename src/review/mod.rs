//! The review of a base, between `model`/`ent` and the two front ends: opening any export, the
//! analysis (checks, reconciliation with the ENT, findings), planning fixes, and building the
//! outputs. The window (`app`) and the command line (`cli`) both call these functions, so a fix
//! made here is made for both. No egui here.

pub mod analysis;
pub mod batch;
pub mod batch_html;
pub mod fixes;
pub mod open;
pub mod outputs;
pub mod plan;
pub mod plan_html;

use std::path::Path;

use crate::ent::EntDirectory;
use crate::model::table::Table;
use analysis::{Analysis, analyze_for_reports};
use fixes::{FixOptions, apply_planned, plan_fixes};
use outputs::{Naming, OutputError, Outputs, build_outputs};
use plan::PlanOptions;

/// A base under review without a window: the lists, the ENT export and the analysis of the
/// files as opened (the baseline every fix and every reason of the work list comes from).
pub struct Review {
    /// The PRONOTE lists.
    pub tables: Vec<Table>,
    /// The ENT export.
    pub ent: Option<EntDirectory>,
    /// The analysis of the lists as opened.
    pub baseline: Analysis,
}

impl Review {
    /// Analyses the opened lists: the one analysis of a command-line run, with the texts its
    /// reports and work list show ([`analysis::analyze_for_reports`]).
    pub fn new(tables: Vec<Table>, ent: Option<EntDirectory>) -> Self {
        let baseline = analyze_for_reports(&tables, ent.as_ref());
        Self {
            tables,
            ent,
            baseline,
        }
    }

    /// Applies every fix `options` allows, all planned from the baseline at once (the analysis
    /// is not run again between kinds of fix); returns how many cells changed.
    pub fn apply_fixes(&mut self, options: FixOptions) -> usize {
        let _phase = crate::timing::Phase::start("corrections");
        let plan = plan_fixes(&self.tables, &self.baseline, options, None);
        let count = plan.len();
        apply_planned(&mut self.tables, plan);
        count
    }

    /// The corrected lists and the work list, for `folder` (nothing written).
    pub fn outputs(
        &self,
        folder: &Path,
        naming: Naming,
        options: PlanOptions,
    ) -> Result<Outputs, OutputError> {
        build_outputs(&self.tables, &self.baseline, options, folder, naming)
    }
}
