"""studyml.demos."""
