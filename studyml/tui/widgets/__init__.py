"""studyml.tui.widgets."""
