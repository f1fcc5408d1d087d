"""Tagging a message cuts it once for the topic model and the grouping terms, and still cuts it as jieba does:
the same words, tags, terms and topics as before, only sooner."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from bot import tokenizer
from intake.classifier import day_one, learned, taxonomy
from intake.classifier.tokenize import prepare
from intake.services.privacy import masking
from tests.conftest import SHARED_DATA

MESSAGES = SHARED_DATA / "messages-with-replies.csv"
LABELLED = SHARED_DATA / "labelled-dev.csv"


def _jieba_cuts(text: str) -> tuple[list[str], list[tuple[str, str]]]:
    """jieba's own cut and part-of-speech cut, on the very dictionary our tokenizer uses."""
    return (tokenizer._tokenizer().lcut(text),
            [(pair.word, pair.flag) for pair in tokenizer._tagger().lcut(text)])


def _ours(text: str) -> tuple[list[str], list[tuple[str, str]]]:
    tokenizer.forget_cuts()  # from scratch, as the first message a worker sees
    return tokenizer.cut(text), tokenizer.tagged_words(text)


ODD = ["", "  \n\t ", "A市A1区西湖路88号3栋", "100%的人都说-好", "WiFi信号太差, 4G也不行, please help",
       "１３８００１３８０００打不通", "😀😀路灯", "鬱鬱蔥蔥的龘靐齉", "abc123def。。。！！", "3.5元/斤，涨了20%以上",
       "罗湖区黄贝岭村委会旁的垃圾站", "他说：“我们小区的王大爷家漏水了”"]


@pytest.mark.parametrize("text", ODD)
def test_odd_texts_are_cut_and_tagged_exactly_as_jieba_cuts_them(text):
    assert _ours(text) == _jieba_cuts(text)


@pytest.mark.shared(MESSAGES.name)
def test_every_real_message_is_cut_and_tagged_exactly_as_jieba_cuts_it():
    # Cut as the topic model reads it (raw), tagged as the grouping terms read it (numbers masked): the same
    # words and tags mean the same places, content words and names, hence the same groups.
    with open(MESSAGES, encoding="utf-8") as fh:
        texts = [f"{row['subject']}。{row['detail']}" for row in csv.DictReader(fh)]
    jieba_tokenizer, jieba_tagger = tokenizer._tokenizer(), tokenizer._tagger()
    differing = []
    for text in texts:
        masked = masking.mask(text)
        tokenizer.forget_cuts()
        if (tokenizer.cut(text) != jieba_tokenizer.lcut(text)
                or tokenizer.tagged_words(masked) != [(pair.word, pair.flag) for pair in jieba_tagger.lcut(masked)]):
            differing.append(text[:40])
    assert not differing


def test_a_name_taught_later_is_cut_whole_at_once_and_split_again_when_dropped():
    text = "金桂园滨江苑的电梯坏了"
    tokenizer.use_names([])
    before = (tokenizer.cut(text), tokenizer.tagged_words(text))  # now kept for this text
    try:
        tokenizer.use_names(["金桂园滨江苑"])
        assert ("金桂园滨江苑", "ns") in tokenizer.tagged_words(text)
        assert (tokenizer.cut(text), tokenizer.tagged_words(text)) == _jieba_cuts(text)
    finally:
        tokenizer.use_names([])
    assert (tokenizer.cut(text), tokenizer.tagged_words(text)) == before == _jieba_cuts(text)


@pytest.mark.shared(LABELLED.name, MESSAGES.name)
def test_the_learned_models_probabilities_are_scikit_learns_on_every_labelled_and_real_message():
    with open(LABELLED, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with open(MESSAGES, encoding="utf-8") as fh:
        raw = [f"{row['subject']}。{row['detail']}" for row in csv.DictReader(fh)]
    # Trained on half the labelled file to keep the test short; compared on all of it and on the raw messages.
    model = learned.train([], [r["label"] for r in rows[::2]], version="t",
                          prepared=[prepare(r["text"]) for r in rows[::2]], topics=taxonomy.load().topics)
    prepared = [prepare(r["text"]) for r in rows] + [prepare(text) for text in raw]
    expected = model.classifier.predict_proba(model._features(prepared))
    assert np.array_equal(np.array([model.scorer.probabilities(p) for p in prepared]), expected)
    # Stored and loaded, the model scores alike: the scorer is rebuilt from the fitted parts, never stored.
    loaded = learned.LearnedModel.from_bytes(model.to_bytes(b"k"), b"k")
    assert "scorer" not in loaded.__dict__
    assert np.array_equal(np.array([loaded.scorer.probabilities(p) for p in prepared[:200]]), expected[:200])


# Texts where the words the learned model cut are not those the day-one model would cut: pretokenised text
# is split at spaces only (a 。 inside stays in a word), and spaces around a text can make it look pretokenised.
UNLIKE = ["东湖 路 污水 沟。臭味 很大", "  污水管网坏了 ", " 青石街道有人开赌场聚众赌博  "]


@pytest.mark.shared(MESSAGES.name)
def test_the_day_one_back_off_reads_the_words_already_cut_and_answers_as_if_it_cut_them_itself():
    # The worker's learned model asks the day-one model about the topics its data lacks: reading the words the
    # learned model cut instead of cutting again must give the day-one model's own answer on every message.
    with open(MESSAGES, encoding="utf-8") as fh:
        raw = [f"{row['subject']}。{row['detail']}" for row in csv.DictReader(fh)]
    rules = day_one.model(taxonomy.load().topics)
    for text in raw + [f" {text}  " for text in raw[:200]] + UNLIKE:
        prepared = prepare(text)
        answer = rules.predict(text) if prepared.tokens is None else rules.predict_words(prepared.tokens)
        assert answer == rules.predict(text), text[:40]
    assert all(prepare(text).tokens is not None for text in raw)  # the worker's messages take the short way
