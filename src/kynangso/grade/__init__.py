"""Grading a course: sandboxed autograde with per-submission status, safe feedback and results tables."""
