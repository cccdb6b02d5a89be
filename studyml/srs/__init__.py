"""studyml.srs."""
