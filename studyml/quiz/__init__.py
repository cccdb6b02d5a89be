"""Quiz grading: a safe math parser, text normalisation and graders for the six item kinds."""
