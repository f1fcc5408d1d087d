"""The learned model: word and character n-grams of jieba tokens, and characters of the message's opening,
into a calibrated linear SVM."""

from __future__ import annotations

import hashlib
import hmac
import io
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import chain
from types import SimpleNamespace

import joblib
import numpy as np
from scipy import sparse
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l1, inplace_csr_row_normalize_l2

from intake.classifier import day_one, features
from intake.classifier.prediction import Prediction, from_scores
from intake.classifier.tokenize import Prepared, prepare


# A topic the training data lacks (a district's files hold 7 of the 15) is still answered by the day-one
# model, when it is at least this sure of it (a message it is this sure of is about that topic) and surer
# than the learned model of its own answer.
BACKOFF_CONFIDENCE = 0.85

# A stored model is a pickle, and loading a pickle runs code: only bytes signed with our key are loaded.
SIGNED = b"mashang-model/hmac-sha256\n"
_DIGEST = hashlib.sha256().digest_size
# Words whose character n-gram columns a loaded model keeps (a district's messages use far fewer).
WORD_COLUMNS_KEPT = 200_000


class ModelSignatureError(ValueError):
    """Stored model bytes without our signature, or altered since they were signed."""


def _signature(key: bytes, payload: bytes) -> bytes:
    return hmac.new(key, payload, hashlib.sha256).digest()


def sign(payload: bytes, key: bytes) -> bytes:
    """Signed model bytes from a stored payload (zlib over joblib), without loading it."""
    return SIGNED + _signature(key, payload) + payload


def _vectorizers() -> list[TfidfVectorizer]:
    return [
        # Words and word pairs from jieba.
        TfidfVectorizer(analyzer=features.words_and_pairs, min_df=2, sublinear_tf=True, dtype=np.float32),
        # Character n-grams catch words jieba splits differently and place names it does not know.
        TfidfVectorizer(analyzer=features.word_characters, min_df=2, sublinear_tf=True, dtype=np.float32),
        # The opening says what the message is about more often than the rest does (5-fold macro-F1 on the
        # shared data: 0.918 without this block, 0.930 with it).
        TfidfVectorizer(analyzer=features.opening_characters, sublinear_tf=True, dtype=np.float32),
    ]


class _Scorer:
    """The calibrated probabilities of one prepared message, as `classifier.predict_proba` of the vectorizers'
    `transform` gives them, without scikit-learn's checks of every input: those took two thirds of a
    one-message prediction. The same arithmetic, in the same order and precision, on the fitted vocabularies,
    idf weights, coefficients and calibrators (the tests compare the two on every labelled message)."""

    _NORMALIZE = {"l1": inplace_csr_row_normalize_l1, "l2": inplace_csr_row_normalize_l2}

    def __init__(self, vectorizers: list[TfidfVectorizer], classifier: CalibratedClassifierCV) -> None:
        self.blocks = []
        offset, word_characters = 0, None
        for vectorizer in vectorizers:
            # Stored models before openings were read take token strings (see LearnedModel._features).
            columns_of, of_word = self._columns_of(vectorizer)
            word_characters = word_characters or of_word
            self.blocks.append((columns_of, vectorizer.vocabulary_, vectorizer, offset))
            offset += len(vectorizer.vocabulary_)
        self.width = offset
        if word_characters is not None:
            # The words the model knows are looked up now rather than in the first messages using them.
            for vectorizer in vectorizers:
                if vectorizer.analyzer is features.words_and_pairs:
                    for feature in vectorizer.vocabulary_:
                        if " " not in feature:
                            word_characters(feature)
        self.classes = classifier.classes_
        self.members = []
        for member in classifier.calibrated_classifiers_:
            estimator = member.estimator
            # One row per feature, contiguous: a message gathers the rows of its features.
            self.members.append((np.ascontiguousarray(estimator.coef_.T), estimator.intercept_,
                                 np.searchsorted(self.classes, estimator.classes_),
                                 [(calibrator.a_, calibrator.b_) for calibrator in member.calibrators]))

    @staticmethod
    def _columns_of(vectorizer: TfidfVectorizer
                    ) -> tuple[Callable[[Prepared], np.ndarray], Callable[[str], tuple[int, ...]] | None]:
        """How a message's features become the block's column numbers (one per occurrence), and for the
        character n-gram block the cached look-up of one word's columns (None for the other blocks)."""
        vocabulary = vectorizer.vocabulary_
        if vectorizer.analyzer is features.word_characters and vectorizer.input == "content":
            # A word's character n-grams, as columns, depend on the word alone and words recur: each word is
            # looked up once, not each of its some ten n-grams in every message.
            @lru_cache(maxsize=WORD_COLUMNS_KEPT)
            def of_word(word: str) -> tuple[int, ...]:
                return tuple(vocabulary[gram] for gram in features.padded_ngrams(word) if gram in vocabulary)

            def character_columns(prepared: Prepared) -> np.ndarray:
                return np.fromiter(chain.from_iterable(map(of_word, prepared.words.split())), np.int32)

            return character_columns, of_word
        if vectorizer.analyzer is features.words_and_pairs and vectorizer.input == "content":
            # A word pair's column is found among its first word's pairs, without writing the pair out.
            single, following = {}, {}
            for feature, column in vocabulary.items():
                first, pair, second = feature.partition(" ")
                if pair:
                    following.setdefault(first, {})[second] = column
                else:
                    single[feature] = column

            def word_columns(prepared: Prepared) -> np.ndarray:
                words = prepared.words.split()
                found = [column for column in map(single.get, words) if column is not None]
                for first, second in zip(words, words[1:]):
                    column = following.get(first, {}).get(second)
                    if column is not None:
                        found.append(column)
                return np.array(found, dtype=np.int32)

            return word_columns, None
        # Stored models before openings were read take token strings (see LearnedModel._features).
        takes_prepared, analyze = callable(vectorizer.analyzer), vectorizer.build_analyzer()
        if takes_prepared and vectorizer.input == "content":
            analyze = vectorizer.analyzer  # scikit-learn's wrapper only hands a message's text on as it is

        def columns(prepared: Prepared) -> np.ndarray:
            found = [column for column in map(vocabulary.get, analyze(prepared if takes_prepared else prepared.words))
                     if column is not None]  # the vocabulary lacks the others
            return np.array(found, dtype=np.int32)

        return columns, None

    def _row(self, prepared: Prepared) -> tuple[np.ndarray, np.ndarray]:
        """The message's features: column numbers, in order, and their tf-idf values."""
        columns, values = [], []
        for columns_of, vocabulary, vectorizer, offset in self.blocks:
            indices, counts = np.unique(columns_of(prepared), return_counts=True)
            data = (np.ones(len(indices)) if vectorizer.binary else counts).astype(vectorizer.dtype)
            transformer = vectorizer._tfidf
            if transformer.sublinear_tf:
                np.log(data, data)
                data += 1.0
            if hasattr(transformer, "idf_"):
                data *= transformer.idf_[indices]
            if transformer.norm is not None:
                self._NORMALIZE[transformer.norm](SimpleNamespace(
                    data=data, indices=indices, indptr=np.array([0, len(indices)], dtype=np.int32),
                    shape=(1, len(vocabulary))))
            columns.append(indices + offset)
            values.append(data)
        return np.concatenate(columns), np.concatenate(values).astype(np.float64)

    def probabilities(self, prepared: Prepared) -> np.ndarray:
        columns, values = self._row(prepared)
        mean = np.zeros(len(self.classes))
        for coefficients, intercept, class_indices, calibrators in self.members:
            # Summed in column order, as scipy multiplies a sparse row by a dense matrix.
            products = values[:, None] * coefficients[columns]
            decision = (products.cumsum(axis=0)[-1] if len(columns) else np.zeros(coefficients.shape[1])) + intercept
            probabilities = np.zeros(len(self.classes))
            if len(self.classes) == 2:
                a, b = calibrators[0]
                probabilities[1] = expit(-(a * decision[0] + b))
                probabilities[0] = 1.0 - probabilities[1]
            else:
                for index, score, (a, b) in zip(class_indices, decision, calibrators):
                    probabilities[index] = expit(-(a * score + b))
                total = np.sum(probabilities)
                probabilities = probabilities / total if total != 0 else np.full_like(probabilities, 1 / len(self.classes))
            probabilities[(1.0 < probabilities) & (probabilities <= 1.0 + 1e-5)] = 1.0
            mean += probabilities
        mean /= len(self.members)
        return mean


@dataclass
class LearnedModel:
    version: str
    vectorizers: list[TfidfVectorizer]
    classifier: CalibratedClassifierCV
    info: dict = field(default_factory=dict)

    @property
    def labels(self) -> list[str]:
        return list(self.classifier.classes_)

    def _features(self, prepared: list[Prepared]):
        # A model stored before openings were read takes token strings, so rolling back to it still works.
        return sparse.hstack([v.transform(prepared if callable(v.analyzer) else [p.words for p in prepared])
                              for v in self.vectorizers]).tocsr()

    def predict_many(self, texts: list[str]) -> list[Prediction]:
        if not texts:
            return []
        prepared = [prepare(t) for t in texts]
        return self._predictions(self._probabilities(prepared), texts, prepared)

    def _probabilities(self, prepared: list[Prepared]):
        """scikit-learn's checks cost little per row in a batch, the scorer's per-row work more: each where it
        is faster (the two agree bitwise)."""
        if len(prepared) == 1:
            return [self.scorer.probabilities(prepared[0])]
        return self.classifier.predict_proba(self._features(prepared))

    @cached_property
    def scorer(self) -> _Scorer:
        return _Scorer(self.vectorizers, self.classifier)

    def __getstate__(self) -> dict:
        # The scorer is rebuilt from the fitted parts: never stored with them.
        state = dict(self.__dict__)
        state.pop("scorer", None)
        return state

    def _predictions(self, probabilities, texts: list[str], prepared: list[Prepared] | None = None) -> list[Prediction]:
        labels = self.labels
        learned = [from_scores(dict(zip(labels, map(float, row))), self.version) for row in probabilities]
        backoff = self.info.get("backoff")
        if not backoff:
            return learned
        lacking, fallback = set(backoff["lacking"]), day_one.model(tuple(backoff["topics"]))
        chosen = []
        for i, (text, prediction) in enumerate(zip(texts, learned)):
            known = prepared[i].tokens if prepared else None
            other = fallback.predict(text) if known is None else fallback.predict_words(known)
            if other.topic in lacking and other.confidence >= max(BACKOFF_CONFIDENCE, prediction.confidence):
                prediction = Prediction(other.topic, other.confidence, self.version, other.ranked)
            chosen.append(prediction)
        return chosen

    def labels_for_prepared(self, prepared: list[Prepared]) -> list[str]:
        if not self.info.get("backoff"):
            return list(self.classifier.predict(self._features(prepared)))
        return [p.topic for p in self._predictions(self._probabilities(prepared), [p.words for p in prepared])]

    def predict(self, text: str) -> Prediction:
        return self.predict_many([text])[0]

    def to_bytes(self, key: bytes) -> bytes:
        out = io.BytesIO()
        joblib.dump(self, out)
        return sign(zlib.compress(out.getvalue(), 6), key)

    @staticmethod
    def from_bytes(data: bytes, key: bytes) -> "LearnedModel":
        """Load signed model bytes; ModelSignatureError, before anything is unpickled, for any others."""
        if not data.startswith(SIGNED):
            raise ModelSignatureError("模型没有签名，拒绝加载（请重新训练；升级前存下的模型可用 "
                                      "mashang classifier sign-unsigned 补签）。")
        signature, payload = data[len(SIGNED):len(SIGNED) + _DIGEST], data[len(SIGNED) + _DIGEST:]
        if not hmac.compare_digest(signature, _signature(key, payload)):
            raise ModelSignatureError("模型签名不符，拒绝加载：模型被改动过，或由另一个 MODEL_SIGNING_KEY 签名。")
        return joblib.load(io.BytesIO(zlib.decompress(payload)))


def train(texts: list[str], labels: list[str], *, version: str, weights: list[float] | None = None,
          prepared: list[Prepared] | None = None, info: dict | None = None,
          topics: tuple[str, ...] = ()) -> LearnedModel:
    """Fit on raw texts (or already prepared ones); every label needs at least three examples. Of `topics`
    (the taxonomy's), those without examples are left to the day-one model."""
    prepared = prepared if prepared is not None else [prepare(t) for t in texts]
    vectorizers = _vectorizers()
    features = sparse.hstack([v.fit_transform(prepared) for v in vectorizers]).tocsr()
    counts = {label: labels.count(label) for label in set(labels)}
    folds = max(2, min(3, min(counts.values())))
    classifier = CalibratedClassifierCV(
        LinearSVC(C=1.0, class_weight="balanced"), method="sigmoid", cv=folds, ensemble=False
    )
    classifier.fit(features, labels, sample_weight=np.asarray(weights) if weights is not None else None)
    info = dict(info or {})
    lacking = [topic for topic in topics if topic not in counts]
    if lacking:
        info["backoff"] = {"topics": list(topics), "lacking": lacking}
    return LearnedModel(version, vectorizers, classifier, info)
