//! The plan as a printable HTML page: bulk actions first, then the hand entries per list, the
//! optional ones last and collapsed. One checkbox per step, to tick on paper. Built with `maud`:
//! every text from the files is escaped by construction.

use std::cell::RefCell;
use std::io::Write;

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
    render_page(plan, &Spill(None), page_size(plan))
}

/// [`plan_html`] written to `out` as it is made, a megabyte at a time (`fix` writes it straight
/// into its file: a département's page is 40 MB).
pub fn write_plan_html(plan: &WorkPlan, out: &mut dyn Write) -> std::io::Result<()> {
    let state = RefCell::new((out, None));
    let rest = render_page(plan, &Spill(Some(&state)), SPILL_SIZE + (1 << 16));
    let (out, error) = state.into_inner();
    match error {
        Some(error) => Err(error),
        None => out.write_all(rest.as_bytes()),
    }
}

/// How much of the page is written at a time when it is written as it is made.
const SPILL_SIZE: usize = 1 << 20;

/// Where the page goes while it is made: kept whole in the page's buffer (`None`), or handed
/// to a writer whenever the buffer holds [`SPILL_SIZE`] bytes, with the writer's first failure.
/// The rows are written by [`BulkStep`] and [`HandSteps`] straight into the buffer that `html!`
/// builds the page in, in order: what they hand over is the page so far.
struct Spill<'s, 'w>(Option<&'s SpillState<'w>>);

/// The writer a page is handed to, and its first failure (after which nothing more is written).
type SpillState<'w> = RefCell<(&'w mut dyn Write, Option<std::io::Error>)>;

impl Spill<'_, '_> {
    /// Hands the buffer's text over to the writer when it is full enough (and empties it).
    fn spill(&self, buffer: &mut String) {
        let Some(cell) = &self.0 else {
            return;
        };
        if buffer.len() < SPILL_SIZE {
            return;
        }
        let mut state = cell.borrow_mut();
        let (out, error) = &mut *state;
        if error.is_none()
            && let Err(e) = out.write_all(buffer.as_bytes())
        {
            *error = Some(e);
        }
        buffer.clear();
    }
}

/// The page, with `reserve` bytes of room made once in its buffer.
fn render_page(plan: &WorkPlan, spill: &Spill, reserve: usize) -> String {
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
                (Reserve(reserve))
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
                        (BulkStep(plan, step, spill))
                    }
                }
                @if !required.is_empty() {
                    h2 { "Saisies indispensables" }
                    (HandSteps(plan, &required, spill))
                }
                @if !optional.is_empty() {
                    h2 { "Saisies facultatives" }
                    details {
                        summary {
                            (optional.len()) " saisie(s) facultative(s) : PRONOTE les fera seul à \
                             la première connexion depuis l'ENT (cliquer pour les afficher)"
                        }
                        (HandSteps(plan, &optional, spill))
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

/// The row's number, nom, prénom and landmark cells, rendered into the row that holds them.
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
        let bytes = text.as_bytes();
        // Most texts have no `"`: the other three are found by `memchr3`, many bytes at a time
        // (the menu paths of the work list are full of `>`).
        if memchr::memchr(b'"', bytes).is_none() {
            let mut copied = 0;
            for i in memchr::memchr3_iter(b'&', b'<', b'>', bytes) {
                let entity = match bytes[i] {
                    b'&' => "&amp;",
                    b'<' => "&lt;",
                    _ => "&gt;",
                };
                // The three are ASCII: `i` is a character boundary.
                buffer.push_str(&text[copied..i]);
                buffer.push_str(entity);
                copied = i + 1;
            }
            buffer.push_str(&text[copied..]);
            return;
        }
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
struct BulkStep<'a, 'w>(&'a WorkPlan, &'a Step, &'a Spill<'a, 'w>);

impl Render for BulkStep<'_, '_> {
    fn render_to(&self, buffer: &mut String) {
        let BulkStep(plan, step, spill) = *self;
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
                spill.spill(buffer);
            }
        }
        buffer.push_str("</table>");
    }
}

/// The hand entries, one table per list, each row written straight into the page.
struct HandSteps<'a, 'w>(&'a WorkPlan, &'a [&'a Step], &'a Spill<'a, 'w>);

impl Render for HandSteps<'_, '_> {
    fn render_to(&self, buffer: &mut String) {
        let HandSteps(plan, steps, spill) = *self;
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
                    spill.spill(buffer);
                }
            }
            buffer.push_str("</table>");
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
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

    /// A plan of `n` hand entries and one bulk clear of them all, with texts to escape.
    fn large_plan(n: usize) -> WorkPlan {
        use crate::model::columns::ListKind;
        use crate::review::plan::{PlanOptions, StepAction, StepRow};
        let change = |i: usize| Change {
            table: 0,
            row: i,
            column: 0,
            list: ListKind::Eleves,
            line: i + 2,
            nom: format!("DUPONT & FILS <{i}>").into(),
            prenom: "Zoé \"Léa\"".into(),
            landmark: "3A, né(e) le 01/02/2011".into(),
            column_title: "Identifiant CAS".into(),
            before: format!("zoe.dupont{i}").into(),
            after: format!("zoe.dupont{}", i + 1).into(),
            necessity: Necessity::AccessBlocked,
            why: "Identifiant CAS périmé : <b>aucun compte</b> de l'ENT ne le porte.".repeat(3),
            kind: None,
            steps: vec![1, i + 2],
        };
        let row = |i: usize| StepRow {
            change: i,
            value: format!("zoe.dupont{}", i + 1).into(),
            necessity: Necessity::AccessBlocked,
        };
        let step = |number: usize, bulk: bool, rows: Vec<StepRow>| Step {
            number,
            list: ListKind::Eleves,
            action: if bulk {
                StepAction::ClearCas
            } else {
                StepAction::SetCas
            },
            bulk,
            necessity: if number.is_multiple_of(2) {
                Necessity::AccessBlocked
            } else {
                Necessity::Optional
            },
            todo: format!("Ressources > Élèves : saisissez « zoe.dupont{number} » & validez."),
            rows,
            key: format!("{number:016x}").into(),
        };
        let mut steps = vec![step(1, true, (0..n).map(row).collect())];
        steps.extend((0..n).map(|i| step(i + 2, false, vec![row(i)])));
        WorkPlan {
            options: PlanOptions::default(),
            changes: (0..n).map(change).collect(),
            steps,
        }
    }

    #[test]
    fn the_page_written_as_it_is_made_is_the_page() {
        // Large enough to be handed over several times (a megabyte at a time).
        let plan = large_plan(6000);
        let whole = plan_html(&plan);
        assert!(whole.len() > 3 * SPILL_SIZE, "{}", whole.len());
        let mut written = Vec::new();
        write_plan_html(&plan, &mut written).unwrap();
        assert!(written == whole.as_bytes());
        assert!(whole.contains("DUPONT &amp; FILS &lt;5999&gt;"));
    }

    /// A writer that takes `room` bytes, then fails.
    struct Full {
        room: usize,
    }

    impl Write for Full {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            if bytes.len() > self.room {
                return Err(std::io::Error::other("disque plein"));
            }
            self.room -= bytes.len();
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_writer_that_fails_halfway_is_an_error() {
        let plan = large_plan(6000);
        let mut full = Full {
            room: 2 * SPILL_SIZE,
        };
        let error = write_plan_html(&plan, &mut full).unwrap_err();
        assert_eq!(error.to_string(), "disque plein");
    }

    proptest! {
        #[test]
        fn any_text_is_escaped_as_maud_escapes_it(text in "[a-zé&<>\"' ]{0,40}") {
            prop_assert_eq!(by_runs(&text), by_maud(&text));
        }

        /// Texts without `"` take the path that searches the three others with `memchr3`.
        #[test]
        fn a_text_without_quotes_is_escaped_as_maud_escapes_it(text in "[a-zé&<>' ]{0,300}") {
            prop_assert_eq!(by_runs(&text), by_maud(&text));
        }
    }
}
