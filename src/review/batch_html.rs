//! The one-page report of a batch (`rapport.html`): totals, then per school a bar of its rows'
//! statuses, the schools with the most serious findings first, and links to each school's
//! files. Self-contained (no script, font or image from the network); built with `maud`, so
//! every name from the disk or the files is escaped by construction.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::batch::{NO_FINDING, SchoolSummary, Totals, totals};
use crate::model::findings::{FindingKind, Severity};

const STYLE: &str = "body{font-family:sans-serif;margin:1.5em;max-width:80em;color:#222}\
    h1{margin:.2em 0}table{border-collapse:collapse;margin:.5em 0 1em}\
    td,th{border:1px solid #bbb;padding:3px 6px;text-align:left;vertical-align:middle}\
    th{background:#eee}td.n{text-align:right}.ecoles td.barre{width:45%}\
    .bar{display:flex;height:1.1em;border:1px solid #888;background:#fff;min-width:12em}\
    .bar span{display:block;height:100%}.legende span.item{white-space:nowrap}\
    .legende span.c{display:inline-block;width:.9em;height:.9em;margin:0 .3em 0 .8em;\
    vertical-align:middle;border:1px solid #888}\
    .grave{color:#a00;font-weight:bold}.echec{background:#fde8e8}.totaux td{font-weight:bold}\
    @media print{.bar span{-webkit-print-color-adjust:exact;print-color-adjust:exact}}";

/// The colour of a row status in the bars: reds for errors, oranges for what to fix, greys and
/// blues for information, green for rows without findings.
fn colour(status: Option<FindingKind>) -> &'static str {
    let Some(kind) = status else {
        return "#4caf50";
    };
    match kind {
        FindingKind::CasSwapped => "#6a0000",
        FindingKind::CasSuspect => "#b71c1c",
        FindingKind::CasDuplicate => "#e53935",
        FindingKind::PronoteEntIdInvalid => "#f06292",
        FindingKind::CasStale => "#e65100",
        FindingKind::IdentityMismatch => "#fb8c00",
        FindingKind::AmbiguousMatch => "#8d6e63",
        FindingKind::CasToLink => "#fdd835",
        FindingKind::ParentAccessOff => "#ffb74d",
        FindingKind::BirthDateMissing => "#ce93d8",
        FindingKind::BirthDateInvalid => "#ab47bc",
        FindingKind::CasMissing => "#b0bec5",
        FindingKind::NoEntAccount => "#64b5f6",
        FindingKind::EntOrphan => "#90a4ae",
    }
}

/// The statuses in the order of [`SchoolSummary::statuses`]: every kind, then no finding.
fn statuses() -> impl Iterator<Item = Option<FindingKind>> {
    FindingKind::ALL.into_iter().map(Some).chain([None])
}

fn status_label(status: Option<FindingKind>) -> &'static str {
    status.map_or(NO_FINDING, FindingKind::status)
}

/// A path segment as a relative link (`%`-encoded: a folder name with `#`, `?` or a space
/// stays one segment).
fn link_segment(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn bar(school: &SchoolSummary) -> Markup {
    let counts = school.statuses();
    let rows: usize = counts.iter().sum();
    html! {
        div.bar role="img" aria-label={ "Statuts des lignes de " (school.name) } {
            @for (status, &n) in statuses().zip(&counts) {
                @if n > 0 {
                    @let width = n as f64 * 100.0 / rows.max(1) as f64;
                    span style={ "width:" (format!("{width:.3}")) "%;background:" (colour(status)) }
                        title={ (status_label(status)) " : " (n) } {}
                }
            }
        }
    }
}

fn totals_html(totals: &Totals) -> Markup {
    html! {
        table.totaux {
            tr {
                th { "Établissements" } th { "Non traités" } th { "Lignes PRONOTE" }
                th { "Erreurs" } th { "À corriger" } th { "Informations" }
                th { "Modifications proposées" }
            }
            tr {
                td.n { (totals.schools) }
                td.n { (totals.failed) }
                td.n { (totals.rows) }
                td.n.grave { (totals.errors) }
                td.n { (totals.warnings) }
                td.n { (totals.infos) }
                td.n { (totals.changes) }
            }
        }
        table {
            tr { th { "Constat" } th { "Gravité" } th { "Nombre" } }
            @for kind in FindingKind::ALL {
                @let n = totals.kinds.get(kind.code()).copied().unwrap_or(0);
                @if n > 0 {
                    tr {
                        td { (kind.status()) }
                        td { (kind.severity().label()) }
                        td.n { (n) }
                    }
                }
            }
        }
    }
}

/// The report page (UTF-8). `title` names the run (the département's folder); `links` are the
/// files of each school to link to, as (label, file name in the school's output folder).
pub fn batch_html(title: &str, schools: &[SchoolSummary], links: &[(&str, &str)]) -> String {
    let totals = totals(schools);
    let mut order: Vec<&SchoolSummary> = schools.iter().collect();
    // Schools not run first, then the most serious findings; by name among equals.
    order.sort_by(|a, b| {
        b.failed()
            .cmp(&a.failed())
            .then(b.errors().cmp(&a.errors()))
            .then(a.name.cmp(&b.name))
    });
    let page = html! {
        (DOCTYPE)
        html lang="fr" {
            head {
                meta charset="utf-8";
                title { "Vérification des identifiants CAS — " (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                h1 { "Vérification des identifiants CAS — " (title) }
                p {
                    (totals.schools) " établissement(s), dont " (totals.failed)
                    " non traité(s). Les établissements aux constats les plus graves (gravité « "
                    (Severity::Error.label()) " » : identifiant d'une autre personne, doublon…) "
                    "sont en tête."
                }
                (totals_html(&totals))
                h2 { "Par établissement" }
                p.legende {
                    "Chaque barre montre les lignes PRONOTE de l'établissement par statut :"
                    @for status in statuses() {
                        span.item {
                            span.c style={ "background:" (colour(status)) } {}
                            (status_label(status))
                        }
                    }
                }
                table.ecoles {
                    tr {
                        th { "Établissement" } th { "Lignes" } th { "Erreurs" }
                        th { "À corriger" } th { "Statuts" } th { "Fichiers" }
                    }
                    @for school in order {
                        @if let super::batch::SchoolOutcome::Failed { message } = &school.outcome {
                            tr.echec {
                                td { (school.name) }
                                td colspan="5" { "Non traité : " (message) }
                            }
                        } @else {
                            @let rows: usize = school.lists().iter()
                                .filter(|l| !l.is_ent()).map(|l| l.rows).sum();
                            @let warnings: usize = school.lists().iter().map(|l| l.warnings).sum();
                            tr {
                                td { (school.name) }
                                td.n { (rows) }
                                td.n.grave[school.errors() > 0] { (school.errors()) }
                                td.n { (warnings) }
                                td.barre { (bar(school)) }
                                td {
                                    @for (i, (label, file)) in links.iter().enumerate() {
                                        @if i > 0 { " · " }
                                        a href={ (link_segment(&school.name)) "/" (link_segment(file)) } {
                                            (label)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    let mut text = page.into_string();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_name_is_one_encoded_link_segment() {
        assert_eq!(link_segment("college-001"), "college-001");
        assert_eq!(link_segment("a b#?\"<"), "a%20b%23%3F%22%3C");
        assert_eq!(link_segment("Collège"), "Coll%C3%A8ge");
    }
}
