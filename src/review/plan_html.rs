//! The plan as a printable HTML page: bulk actions first, then the hand entries per list, the
//! optional ones last and collapsed. One checkbox per step, to tick on paper.

use super::plan::{Change, Step, WorkPlan};

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

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

fn necessity_class(step: &Step) -> &'static str {
    match step.necessity {
        super::plan::Necessity::Security => "securite",
        super::plan::Necessity::AccessBlocked => "bloque",
        super::plan::Necessity::Optional => "facultatif",
    }
}

/// The plan as a printable HTML page (UTF-8).
pub fn plan_html(plan: &WorkPlan) -> String {
    let counts = plan.counts();
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">\
         <title>À faire dans PRONOTE</title><style>{STYLE}</style></head><body>\n\
         <h1>À faire dans PRONOTE</h1>\n<p><strong>{}</strong> ({} étape(s) en tout, dont {} \
         indispensable(s)).</p>\n<p class=\"mode\">{}</p>\n\
         <p>Faites les étapes dans l'ordre : les suppressions groupées d'abord (PRONOTE refuse un \
         identifiant CAS qu'une autre ligne porte encore), puis les saisies. Les mots de passe ne \
         figurent jamais dans cette liste.</p>\n",
        escape(&counts.summary()),
        counts.total(),
        counts.necessary(),
        escape(plan.options.mode.statement())
    );
    if plan.is_empty() {
        html.push_str("<p>Aucune modification.</p>\n</body></html>\n");
        return html;
    }
    let bulk: Vec<&Step> = plan.steps.iter().filter(|s| s.bulk).collect();
    if !bulk.is_empty() {
        html.push_str("<h2>Actions groupées</h2>\n");
        for step in bulk {
            bulk_step_html(&mut html, plan, step);
        }
    }
    let required: Vec<&Step> = plan
        .steps
        .iter()
        .filter(|s| !s.bulk && s.necessity.is_required())
        .collect();
    if !required.is_empty() {
        html.push_str("<h2>Saisies indispensables</h2>\n");
        hand_steps_html(&mut html, plan, &required);
    }
    let optional: Vec<&Step> = plan
        .steps
        .iter()
        .filter(|s| !s.bulk && !s.necessity.is_required())
        .collect();
    if !optional.is_empty() {
        html.push_str(&format!(
            "<h2>Saisies facultatives</h2>\n<details><summary>{} saisie(s) facultative(s) : \
             PRONOTE les fera seul à la première connexion depuis l'ENT (cliquer pour les \
             afficher)</summary>\n",
            optional.len()
        ));
        hand_steps_html(&mut html, plan, &optional);
        html.push_str("</details>\n");
    }
    html.push_str("</body></html>\n");
    html
}

fn person_cells(change: &Change) -> String {
    format!(
        "<td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
        change.line,
        escape(&change.nom),
        escape(&change.prenom),
        escape(&change.landmark)
    )
}

fn bulk_step_html(html: &mut String, plan: &WorkPlan, step: &Step) {
    html.push_str(&format!(
        "<h3>☐ Étape {} — {} — {} ({} ligne(s)) <span class=\"{}\">{}</span></h3>\n\
         <p class=\"todo\">{}</p>\n<table><tr><th class=\"done\">Fait</th><th>Ligne</th>\
         <th>Nom</th><th>Prénom</th><th>Classe ou enfants</th><th>Identifiant à supprimer</th>\
         <th>Nécessité</th><th>Pourquoi</th></tr>\n",
        step.number,
        escape(step.list.label()),
        escape(step.action.label()),
        step.rows.len(),
        necessity_class(step),
        escape(step.necessity.label()),
        escape(&step.todo)
    ));
    for row in &step.rows {
        let Some(change) = plan.changes.get(row.change) else {
            continue;
        };
        html.push_str(&format!(
            "<tr><td class=\"done\">☐</td>{}<td>{}</td><td>{}</td><td>{}</td></tr>\n",
            person_cells(change),
            escape(&change.before),
            escape(row.necessity.label()),
            escape(&change.why)
        ));
    }
    html.push_str("</table>\n");
}

fn hand_steps_html(html: &mut String, plan: &WorkPlan, steps: &[&Step]) {
    let mut lists: Vec<_> = steps.iter().map(|s| s.list).collect();
    lists.dedup();
    for list in lists {
        let of_list: Vec<&&Step> = steps.iter().filter(|s| s.list == list).collect();
        html.push_str(&format!(
            "<h3>{} ({} saisie(s))</h3>\n<table><tr><th class=\"done\">Fait</th>\
             <th class=\"num\">Étape</th><th>Ligne</th><th>Nom</th><th>Prénom</th>\
             <th>Classe ou enfants</th><th>À faire dans PRONOTE</th><th>Pourquoi</th></tr>\n",
            escape(list.menu_path()),
            of_list.len()
        ));
        for step in of_list {
            let Some(change) = step.rows.first().and_then(|r| plan.changes.get(r.change)) else {
                continue;
            };
            html.push_str(&format!(
                "<tr><td class=\"done\">☐</td><td class=\"num\">{}</td>{}<td><strong>{}</strong> : \
                 {}<br><span class=\"{}\">{}</span></td><td>{}</td></tr>\n",
                step.number,
                person_cells(change),
                escape(step.action.label()),
                escape(&step.todo),
                necessity_class(step),
                escape(step.necessity.label()),
                escape(&change.why)
            ));
        }
        html.push_str("</table>\n");
    }
}
