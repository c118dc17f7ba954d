"""The exam room: learners take nbgrader exams on their phones through a small web app on the trainer's laptop.

nbgrader stays the judge: the room writes each submission as the released exam notebook with the answer cells
filled in, under ``submitted/<learner>/<exam>/``, exactly where ``nbgrader collect`` would put it. The room never
reads the answer keys.

Room data lives in ``<course>/exam_room/`` (sign-in codes stored hashed, open exams, every learner's saved
answers, earlier submissions).
"""

ROOM_DIR = "exam_room"
