"""studyml.content."""
