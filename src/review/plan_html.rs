//! The plan as a printable HTML page: bulk actions first, then the hand entries per list, the
//! optional ones last and collapsed. One checkbox per step, to tick on paper. Built with `maud`:
//! every text from the files is escaped by construction.

use maud::{DOCTYPE, PreEscaped, Render, html};

use super::plan::{Change, Necessity, Step, WorkPlan};

const STYLE: &str = "body{font-family:sans-serif;margin:2em;max-width:70em}\
    h2{margin-top:1.5em;border-bottom:2px solid #444}h3{margin:1.2em 0 .3em}\
    table{border-collapse:collapse;width:100%;margin:.3em 0 1em}\
    td,th{border:1px solid #999;padding:3px 5px;text-align:left;vertical-align:top}\
    th{background:#eee}.done{width:2em;text-align:center}.num{width:3em}\
    .todo{background:#f4f4f4;border-left:4px solid #444;padding:.4em .6em}\
    .securite{color:#a00;font-weight:bold}.bloque{color:#a60;font-weight:bold}\
    .facultatif{color:#555}.mode{font-style:italic}summary{cursor:pointer;font-weight:bold}\
    @media print{h2,h3{page-break-after:avoid}tr{page-break-inside:avoid}\
    details>summary{list-style:none}}";

fn necessity_class(necessity: Necessity) -> &'static str {
    match necessity {
        Necessity::Security => "securite",
        Necessity::AccessBlocked => "bloque",
        Necessity::Optional => "facultatif",
    }
}

/// The plan as a printable HTML page (UTF-8).
pub fn plan_html(plan: &WorkPlan) -> String {
    let counts = plan.counts();
    let bulk: Vec<&Step> = plan.steps.iter().filter(|s| s.bulk).collect();
    let required: Vec<&Step> = plan
        .steps
        .iter()
        .filter(|s| !s.bulk && s.necessity.is_required())
        .collect();
    let optional: Vec<&Step> = plan
        .steps
        .iter()
        .filter(|s| !s.bulk && !s.necessity.is_required())
        .collect();
    let page = html! {
        (DOCTYPE)
        html lang="fr" {
            head {
                meta charset="utf-8";
                title { "À faire dans PRONOTE" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                (Reserve(page_size(plan)))
                h1 { "À faire dans PRONOTE" }
                p {
                    strong { (counts.summary()) }
                    " (" (counts.total()) " étape(s) en tout, dont " (counts.necessary())
                    " indispensable(s))."
                }
                p.mode { (plan.options.mode.statement()) }
                p {
                    "Faites les étapes dans l'ordre : les suppressions groupées d'abord (PRONOTE \
                     refuse un identifiant CAS qu'une autre ligne porte encore), puis les saisies. \
                     Les mots de passe ne figurent jamais dans cette liste."
                }
                @if plan.is_empty() {
                    p { "Aucune modification." }
                }
                @if !bulk.is_empty() {
                    h2 { "Actions groupées" }
                    @for step in &bulk {
                        (BulkStep(plan, step))
                    }
                }
                @if !required.is_empty() {
                    h2 { "Saisies indispensables" }
                    (HandSteps(plan, &required))
                }
                @if !optional.is_empty() {
                    h2 { "Saisies facultatives" }
                    details {
                        summary {
                            (optional.len()) " saisie(s) facultative(s) : PRONOTE les fera seul à \
                             la première connexion depuis l'ENT (cliquer pour les afficher)"
                        }
                        (HandSteps(plan, &optional))
                    }
                }
            }
        }
    };
    let mut text = page.into_string();
    text.push('\n');
    text
}

/// Reserves the page's size in the buffer it is written to: a département's page is 40 MB,
/// which grown by doubling would be copied and its memory touched twice over.
struct Reserve(usize);

impl Render for Reserve {
    fn render_to(&self, buffer: &mut String) {
        buffer.reserve(self.0);
    }
}

/// About the page's size in bytes (its texts, and the markup around each row).
fn page_size(plan: &WorkPlan) -> usize {
    let change_size = |change: &Change| {
        change.nom.len()
            + change.prenom.len()
            + change.landmark.len()
            + change.before.len()
            + change.why.len()
            + 180
    };
    plan.steps
        .iter()
        .map(|step| {
            step.todo.len()
                + 120
                + step
                    .rows
                    .iter()
                    .filter_map(|row| plan.changes.get(row.change))
                    .map(change_size)
                    .sum::<usize>()
        })
        .sum::<usize>()
        + 4096
}

/// The row's number, nom, prénom and landmark cells, written straight into the page.
struct PersonCells<'a>(&'a Change);

impl Render for PersonCells<'_> {
    fn render_to(&self, buffer: &mut String) {
        let change = self.0;
        html! {
            td { (change.line) }
            td { (Text(&change.nom)) }
            td { (Text(&change.prenom)) }
            td { (Text(&change.landmark)) }
        }
        .render_to(buffer);
    }
}

/// A text from the files, escaped like `maud` escapes a `&str` (`&`, `<`, `>`, `"`), but copied
/// by runs between the characters to escape rather than byte by byte: the page of a département
/// is 40 MB of such texts.
struct Text<'a>(&'a str);

impl Render for Text<'_> {
    fn render_to(&self, buffer: &mut String) {
        let text = self.0;
        let mut copied = 0;
        for (i, byte) in text.bytes().enumerate() {
            let entity = match byte {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                _ => continue,
            };
            // The four are ASCII: `i` is a character boundary.
            buffer.push_str(&text[copied..i]);
            buffer.push_str(entity);
            copied = i + 1;
        }
        buffer.push_str(&text[copied..]);
    }
}

/// A bulk step: its title, what to do, and its rows, each row written straight into the page
/// (a step may have thousands).
struct BulkStep<'a>(&'a WorkPlan, &'a Step);

impl Render for BulkStep<'_> {
    fn render_to(&self, buffer: &mut String) {
        let BulkStep(plan, step) = *self;
        html! {
            h3 {
                "☐ Étape " (step.number) " — " (step.list.label()) " — " (step.action.label())
                " (" (step.rows.len()) " ligne(s)) "
                span class=(necessity_class(step.necessity)) { (step.necessity.label()) }
            }
            p.todo { (Text(&step.todo)) }
        }
        .render_to(buffer);
        buffer.push_str("<table>");
        html! {
            tr {
                th.done { "Fait" } th { "Ligne" } th { "Nom" } th { "Prénom" }
                th { "Classe ou enfants" } th { "Identifiant à supprimer" } th { "Nécessité" }
                th { "Pourquoi" }
            }
        }
        .render_to(buffer);
        for row in &step.rows {
            if let Some(change) = plan.changes.get(row.change) {
                html! {
                    tr {
                        td.done { "☐" }
                        (PersonCells(change))
                        td { (Text(&change.before)) }
                        td { (row.necessity.label()) }
                        td { (Text(&change.why)) }
                    }
                }
                .render_to(buffer);
            }
        }
        buffer.push_str("</table>");
    }
}

/// The hand entries, one table per list, each row written straight into the page.
struct HandSteps<'a>(&'a WorkPlan, &'a [&'a Step]);

impl Render for HandSteps<'_> {
    fn render_to(&self, buffer: &mut String) {
        let HandSteps(plan, steps) = *self;
        let mut lists: Vec<_> = steps.iter().map(|s| s.list).collect();
        lists.dedup();
        for list in lists {
            let of_list: Vec<&&Step> = steps.iter().filter(|s| s.list == list).collect();
            html! {
                h3 { (list.menu_path()) " (" (of_list.len()) " saisie(s))" }
            }
            .render_to(buffer);
            buffer.push_str("<table>");
            html! {
                tr {
                    th.done { "Fait" } th.num { "Étape" } th { "Ligne" } th { "Nom" }
                    th { "Prénom" } th { "Classe ou enfants" } th { "À faire dans PRONOTE" }
                    th { "Pourquoi" }
                }
            }
            .render_to(buffer);
            for step in of_list {
                if let Some(change) = step.rows.first().and_then(|r| plan.changes.get(r.change)) {
                    html! {
                        tr {
                            td.done { "☐" }
                            td.num { (step.number) }
                            (PersonCells(change))
                            td {
                                strong { (step.action.label()) } " : " (Text(&step.todo))
                                br;
                                span class=(necessity_class(step.necessity)) {
                                    (step.necessity.label())
                                }
                            }
                            td { (Text(&change.why)) }
                        }
                    }
                    .render_to(buffer);
                }
            }
            buffer.push_str("</table>");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn by_maud(text: &str) -> String {
        text.render().into_string()
    }

    fn by_runs(text: &str) -> String {
        Text(text).render().into_string()
    }

    #[test]
    fn texts_are_escaped_as_maud_escapes_them() {
        for text in [
            "",
            "<script>alert(\"x\")</script>",
            "Dupont & Fils <b>",
            "\"",
            "&amp;",
            "Éléonore « Zoé » ŒUVRE >",
            "a<",
            ">a",
        ] {
            assert_eq!(by_runs(text), by_maud(text), "{text:?}");
        }
    }

    proptest! {
        #[test]
        fn any_text_is_escaped_as_maud_escapes_it(text in "[a-zé&<>\"' ]{0,40}") {
            prop_assert_eq!(by_runs(&text), by_maud(&text));
        }
    }
}
