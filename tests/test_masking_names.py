"""Third persons' names in a citizen's sentence: hidden in drafts (王某某), as the draft page promises, while places,
brands and courtesy forms that begin with a surname stay readable."""

from __future__ import annotations

import pytest

from bot import tokenizer
from intake.services.privacy import masking, names


@pytest.mark.parametrize(("said", "drafted"), [
    ("青石街道幸福小区物业经理李明华经常骂业主，态度恶劣", "青石街道幸福小区物业经理李某某经常骂业主，态度恶劣"),
    ("幸福小区3栋的王建国乱搭违建，占了消防通道", "幸福小区3栋的王某某乱搭违建，占了消防通道"),
    ("我邻居张三电话13698765432", "我邻居张某电话136****5432"),
    ("青石街道办的刘建国主任不给办低保", "青石街道办的刘某某主任不给办低保"),
    # A citizen's own name goes to the handling unit with the draft too.
    ("我叫王建国，住在幸福小区", "我叫王某某，住在幸福小区"),
    ("开警车到周媚家要把她带走", "开警车到周某家要把她带走"),
    ("我是王建国，住在幸福小区", "我是王某某，住在幸福小区"),
    ("物业经理王建国说下个月再修", "物业经理王某某说下个月再修"),
    ("有个叫李明的人天天在楼下烧垃圾", "有个叫李某的人天天在楼下烧垃圾"),
    ("县三中校长王友明架空副校长", "县三中校长王某某架空副校长"),
    # A less common surname after a person's word, and the name wherever the letter says it again.
    ("金星村现任村主任谷斌海暗中搭伙，谷斌海利用职权，本人便拦住谷斌海的车",
     "金星村现任村主任谷某某暗中搭伙，谷某某利用职权，本人便拦住谷某某的车"),
    ("此事发生在村民杨永家门口，杨永之父目睹了", "此事发生在村民杨某家门口，杨某之父目睹了"),
    # A name and 家, the person's home, where the tokenizer glued the name's end to 家 (张|三家, 蒋军|崇|家门口).
    ("张三家的狗天天叫", "张某家的狗天天叫"),
    ("邻居张三家的狗天天叫", "邻居张某家的狗天天叫"),
    ("公路修到了蒋军崇家门口", "公路修到了蒋某某家门口"),
    # A person's word before a colon tells the name after it (a report's signature), wherever the letter says it.
    ("举报人：夏明志，土地证办在夏明志名下", "举报人：夏某某，土地证办在夏某某名下"),
    # A name told again beside a title: the title stays.
    ("村民胡书说要修路，胡书记不管", "村民胡某说要修路，胡书记不管"),
    # A name's third character the tokenizer cut off alone before what the person says (村民|黄军|建|反映).
    ("村民黄军建反映，黄军建家的房子被拆了", "村民黄某某反映，黄某某家的房子被拆了"),
    ("村民黄军建，今年六十岁", "村民黄某某，今年六十岁"),
    ("举报人王伟替家人反映问题", "举报人王某替家人反映问题"),
    # A given name that is a common word, cut off after the surname alone (业主|王|建设|反映).
    ("业主王建设反映电梯坏了三个月", "业主王某某反映电梯坏了三个月"),
    ("本人秦中秋，连续几年种植油菜", "本人秦某某，连续几年种植油菜"),
    ("村民王建设、张某某等反映水井干了", "村民王某某、张某某等反映水井干了"),
])
def test_a_persons_name_is_masked_in_a_draft(said, drafted):
    assert masking.for_draft(said, names_shown=False) == drafted
    assert masking.for_draft(said, names_shown=True) == masking.mask(said)


@pytest.mark.parametrize("kept", [
    # Places and brands that begin with a surname.
    "王府井小区的路灯坏了", "张家界路积水严重", "李家村的水渠堵了", "步步高超市门口乱停车", "高新区管委会不回复",
    "黄花镇的垃圾没人清", "马路上全是坑", "周末施工太吵", "毛主席纪念堂附近", "金桂园滨江苑漏水", "王家湾没有路灯",
    "蔡家冲安置房漏水", "陆奔车身厂内非法排污", "C5市杨林乡团田学校老师", "G2区贺家山乐兴分场养猪场至今未关停",
    # An estate named after a family (高林仕家小区, as 李家村), and words and places that begin with a less common
    # surname, which only a person's word before makes a name.
    "本人是高林仕家小区的住户", "高林仕家小区门口新建了手机信号塔", "谷山的树被砍了", "还我们业主安居梦想",
    # Surname and title alone name no one (the page promises full names only); courtesy forms stay as written.
    "青石街道办的刘主任不给办低保", "胡书记：您好", "基站相关疑问刘厅长　　您好", "王先生说", "李阿姨说楼道很脏", "张师傅来修过",
    # Already anonymous, or no name at all.
    "张某某一直不处理", "王某说不管", "叫车很难", "业主王也反映过", "业主方反映多次", "居民王大爷说",
    # Common words the tokenizer tags as names.
    "先谢谢您的回复", "并张榜公示", "尊敬的陈市长", "开发商某位陈姓领导", "把左转车道改了", "何时能修好",
])
def test_places_brands_titles_and_courtesy_forms_stay(kept):
    assert masking.mask_names(kept) == kept


@pytest.mark.parametrize(("said", "drafted"), [
    # A word between a name and 家 is no part of the name: the name is masked as cut, never shown whole.
    ("王伟的家人在吵", "王某的家人在吵"), ("刘洋被家暴了", "刘某被家暴了"), ("王伟把家里砸了", "王某把家里砸了"),
    ("张伟和家人住", "张某和家人住"), ("张伟帮家里干活", "张某帮家里干活"), ("李军对家人说", "李某对家人说"),
])
def test_a_word_between_a_name_and_home_leaves_the_name_masked(said, drafted):
    assert masking.for_draft(said, names_shown=False) == drafted


def test_a_name_told_in_one_letter_is_masked_elsewhere_but_never_a_place_nor_a_misread_word():
    told = names.names_told(["村民杨林说路坏了", "局长严惩！", "员工谢谢！", "村主任谷斌海占地"])
    assert told == {"杨林", "谷斌海"}
    assert names.mask_names("杨林乡的路坏了，杨林又来了", told) == "杨林乡的路坏了，杨某又来了"
    assert names.mask_names("有关部门严惩此事，谢谢领导，谷斌海利用职权", told) == "有关部门严惩此事，谢谢领导，谷某某利用职权"


def test_a_name_a_letter_tells_is_worked_out_again_once_a_place_is_learned():
    # 付定国 is told as a name only once 义新路 is known as a place: what was kept of the letter before is stale.
    letter = "业主付定国在义新路的路灯坏了"
    try:
        tokenizer.use_names([])
        assert names.names_told([letter]) == frozenset()
        tokenizer.use_names(["义新路"])
        assert names.names_told([letter]) == {"付定国"}
    finally:
        tokenizer.use_names([])
