"""studyml.tui."""
