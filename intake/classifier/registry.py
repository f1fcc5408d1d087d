"""Versions of the learned model, kept in the database so every worker sees the same active one."""

from __future__ import annotations

import threading
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from intake.classifier import day_one
from intake.classifier.learned import SIGNED, LearnedModel, sign
from intake.classifier.taxonomy import Taxonomy
from intake.models import ClassifierModel

_lock = threading.Lock()
_loaded: dict[str, LearnedModel] = {}


def new_version(now: datetime) -> str:
    return now.strftime("m%Y%m%d-%H%M%S")


def register(session: Session, model: LearnedModel, *, signing_key: bytes, source: str, examples: int,
             metrics: dict, activate: bool = True) -> ClassifierModel:
    row = ClassifierModel(version=model.version, source=source[:300], examples=examples, metrics=metrics,
                          artifact=model.to_bytes(signing_key), active=False)
    session.add(row)
    session.flush()
    if activate:
        set_active(session, model.version)
    return row


def sign_unsigned(session: Session, signing_key: bytes) -> list[str]:
    """Sign the models stored before models were signed; the versions signed.

    Run once after upgrading, by someone who trusts what the table held until then."""
    signed = []
    for row in session.scalars(select(ClassifierModel).order_by(ClassifierModel.created_at)):
        if not row.artifact.startswith(SIGNED):
            row.artifact = sign(row.artifact, signing_key)
            signed.append(row.version)
    session.flush()
    return signed


def set_active(session: Session, version: str | None) -> None:
    """Make `version` the model in use; None goes back to the day-one model."""
    if version is not None and session.get(ClassifierModel, version) is None:
        raise LookupError(version)
    session.execute(update(ClassifierModel).values(active=False))
    if version is not None:
        session.execute(update(ClassifierModel).where(ClassifierModel.version == version).values(active=True))
    session.flush()


def rollback(session: Session) -> str | None:
    """Activate the version trained before the active one (or the day-one model); returns it."""
    current = session.scalar(select(ClassifierModel).where(ClassifierModel.active.is_(True)))
    if current is None:
        return None
    previous = session.scalar(
        select(ClassifierModel.version)
        .where(ClassifierModel.created_at < current.created_at)
        .order_by(ClassifierModel.created_at.desc())
    )
    set_active(session, previous)
    return previous


def versions(session: Session) -> list[ClassifierModel]:
    return list(session.scalars(select(ClassifierModel).order_by(ClassifierModel.created_at.desc())))


def load(session: Session, version: str, signing_key: bytes) -> LearnedModel:
    """The stored version; LookupError when there is none, ModelSignatureError when it is not ours."""
    with _lock:
        if version not in _loaded:
            row = session.get(ClassifierModel, version)
            if row is None:
                raise LookupError(version)
            _loaded.clear()  # keep one model in memory per process
            _loaded[version] = LearnedModel.from_bytes(row.artifact, signing_key)
        return _loaded[version]


def active(session: Session, taxonomy: Taxonomy, signing_key: bytes):
    """The model in use. One indexed query per call, so workers pick up a new model without a restart."""
    version = session.scalar(select(ClassifierModel.version).where(ClassifierModel.active.is_(True)))
    if version is None:
        return day_one.model(taxonomy.topics)
    return load(session, version, signing_key)
