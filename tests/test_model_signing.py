"""Stored topic models are pickles, and loading a pickle runs code: only models signed with our key load.
An unsigned or altered model is refused with a clear error before anything in it runs."""

from __future__ import annotations

import io
import pickle
import zlib
from pathlib import Path

import joblib
import pytest
from sqlalchemy import select

from intake.classifier import learned, registry
from intake.config import Settings
from intake.models import ClassifierModel, Message, MessageStatus
from intake.services.topics import training
from tests.helpers import deputies, import_roster, report, slug_of, write_roster


class _Planted:
    """What an attacker with write access to the models table would store: unpickling creates a file."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def _trained(key: bytes) -> bytes:
    texts, labels = training.seed()
    return learned.train(texts, labels, version="m-signed").to_bytes(key)


def test_the_key_comes_from_the_environment_or_is_derived_from_the_secret_key(tmp_path):
    base = {"MASHANG_INSTANCE": str(tmp_path), "SECRET_KEY": "one"}
    derived = Settings.from_env(base).model_signing_key
    assert derived and derived != b"one"
    assert Settings.from_env({**base, "SECRET_KEY": "two"}).model_signing_key != derived
    assert Settings.from_env({**base, "MODEL_SIGNING_KEY": "models-key"}).model_signing_key == b"models-key"


def test_unsigned_altered_or_foreign_models_are_refused_before_they_are_unpickled(tmp_path):
    marker = tmp_path / "ran"
    key = b"our key"
    stored = _trained(key)
    assert learned.LearnedModel.from_bytes(stored, key).predict("公交车班次太少，晚上等不到车").topic == "交通运输"

    unsigned = zlib.compress(pickle.dumps(_Planted(marker)))  # how models were stored before signing
    with pytest.raises(learned.ModelSignatureError, match="没有签名"):
        learned.LearnedModel.from_bytes(unsigned, key)
    altered = bytearray(stored)
    altered[-100] ^= 0x01
    with pytest.raises(learned.ModelSignatureError, match="签名不符"):
        learned.LearnedModel.from_bytes(bytes(altered), key)
    with pytest.raises(learned.ModelSignatureError, match="签名不符"):
        learned.LearnedModel.from_bytes(stored, b"another key")
    # A payload swapped under a signature copied from a genuine model.
    swapped = stored[:len(learned.SIGNED) + 32] + zlib.compress(pickle.dumps(_Planted(marker)))
    with pytest.raises(learned.ModelSignatureError):
        learned.LearnedModel.from_bytes(swapped, key)
    assert not marker.exists()


def test_a_planted_model_is_refused_by_the_worker_and_the_cli(app, client, runtime, run_jobs, tmp_path):
    marker = tmp_path / "ran"
    buffer = io.BytesIO()
    joblib.dump(_Planted(marker), buffer)  # stored as models were before signing: zlib over joblib
    with runtime.sessions() as session, session.begin():
        session.add(ClassifierModel(version="m-planted", source="?", examples=0, metrics={},
                                    artifact=zlib.compress(buffer.getvalue()), active=True))
    import_roster(app, write_roster(tmp_path))
    report(client, slug_of(deputies(app)[0]), "幸福小区门口的路灯坏了一个月了")

    with pytest.raises(AssertionError, match="classify-1"):  # the tagging job failed
        run_jobs()
    with runtime.sessions() as session:
        assert session.scalar(select(Message.status)) == MessageStatus.RECEIVED  # waits, untagged
    refused = app.test_cli_runner().invoke(args=["classifier", "predict", "公交车班次太少", "--model", "active"])
    assert refused.exit_code == 1 and "没有签名，拒绝加载" in refused.output
    assert not marker.exists()

    # A model trained here is signed with the service's key and used by the worker.
    trained = app.test_cli_runner().invoke(args=["classifier", "train", "--from-db"])
    assert trained.exit_code == 0, trained.output
    with runtime.sessions() as session:
        row = session.scalar(select(ClassifierModel).where(ClassifierModel.active.is_(True)))
        assert row.artifact.startswith(learned.SIGNED)
        assert registry.active(session, runtime.taxonomy, runtime.settings.model_signing_key).version == row.version


def test_models_stored_before_signing_work_again_once_the_operator_signs_them(app, client, runtime, run_jobs,
                                                                              tmp_path):
    texts, labels = training.seed()
    version = f"m-legacy-{tmp_path.name}"  # loaded models are kept per version in this process
    legacy = learned.train(texts, labels, version=version)
    buffer = io.BytesIO()
    joblib.dump(legacy, buffer)
    with runtime.sessions() as session, session.begin():
        session.add(ClassifierModel(version=version, source="seed", examples=len(texts), metrics={},
                                    artifact=zlib.compress(buffer.getvalue()), active=True))
    cli = app.test_cli_runner()
    refused = cli.invoke(args=["classifier", "predict", "公交车班次太少"])
    assert refused.exit_code == 1 and "sign-unsigned" in refused.output

    assert cli.invoke(args=["classifier", "sign-unsigned"], input="n\n").exit_code == 1  # asks first
    signed = cli.invoke(args=["classifier", "sign-unsigned", "--yes"])
    assert signed.exit_code == 0 and version in signed.output
    assert "没有需要签名的模型" in cli.invoke(args=["classifier", "sign-unsigned", "--yes"]).output
    assert "交通运输" in cli.invoke(args=["classifier", "predict", "公交车班次太少"]).output

    import_roster(app, write_roster(tmp_path))
    report(client, slug_of(deputies(app)[0]), "23路公交车晚上八点就停运了，下夜班的人回不了家")
    run_jobs()
    with runtime.sessions() as session:
        assert session.scalar(select(Message.model_version)) == version
