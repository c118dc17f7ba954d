"""Certification exams: question bank -> nbgrader source notebooks, per-learner variants, hidden-test graders."""
