//! The editor of an Identifiant CAS cell: opened by a double click or Enter, pre-filled with
//! the proposed login, Enter to confirm, Escape to cancel.

use egui::text::{CCursor, CCursorRange};

/// What the editor's user did this frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditorOutcome {
    /// Still typing.
    Editing,
    /// Enter: take the text.
    Commit,
    /// Escape: leave the cell as it was.
    Cancel,
}

/// The text field of the CAS cell being edited. On its first frame it takes the keyboard
/// with its whole text selected, so that typing replaces the proposal.
pub fn cas_editor_ui(ui: &mut egui::Ui, id: egui::Id, text: &mut String) -> EditorOutcome {
    // Drawn at the previous frame too: the editor was open already.
    let frame = ui.ctx().cumulative_frame_nr();
    let drawn_id = id.with("dessine");
    let last_drawn: Option<u64> = ui.data_mut(|d| {
        let last = d.get_temp(drawn_id);
        d.insert_temp(drawn_id, frame);
        last
    });
    let first_frame = last_drawn != Some(frame.wrapping_sub(1));
    let output = egui::TextEdit::singleline(text)
        .id(id)
        .desired_width(f32::INFINITY)
        .show(ui);
    let response = output
        .response
        .response
        .on_hover_text("Entrée pour valider, Échap pour annuler");
    if first_frame {
        response.request_focus();
        let mut state = output.state;
        state.cursor.set_char_range(Some(CCursorRange::two(
            CCursor::new(0),
            CCursor::new(text.chars().count()),
        )));
        state.store(ui.ctx(), id);
        return EditorOutcome::Editing;
    }
    if ui.input(|i| i.key_pressed(egui::Key::Enter)) {
        EditorOutcome::Commit
    } else if ui.input(|i| i.key_pressed(egui::Key::Escape)) || !response.has_focus() {
        EditorOutcome::Cancel
    } else {
        EditorOutcome::Editing
    }
}
