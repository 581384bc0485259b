//! Frame time of the real `App`, headless, with a département-sized base (~120,000 rows).
//!
//! `cargo bench --bench frame` writes the generated files (child process), loads them in the
//! `App` the way the window does, then measures with `egui_kittest`: frames while typing in
//! the search box (the first key of a search apart), frames with a filter active while
//! scrolling, tab switches, and the frames that sort the largest list by a column. The harness's own work (AccessKit tree, tessellation) is included: the
//! figures are an upper bound of the app's frame time.
#![allow(clippy::unwrap_used, clippy::expect_used)] // A benchmark stops on the first failure.

mod common;

use std::time::Instant;

use common::median_ms;

use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use pronote_companion::app::view::SortKey;
use pronote_companion::app::{App, Tab};

fn timed_step(harness: &mut Harness<'_, App>) -> f64 {
    let start = Instant::now();
    harness.step();
    start.elapsed().as_secs_f64()
}

fn main() {
    let Some((app, responsables)) = common::departement_app() else {
        return;
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 850.0))
        .build_eframe(|_| app);
    harness.run_steps(3);

    // Typing in the search box: one frame per key. The first key is the first search of the
    // list since it was loaded.
    harness.get_by_label("Rechercher :");
    let search = harness
        .get_all_by_role(egui::accesskit::Role::TextInput)
        .next()
        .expect("champ de recherche");
    search.click();
    harness.run_steps(2);
    let mut typing = Vec::new();
    for ch in "martin".chars() {
        harness.event(Event::Text(ch.to_string()));
        typing.push(timed_step(&mut harness));
    }
    let visible = harness.state().doc.views[responsables]
        .visible_cached()
        .len();
    println!(
        "première frappe après le chargement : {:.2} ms",
        typing[0] * 1000.0
    );
    let (median, p95) = median_ms(typing);
    println!(
        "frappe dans la recherche (« martin », {visible} lignes trouvées) : médiane {median:.2} ms, p95 {p95:.2} ms par image"
    );

    // The first key of a search after the cells changed (as after an edit and its analysis),
    // 20 times: the search box emptied, then one letter.
    let mut first_keys = Vec::new();
    for ch in "mdlbrpgcstaemdlbrpgc".chars() {
        let view = &mut harness.state_mut().doc.views[responsables];
        view.search.clear();
        view.data_changed();
        harness.run_steps(2);
        harness.event(Event::Text(ch.to_string()));
        first_keys.push(timed_step(&mut harness));
    }
    let (median, p95) = median_ms(first_keys);
    println!(
        "première frappe d'une recherche, les cellules changées (20 fois) : médiane {median:.2} ms, p95 {p95:.2} ms"
    );

    // A filter active, scrolling through the grid.
    harness.key_press(Key::Escape);
    harness.state_mut().doc.views[responsables].search.clear();
    harness.state_mut().doc.views[responsables].set_filter(Some(
        pronote_companion::app::view::StatusFilter::Kind(
            pronote_companion::model::findings::FindingKind::CasToLink,
        ),
    ));
    harness.state_mut().doc.views[responsables].invalidate();
    harness.run_steps(3);
    let visible = harness.state().doc.views[responsables]
        .visible_cached()
        .len();
    harness.hover_at(egui::pos2(600.0, 400.0));
    let mut scrolling = Vec::new();
    for _ in 0..120 {
        harness.event(Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, -200.0),
            modifiers: Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        });
        scrolling.push(timed_step(&mut harness));
    }
    let (median, p95) = median_ms(scrolling);
    println!(
        "défilement avec filtre « À lier » actif ({visible} lignes) : médiane {median:.2} ms, p95 {p95:.2} ms par image"
    );
    let mut idle = Vec::new();
    for _ in 0..60 {
        idle.push(timed_step(&mut harness));
    }
    let (median, p95) = median_ms(idle);
    println!("image sans saisie, filtre actif : médiane {median:.2} ms, p95 {p95:.2} ms");

    // Switching tabs.
    let mut switching = Vec::new();
    for i in 0..20 {
        let state = harness.state();
        let tab = Tab::List(state.doc.tables[i % state.doc.tables.len()].stamp.id);
        harness.state_mut().tab = tab;
        switching.push(timed_step(&mut harness));
    }
    let (median, p95) = median_ms(switching);
    println!(
        "changement d'onglet : médiane {median:.2} ms, p95 {p95:.2} ms (première image de l'onglet)"
    );

    // Sorting the largest list: a click on a column's header, then a second click (the
    // reverse order), each the frame that shows it; the first click after the cells changed.
    let columns = [
        SortKey::Column(1),
        SortKey::Column(2),
        SortKey::Status,
        SortKey::Column(3),
        SortKey::Column(5),
    ];
    let app = harness.state_mut();
    app.tab = Tab::List(app.doc.tables[responsables].stamp.id);
    app.doc.views[responsables].set_filter(None);
    harness.run_steps(2);
    let (mut first_sorts, mut reverse_sorts, mut rebuilds) = (Vec::new(), Vec::new(), Vec::new());
    let mut first_rebuilds = Vec::new();
    let mut first_by_key: Vec<(String, Vec<f64>)> = Vec::new();
    for i in 0..20 {
        let key = columns[i % columns.len()];
        let view = &mut harness.state_mut().doc.views[responsables];
        view.data_changed();
        view.sort = None;
        harness.run_steps(2);
        harness.state_mut().doc.views[responsables].toggle_sort(key);
        let first = timed_step(&mut harness);
        first_sorts.push(first);
        let name = match key {
            SortKey::Status => "Statut".to_owned(),
            SortKey::Column(c) => harness.state().doc.tables[responsables].columns[c]
                .title
                .clone(),
        };
        match first_by_key.iter_mut().find(|(n, _)| *n == name) {
            Some((_, samples)) => samples.push(first),
            None => first_by_key.push((name, vec![first])),
        }
        harness.state_mut().doc.views[responsables].toggle_sort(key);
        reverse_sorts.push(timed_step(&mut harness));
        // The rebuild alone, the order known.
        let app = harness.state_mut();
        let view = &mut app.doc.views[responsables];
        view.toggle_sort(key);
        let start = Instant::now();
        view.rebuild(
            &app.doc.tables[responsables],
            responsables,
            &app.doc.analysis,
        );
        rebuilds.push(start.elapsed().as_secs_f64());
        // The rebuild alone, the cells changed (the first click without its frame).
        view.data_changed();
        let start = Instant::now();
        view.rebuild(
            &app.doc.tables[responsables],
            responsables,
            &app.doc.analysis,
        );
        first_rebuilds.push(start.elapsed().as_secs_f64());
    }
    let rows = harness.state().doc.tables[responsables].rows.len();
    let (median, p95) = median_ms(first_sorts);
    println!(
        "tri d'une colonne ({rows} lignes), premier clic après un changement des cellules (20 fois) : médiane {median:.2} ms, p95 {p95:.2} ms par image"
    );
    for (name, samples) in first_by_key {
        let (median, _) = median_ms(samples);
        println!("    dont « {name} » : médiane {median:.2} ms");
    }
    let (median, p95) = median_ms(reverse_sorts);
    println!(
        "tri d'une colonne ({rows} lignes), second clic (ordre inverse) : médiane {median:.2} ms, p95 {p95:.2} ms par image"
    );
    let (median, p95) = median_ms(first_rebuilds);
    println!(
        "tri d'une colonne ({rows} lignes), liste triée refaite seule après un changement des cellules : médiane {median:.2} ms, p95 {p95:.2} ms"
    );
    let (median, p95) = median_ms(rebuilds);
    println!(
        "tri d'une colonne ({rows} lignes), liste triée refaite seule : médiane {median:.2} ms, p95 {p95:.2} ms"
    );
}
