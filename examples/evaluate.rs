//! Prints precision and recall of `fix --all` and of the exact nom+prénom baseline on
//! generated collèges: `cargo run --release --example evaluate [SEED…]`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // A benchmark stops on the first failure.

use pronote_companion::synthetic::{GenOptions, evaluate, evaluate_exact_name_baseline, generate};

fn main() {
    let seeds: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|s| s.parse().ok())
        .collect();
    let seeds = if seeds.is_empty() {
        vec![1, 2, 3, 4, 5]
    } else {
        seeds
    };
    for seed in seeds {
        let generated = generate(&GenOptions::college(seed));
        let ours = evaluate(&generated).expect("base générée");
        let baseline = evaluate_exact_name_baseline(&generated).expect("base générée");
        println!(
            "graine {seed} : {} lignes ({} avec compte ENT) — pronote-companion précision {:.4} rappel {:.4} (homonymes liés sans preuve : {}) — nom+prénom exacts précision {:.4} rappel {:.4}",
            ours.rows,
            ours.with_account,
            ours.precision,
            ours.recall,
            ours.homonym_links_without_evidence,
            baseline.precision,
            baseline.recall
        );
    }
}
