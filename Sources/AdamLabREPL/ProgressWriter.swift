// Saving the learner's progress after every action, as lesson mode and the drill both do.

import AdamLabLessons
import AdamLabRender
import Foundation

/// Writes progress to its store after each action; a failure is said once (not after every action)
/// until a save succeeds again.
struct ProgressWriter {
    let store: ProgressStore?
    /// What is saved, as the warning names it ("progress", "drill history").
    let what: String
    private var unsaved: String?

    init(store: ProgressStore?, what: String) {
        self.store = store
        self.what = what
    }

    mutating func save(_ progress: LearnerProgress, terminal: TerminalOutput) {
        guard let store else { return }
        do {
            try store.save(progress)
            unsaved = nil
        } catch {
            let reason = (error as? LocalizedError)?.errorDescription ?? "\(error)"
            if reason != unsaved { terminal.write(terminal.style.bad("warning: ") + "\(what) not saved: \(reason)") }
            unsaved = reason
        }
    }
}
