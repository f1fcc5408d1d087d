"""Scores of a model on labelled messages: accuracy, macro-F1, per-label figures, confusion matrix."""

from __future__ import annotations

from collections.abc import Callable

from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold


def metrics(truth: list[str], predicted: list[str]) -> dict:
    labels = sorted(set(truth))
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=labels, zero_division=0
    )
    predicted_labels = labels + sorted(set(predicted) - set(labels))
    matrix = confusion_matrix(truth, predicted, labels=predicted_labels)
    return {
        "n": len(truth),
        "accuracy": round(float(accuracy_score(truth, predicted)), 4),
        # Macro-F1 over the labels the data has: a prediction outside them counts as a miss.
        "macro_f1": round(float(f1_score(truth, predicted, labels=labels, average="macro", zero_division=0)), 4),
        "per_label": {
            label: {"precision": round(float(p), 4), "recall": round(float(r), 4), "f1": round(float(f), 4),
                    "support": int(s)}
            for label, p, r, f, s in zip(labels, precision, recall, f1, support)
        },
        "confusion": {
            "labels": labels,
            "predicted": predicted_labels,
            "rows": [[int(x) for x in row] for row in matrix[: len(labels)]],
        },
    }


def confusion_table(result: dict) -> str:
    """The confusion matrix as text: rows are the true labels, columns (numbered) what the model said."""
    confusion = result["confusion"]
    columns = confusion["predicted"]
    lines = ["混淆矩阵（行：实际分类；列：模型判断，编号见下）", "      " + "".join(f"{i:>6}" for i in range(1, len(columns) + 1))]
    for index, (label, row) in enumerate(zip(confusion["labels"], confusion["rows"]), start=1):
        lines.append(f"{index:>6}" + "".join(f"{v:>6}" for v in row) + f"  {label}")
    lines.append("编号：" + "  ".join(f"{i}={name}" for i, name in enumerate(columns, start=1)))
    return "\n".join(lines)


def cross_validate(texts: list[str], labels: list[str], fit_predict: Callable[[list[int], list[int]], list[str]],
                   folds: int = 5, seed: int = 0) -> dict:
    """Stratified k-fold: every message is predicted by a model that never saw it."""
    predicted: list[str | None] = [None] * len(texts)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train_idx, test_idx in splitter.split(texts, labels):
        for i, label in zip(test_idx, fit_predict(list(train_idx), list(test_idx))):
            predicted[i] = label
    result = metrics(labels, predicted)
    result["folds"] = folds
    return result
