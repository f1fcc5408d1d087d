"""One tokenizer: topic tagging, place detection and grouping see the same words in a message."""

from bot.places import tagged_words
from bot.tokenizer import cut
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


def test_a_guessed_word_never_takes_the_last_character_of_the_place_before_it():
    # jieba guessed 市经|开区 and 镇罗巷: the zone and the market town lost their names, and 市经 became a key word.
    letter = "反映A市经开区东六线的问题"
    assert "经开区" in cut(letter) and "市经" not in cut(letter)
    town = "双江口镇罗巷集镇的规划图什么时候公开"
    words = [word for word, _ in tagged_words(town)]
    assert "罗巷" in words and "镇罗巷" not in words
    assert words == cut(town) and "".join(words) == town
    assert "罗巷" in terms_of(town)["words"]
