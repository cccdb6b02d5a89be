"""Tests of the command line (studyml/cli)."""
