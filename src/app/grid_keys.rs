//! The keyboard in a list, as in a spreadsheet: arrows, Page Up/Down, Home/End move the row
//! cursor, Shift extends the selection, Ctrl moves the cursor alone, Space toggles the cursor's
//! row, Enter edits its Identifiant CAS.

use egui::{Key, Modifiers};

use super::view::TableView;

/// Where a key takes the cursor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Motion {
    /// This many rows down (up when negative).
    By(isize),
    /// This many pages down (up when negative).
    Pages(isize),
    /// The first row.
    First,
    /// The last row.
    Last,
}

/// What a key asks of the grid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GridKey {
    /// Move the cursor; with `extend`, the selection runs from the anchor to the cursor.
    Move {
        /// Where to.
        motion: Motion,
        /// Shift held.
        extend: bool,
    },
    /// Ctrl+arrow: move the cursor and leave the selection as it is (Space then toggles).
    MoveCursor(Motion),
    /// Left or right arrow: scroll sideways by a column (-1 left, 1 right).
    Sideways(i8),
    /// Space: add the cursor's row to the selection, or take it out.
    Toggle,
    /// Enter: edit the cursor's Identifiant CAS.
    Edit,
}

/// The keys of the grid pressed this frame, consumed so that nothing else acts on them. Call
/// it only when no text field has the keyboard and no dialog is open.
pub fn read_grid_keys(ctx: &egui::Context) -> Vec<GridKey> {
    let bindings = [
        (Key::ArrowDown, Motion::By(1)),
        (Key::ArrowUp, Motion::By(-1)),
        (Key::PageDown, Motion::Pages(1)),
        (Key::PageUp, Motion::Pages(-1)),
        (Key::Home, Motion::First),
        (Key::End, Motion::Last),
    ];
    let mut keys = Vec::new();
    ctx.input_mut(|input| {
        for (key, motion) in bindings {
            for (modifiers, extend) in [(Modifiers::SHIFT, true), (Modifiers::NONE, false)] {
                let count = input.count_and_consume_key(modifiers, key);
                keys.extend(std::iter::repeat_n(GridKey::Move { motion, extend }, count));
            }
            // Ctrl+Home / Ctrl+End as in a spreadsheet; Ctrl+arrow moves the cursor alone.
            let count = input.count_and_consume_key(Modifiers::COMMAND, key);
            let key = if matches!(motion, Motion::First | Motion::Last) {
                GridKey::Move {
                    motion,
                    extend: false,
                }
            } else {
                GridKey::MoveCursor(motion)
            };
            keys.extend(std::iter::repeat_n(key, count));
        }
        for (key, step) in [(Key::ArrowLeft, -1), (Key::ArrowRight, 1)] {
            let count = input.count_and_consume_key(Modifiers::NONE, key);
            keys.extend(std::iter::repeat_n(GridKey::Sideways(step), count));
        }
        if input.consume_key(Modifiers::NONE, Key::Space) {
            keys.push(GridKey::Toggle);
        }
        if input.consume_key(Modifiers::NONE, Key::Enter)
            || input.consume_key(Modifiers::NONE, Key::F2)
        {
            keys.push(GridKey::Edit);
        }
    });
    keys
}

impl TableView {
    /// Moves the row cursor (the row in the fiche) over the visible rows; `page` rows make a
    /// page. Without `extend`, the cursor's row alone is selected; with it, the rows from the
    /// anchor to the cursor. The row is brought into view. Returns the new cursor.
    pub fn move_cursor(&mut self, motion: Motion, extend: bool, page: usize) -> Option<usize> {
        let visible = self.visible_cached();
        let last = visible.len().checked_sub(1)?;
        let current = self
            .focused
            .and_then(|row| visible.iter().position(|&r| r == row));
        let page = page.max(1) as isize;
        let target = match (motion, current) {
            (Motion::First, _) => 0,
            (Motion::Last, _) => last,
            // No cursor yet: the first key lands on the first (or last) row.
            (Motion::By(n) | Motion::Pages(n), None) => {
                if n < 0 {
                    last
                } else {
                    0
                }
            }
            (Motion::By(n), Some(at)) => at.saturating_add_signed(n).min(last),
            (Motion::Pages(n), Some(at)) => at.saturating_add_signed(n * page).min(last),
        };
        let row = visible[target];
        if extend {
            let anchor = self.anchor.or(self.focused).unwrap_or(row);
            self.anchor = Some(anchor);
            self.click(row, false, true);
        } else {
            self.click(row, false, false);
        }
        self.reveal = Some(row);
        Some(row)
    }

    /// Ctrl+arrow: the cursor moves, the selection stays.
    pub fn move_cursor_alone(&mut self, motion: Motion, page: usize) {
        let selection = std::mem::take(&mut self.selection);
        let anchor = self.anchor;
        let _ = self.move_cursor(motion, false, page);
        self.selection = selection;
        self.anchor = anchor;
    }

    /// Space: the cursor's row joins the selection, or leaves it.
    pub fn toggle_cursor(&mut self) {
        if let Some(row) = self.focused {
            if !self.selection.remove(&row) {
                self.selection.insert(row);
            }
            self.anchor = Some(row);
        }
    }
}

/// The modifiers held when the pointer button was released this frame (a click's own, even if
/// they were let go in the same frame), else the current ones.
pub fn click_modifiers(ctx: &egui::Context) -> Modifiers {
    ctx.input(|i| {
        i.events
            .iter()
            .rev()
            .find_map(|event| match event {
                egui::Event::PointerButton {
                    pressed: false,
                    modifiers,
                    ..
                } => Some(*modifiers),
                _ => None,
            })
            .unwrap_or(i.modifiers)
    })
}
