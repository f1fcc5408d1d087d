"""Train the reply check's learned level on the replies judged by reading, and compare it with the rules.

    .venv/bin/python -m bench.replies_train [--shared ../shared/data] [--write]

Training set: every judged reply of bench/replies_reference.json except the held-out third of "set_7"
(812 replies: items, fresh, held_out_3, held_out_4, held_out_5, all 150 of set_6 and set_7's other 160),
checked as `mashang replies check` checks a row. A reply the rules call boilerplate (acknowledgement,
forwarding, redirect, a copy) or too short stays 不充分 whatever a model says, so those are left out of the
fitting. Candidates: scikit-learn logistic regressions over intake.services.replies.learned.features
(standardised), one per regularisation C. Printed: each candidate's accuracy and the rules' when each of the
seven judged sets is left out in turn and the model is trained on the other six (the rules were tuned on the
first five sets: their figures there are optimistic; set_6's and set_7's are the fair comparison), then the
mean. The candidate with the best mean is trained on all of the training set; --write stores its numbers
(feature names, means, scales, classes, coefficients; no text) in intake/services/replies/level_model.json.

The held-out third of set_7 is neither read nor scored here: `python -m bench.replies` scores it.
"""

from __future__ import annotations

import argparse
import csv
import json
import warnings
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from intake.services.replies import asks, learned, scoring

REFERENCE = Path(__file__).resolve().parent / "replies_reference.json"
FILE = "messages-with-replies.csv"
SETS = ("items", "fresh", "held_out_3", "held_out_4", "held_out_5", "set_6", "set_7")
CANDIDATES = (0.01, 0.03, 0.1, 0.3, 1.0)


def training_items(reference: dict) -> list[tuple[str, dict]]:
    """(set, item) of every judged reply the model may learn from: all but set_7's held-out third."""
    return [(key, item) for key in SETS for item in reference[key] if not item.get("held_out") or key != "set_7"]


def read(row: dict) -> tuple[dict[str, float] | None, str]:
    """The reply's signals (None when the rules call it boilerplate or too short) and the rules' level."""
    asked = f"{row['subject']}。{row['detail']}"
    body = scoring.read_substance(row["reply"])
    check = scoring.check(scoring.question_points(row["detail"], row["subject"]), row["reply"], asked=asked,
                          guessed=True, body=body, rules_only=True)
    if check.boilerplate or asks.cjk("".join(body.sentences)) < scoring.MIN_SUBSTANCE_CHARS:
        return None, check.level
    return scoring.signals(asked, row["reply"], body, check.level, check.answers, check.concrete), check.level


def fit(X: np.ndarray, levels: np.ndarray, c: float) -> tuple[StandardScaler, LogisticRegression]:
    scaler = StandardScaler().fit(X)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return scaler, LogisticRegression(C=c, max_iter=5000).fit(scaler.transform(X), levels)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--write", action="store_true", help="store the chosen model in level_model.json")
    args = parser.parse_args(argv)
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    with (args.shared / FILE).open(encoding="utf-8", newline="") as handle:
        rows = {row["id"]: row for row in csv.DictReader(handle)}

    judged = training_items(reference)
    read_rows = [read(rows[str(item["id"])]) for _, item in judged]
    names = list(next(found for found, _ in read_rows if found is not None))
    fixed = np.array([found is None for found, _ in read_rows])
    X = np.array([[found[n] for n in names] if found is not None else [0.0] * len(names) for found, _ in read_rows])
    rules = np.array([rule for _, rule in read_rows])
    levels = np.array([item["level"] for _, item in judged])
    sets = np.array([key for key, _ in judged])
    print(f"training set: {len(levels)} judged replies ({int(fixed.sum())} boilerplate or too short, 不充分 by rule)")

    print(f"each set left out in turn, trained on the other {len(SETS) - 1}: accuracy on the set left out")
    print("  " + " ".join(f"{key:>10s}" for key in SETS) + "       mean")
    scores = {}
    for name, c in [("rules", None)] + [(f"C={c}", c) for c in CANDIDATES]:
        accuracies = []
        for key in SETS:
            test, train = sets == key, (sets != key) & ~fixed
            if c is None:
                predicted = rules[test]
            else:
                scaler, model = fit(X[train], levels[train], c)
                predicted = np.where(fixed[test], "不充分", model.predict(scaler.transform(X[test])))
            accuracies.append(float((predicted == levels[test]).mean()))
        scores[c] = float(np.mean(accuracies))
        print(f"  {name:8s}" + " ".join(f"{a:10.3f}" for a in accuracies) + f"  {scores[c]:.3f}")

    best = max(CANDIDATES, key=lambda c: scores[c])
    scaler, model = fit(X[~fixed], levels[~fixed], best)
    fitted = np.where(fixed, "不充分", model.predict(scaler.transform(X)))
    print(f"chosen: C={best} (best mean); trained on {int((~fixed).sum())} replies; "
          f"training accuracy {float((fitted == levels).mean()):.3f}")
    stored = {"about": f"Logistic regression (C={best}) over intake.services.replies.learned.features, trained by "
                       f"bench/replies_train.py on {int((~fixed).sum())} judged replies of "
                       "bench/replies_reference.json (all but set_7's held-out third, boilerplate left out). "
                       "Numbers only.",
              "features": names, "mean": scaler.mean_.round(6).tolist(), "scale": scaler.scale_.round(6).tolist(),
              "classes": model.classes_.tolist(), "coef": model.coef_.round(6).tolist(),
              "intercept": model.intercept_.round(6).tolist()}
    agree = sum(learned.level(dict(zip(names, x)), stored) == p
                for x, p in zip(X[~fixed], model.predict(scaler.transform(X[~fixed]))))
    print(f"the stored numbers give sklearn's level on {agree}/{int((~fixed).sum())} training replies")
    if args.write:
        learned.MODEL.write_text(json.dumps(stored, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"written: {learned.MODEL}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
