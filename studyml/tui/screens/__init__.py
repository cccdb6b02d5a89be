"""studyml.tui.screens."""
