//! Prints the quality of `fix --all` and of the exact nom+prénom baseline on generated bases:
//! `cargo run --release --example evaluate [--naissances] [--departement] [SEED…]`.
//! `--naissances`: the ENT export carries birth dates; `--departement`: a base of ~126,000 rows;
//! `--details`: every row it gets wrong, with what the tool said; `--colonnes-completes`: the lists
//! carry every column the client exports (the same people and truth, twice the bytes).
#![allow(clippy::unwrap_used, clippy::expect_used)] // A benchmark stops on the first failure.

use pronote_companion::synthetic::{
    GenOptions, evaluate, evaluate_errors, evaluate_exact_name_baseline, generate,
};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let births = args.iter().any(|a| a == "--naissances");
    let departement = args.iter().any(|a| a == "--departement");
    let details = args.iter().any(|a| a == "--details");
    let full_columns = args.iter().any(|a| a == "--colonnes-completes");
    let seeds: Vec<u64> = args.iter().filter_map(|s| s.parse().ok()).collect();
    let seeds = if seeds.is_empty() {
        vec![1, 2, 3, 4, 5]
    } else {
        seeds
    };
    for seed in seeds {
        let options = GenOptions {
            ent_birth_dates: births,
            full_columns,
            ..if departement {
                GenOptions::departement(seed)
            } else {
                GenOptions::college(seed)
            }
        };
        let generated = generate(&options);
        let ours = evaluate(&generated).expect("base générée");
        if details {
            for line in evaluate_errors(&generated).expect("base générée") {
                println!("  {line}");
            }
        }
        let baseline = evaluate_exact_name_baseline(&generated).expect("base générée");
        println!(
            "graine {seed} : {} lignes ({} avec compte ENT) — pronote-companion précision {:.4} \
             rappel {:.4}, identifiants corrects retirés {}, identifiants faux laissés {}, \
             homonymes inversés signalés comme tels {}/{} (en erreur ou à vérifier : {}), \
             homonymes liés sans preuve {} — nom+prénom exacts \
             précision {:.4} rappel {:.4} (corrects retirés {})",
            ours.rows,
            ours.with_account,
            ours.precision,
            ours.recall,
            ours.correct_removed,
            ours.wrong_left,
            ours.swaps_reported,
            ours.swaps_injected,
            ours.swaps_flagged,
            ours.homonym_links_without_evidence,
            baseline.precision,
            baseline.recall,
            baseline.correct_removed,
        );
    }
}
