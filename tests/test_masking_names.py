"""Third persons' names in a citizen's sentence: hidden in drafts (王某某), as the draft page promises, while places,
brands and courtesy forms that begin with a surname stay readable."""

from __future__ import annotations

import pytest

from intake.services.privacy import masking


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
])
def test_a_persons_name_is_masked_in_a_draft(said, drafted):
    assert masking.for_draft(said, names_shown=False) == drafted
    assert masking.for_draft(said, names_shown=True) == masking.mask(said)


@pytest.mark.parametrize("kept", [
    # Places and brands that begin with a surname.
    "王府井小区的路灯坏了", "张家界路积水严重", "李家村的水渠堵了", "步步高超市门口乱停车", "高新区管委会不回复",
    "黄花镇的垃圾没人清", "马路上全是坑", "周末施工太吵", "毛主席纪念堂附近", "金桂园滨江苑漏水", "王家湾没有路灯",
    "蔡家冲安置房漏水", "陆奔车身厂内非法排污", "C5市杨林乡团田学校老师", "G2区贺家山乐兴分场养猪场至今未关停",
    # Surname and title alone name no one (the page promises full names only); courtesy forms stay as written.
    "青石街道办的刘主任不给办低保", "胡书记：您好", "基站相关疑问刘厅长　　您好", "王先生说", "李阿姨说楼道很脏", "张师傅来修过",
    # Already anonymous, or no name at all.
    "张某某一直不处理", "王某说不管", "叫车很难",
    # Common words the tokenizer tags as names.
    "先谢谢您的回复", "并张榜公示", "尊敬的陈市长", "开发商某位陈姓领导", "把左转车道改了", "何时能修好",
])
def test_places_brands_titles_and_courtesy_forms_stay(kept):
    assert masking.mask_names(kept) == kept
