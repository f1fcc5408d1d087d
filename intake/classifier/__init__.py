"""Topic and handling-unit tagging of citizen messages."""

from intake.classifier.keywords import Prediction, classify, warm_up

__all__ = ["Prediction", "classify", "warm_up"]
