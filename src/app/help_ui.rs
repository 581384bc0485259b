//! The help page: every status, and the FAQ's three cases.

use egui::RichText;

use crate::model::findings::FindingKind;

/// Shows the help page.
pub fn help_ui(ui: &mut egui::Ui) {
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.heading("Aide : statuts et cas de la FAQ");
        ui.label(
            "pronote-companion lit les listes exportées de PRONOTE (Ressources > Professeurs, \
             Élèves, Responsables, Personnels) et l'export des comptes de l'ENT. Pour chaque \
             ligne, il dit si l'identifiant CAS est juste et ce qu'il devrait être, avec les \
             preuves. Rien ne quitte cet ordinateur.",
        );
        ui.add_space(8.0);
        ui.label(RichText::new("Les statuts").strong());
        egui::Grid::new("statuts")
            .num_columns(3)
            .striped(true)
            .show(ui, |ui| {
                ui.label(RichText::new("Statut").strong());
                ui.label(RichText::new("Gravité").strong());
                ui.label(RichText::new("Que faire").strong());
                ui.end_row();
                ui.label("Lié");
                ui.label("—");
                ui.label(
                    "L'identifiant CAS est celui du compte ENT de la personne : rien à faire.",
                );
                ui.end_row();
                for kind in FindingKind::ALL {
                    ui.label(kind.status());
                    ui.label(kind.severity().label());
                    ui.add(egui::Label::new(kind.remedy()).wrap());
                    ui.end_row();
                }
            });
        ui.add_space(12.0);
        ui.label(RichText::new("A — « Identification impossible »").strong());
        ui.label(
            "L'ENT a transmis nom, prénom, date de naissance et code postal, et PRONOTE n'a \
             trouvé personne. Deux solutions : 1) corriger dans PRONOTE le nom, le prénom ou la \
             date de naissance pour qu'ils soient ceux de l'ENT ; 2) saisir à la main \
             l'identifiant ENT de la personne dans la colonne Identifiant CAS (il figure sur sa \
             fiche dans la console de l'ENT). L'assistant (Outils, Ctrl+I) retrouve la fiche à \
             partir de ce que la personne a vu à l'écran.",
        );
        ui.add_space(8.0);
        ui.label(RichText::new("B — L'identifiant ENT a changé").strong());
        ui.label(
            "Après une migration d'ENT ou la renumérotation d'homonymes (prenom.nom devient \
             prenom.nom2), l'identifiant CAS enregistré est périmé. Sélectionnez les lignes, clic \
             droit > Modifier la sélection > CAS et ENT > Supprimer l'identifiant CAS (ENT) : la \
             prochaine connexion depuis l'ENT le renseignera à nouveau. Ou remplacez-le par le \
             nouvel identifiant proposé.",
        );
        ui.add_space(8.0);
        ui.label(RichText::new("C — Des utilisateurs n'accèdent pas à leur espace").strong());
        ui.label(
            "1) Si tout un profil est touché (tous les parents, tous les élèves…), l'espace \
             n'est peut-être pas publié : dans la console d'hébergement PRONOTE.net, arrêtez la \
             publication, vérifiez que la case « Publier » de l'espace concerné (Espace Parents, \
             Espace Élèves…) est cochée, puis relancez la publication. Aucun export ne montre ce \
             réglage : il faut le vérifier dans la console.",
        );
        ui.label(
            "2) Si un seul parent est touché, ouvrez sa fiche (Ressources > Responsables) et \
             cochez « Accès à l'Espace Parents » pour chacun de ses enfants : c'est la colonne \
             Esp. Par. de la liste, signalée ici « Esp. Par. non coché ».",
        );
        ui.add_space(12.0);
        ui.label(RichText::new("Raccourcis").strong());
        for line in [
            "Ctrl+O : ouvrir des exports — Ctrl+S : enregistrer les listes corrigées",
            "Ctrl+A : tout sélectionner — clic, Ctrl+clic, Maj+clic : sélectionner",
            "Clic droit : Modifier la sélection — Suppr : supprimer l'identifiant CAS",
            "Ctrl+Z / Ctrl+Y : annuler / rétablir — Ctrl+T : tout extraire",
            "Double-clic sur un identifiant CAS : le modifier — Ctrl+I : assistant",
            "F3 : afficher ou masquer la fiche — F1 : cette aide",
        ] {
            ui.label(line);
        }
    });
}
