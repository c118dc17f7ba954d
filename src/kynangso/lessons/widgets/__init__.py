"""Self-check widgets, one module per family: choice (single, multiple, true/false), ordering, matching, short answer."""

from kynangso.lessons.widgets.base import SelfCheck
from kynangso.lessons.widgets.choice import MultipleChoice, SingleChoice, TrueFalse
from kynangso.lessons.widgets.matching import Matching
from kynangso.lessons.widgets.ordering import OrderSteps
from kynangso.lessons.widgets.short_answer import ShortAnswer

__all__ = ["Matching", "MultipleChoice", "OrderSteps", "SelfCheck", "ShortAnswer", "SingleChoice", "TrueFalse"]
