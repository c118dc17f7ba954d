# Kỹ Năng Số defaults for every course; `kynangso course init` appends this file to the course's
# nbgrader_config.py, where a trainer may change any value.

# A cell of submitted code that runs longer than this stops the run (in the sandbox).
c.Execute.timeout = 30
c.GradeAnswers.timeout = 30
# Keep autograded notebooks (and the Formgrader pages built from them) small whatever a submission prints.
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 40
# The stub that replaces the model text of an open (hand-graded) answer in the released notebook.
c.ClearSolutions.text_stub = "Viết câu trả lời của anh/chị vào đây."
# Submissions that arrive as files (e.g. sent over Zalo): `kynangso exam import-zip` names each one
# "<learner id>__<exam>__<file name>" before handing them to nbgrader's zip_collect.
c.ZipCollectApp.collector_plugin = "nbgrader.plugins.zipcollect.FileNameCollectorPlugin"
c.FileNameCollectorPlugin.named_regexp = r".*?(?P<student_id>[a-z0-9-]+)__(?P<assignment_id>[a-z]+-[0-9])__(?P<file_id>[^/]+)$"
c.FileNameCollectorPlugin.valid_ext = [".ipynb", ".json"]
# nbgrader's release steps, except that a Kỹ Năng Số exam's answer lines are kept (they hold no solution).
c.GenerateAssignment.preprocessors = [
    "nbgrader.preprocessors.IncludeHeaderFooter",
    "nbgrader.preprocessors.InstantiateTests",
    "nbgrader.preprocessors.LockCells",
    "kynangso.grade.generate.ClearSolutionsKeepingAnswerLines",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.CheckCellMetadata",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.SaveCells",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.ClearMarkScheme",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.CheckCellMetadata",
]
# nbgrader's autograde steps, plus one that caps the size of each output (nbgrader counts lines only).
# Submitted code never runs outside the sandbox: a Kỹ Năng Số exam is graded from its answers as data, any other
# notebook runs in bubblewrap (kynangso.grade.preprocessors). `kynangso grade` follows the same steps, faster.
c.Autograde.autograde_preprocessors = [
    "kynangso.grade.preprocessors.GradeAnswers",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "kynangso.grade.limits.LimitOutputSize",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "kynangso.grade.preprocessors.RecordStatus",
    "nbgrader.preprocessors.CheckCellMetadata",
]
# Feedback never shows hidden tests, keys or rubrics, whether made by `kynangso feedback`,
# `nbgrader generate_feedback` or Formgrader's button.
c.GenerateFeedback.preprocessors = [
    "kynangso.grade.safe_feedback.HideTests",
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
