"""One tokenizer: topic tagging, place detection and grouping see the same words in a message."""

from bot.places import tagged_words
from intake.classifier.tokenize import tokens
from intake.services.drafts.grouping import terms_of

CIVIC_WORDS = ("污水管网", "安置房", "低保户")


def test_tagging_places_and_grouping_cut_civic_words_alike_each_as_one_word():
    text = "幸福小区的污水管网堵了，安置房里的低保户反映很多次了"
    classified = tokens(text)
    placed = [word for word, _ in tagged_words(text)]
    grouped = terms_of(text)["words"]
    for word in CIVIC_WORDS:
        assert word in classified and word in placed and word in grouped
    # Not one of them cut into pieces anywhere (污水 + 管网, 安置 + 房, 低保 + 户).
    for pieces in (classified, placed, grouped):
        assert not {"污水", "管网", "安置", "低保"} & set(pieces)
    content = [word for word in placed if word in classified]
    assert content == classified
