"""Training data for the topic model: labelled files, staff corrections, our own seed sentences."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.classifier import day_one, evaluate, learned, registry
from intake.classifier.tokenize import Prepared, prepare
from intake.models import Message, utcnow
from intake.services.console.tables import read_table
from intake.services.errors import InvalidInput

# A correction is one person's judgement on one real message: worth more than one line of a big file.
CORRECTION_WEIGHT = 5.0


class TrainingDataError(InvalidInput):
    pass


@dataclass
class Examples:
    texts: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def add(self, texts: list[str], labels: list[str], weight: float, source: str) -> None:
        self.texts += texts
        self.labels += labels
        self.weights += [weight] * len(texts)
        self.sources.append(f"{source} ({len(texts)})")

    @property
    def source(self) -> str:
        return " + ".join(self.sources)


def from_file(filename: str, data: bytes, text_col: str, label_col: str) -> tuple[list[str], list[str]]:
    rows = read_table(filename, data, max_lines=None)  # an operator's own file, maybe a city's years
    if rows and (text_col not in rows[0].values or label_col not in rows[0].values):
        raise TrainingDataError("training_columns", text_col=text_col, label_col=label_col)
    kept = [r for r in rows if r.values[text_col].strip() and r.values[label_col].strip()]
    if not kept:
        raise TrainingDataError("training_empty")
    return [r.values[text_col] for r in kept], [r.values[label_col].strip() for r in kept]


def from_db(session: Session) -> tuple[list[str], list[str]]:
    """Messages whose topic a staff member confirmed or corrected."""
    rows = session.execute(select(Message.text, Message.topic).where(Message.topic_confirmed.is_(True))).all()
    return [text for text, _ in rows], [topic for _, topic in rows]


def seed() -> tuple[list[str], list[str]]:
    """Our example sentences: every topic keeps a few examples even when the district has none yet."""
    rows = day_one._rows("examples.tsv")
    return [sentence for _, sentence in rows], [topic for topic, _ in rows]


def train_and_register(session: Session, examples: Examples, *, signing_key: bytes, activate: bool = True,
                       cv_folds: int | None = None, topics: tuple[str, ...] = ()):
    """Train, register and (unless told not to) activate a model; `topics` are the taxonomy's, so that those
    the examples lack are still answered by the day-one model."""
    if len(set(examples.labels)) < 2:
        raise TrainingDataError("training_labels")
    version = registry.new_version(utcnow())
    prepared = [prepare(t) for t in examples.texts]
    metrics = {"labels": {label: examples.labels.count(label) for label in sorted(set(examples.labels))}}
    if cv_folds:
        metrics["cross_validation"] = cross_validate(prepared, examples.labels, cv_folds, topics)
    model = learned.train(examples.texts, examples.labels, version=version, weights=examples.weights,
                          prepared=prepared, info={"source": examples.source}, topics=topics)
    row = registry.register(session, model, signing_key=signing_key, source=examples.source, examples=len(examples.texts), metrics=metrics,
                            activate=activate)
    return model, row


def cross_validate(prepared: list[Prepared], labels: list[str], folds: int, topics: tuple[str, ...] = ()) -> dict:
    """K-fold figures of the learned recipe, with its day-one backoff for the `topics` the data lacks."""
    def fit_predict(train_idx: list[int], test_idx: list[int]) -> list[str]:
        model = learned.train([], [labels[i] for i in train_idx], version="cv",
                              prepared=[prepared[i] for i in train_idx], topics=topics)
        return model.labels_for_prepared([prepared[i] for i in test_idx])

    return evaluate.cross_validate(prepared, labels, fit_predict, folds=folds)
