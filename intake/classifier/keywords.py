"""Day-one tagging from a keyword table: sensible topics before any training data exists."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

MODEL_VERSION = "keywords-1"
FALLBACK_TOPIC = "其他"
FALLBACK_UNIT = "代表工委"

# topic -> (default handling unit, keywords)
TOPICS: dict[str, tuple[str, tuple[str, ...]]] = {
    "交通运输": ("交通运输局", ("公交", "红绿灯", "堵车", "拥堵", "停车", "车站", "班车", "斑马线", "出租车", "地铁", "交通")),
    "城乡建设": ("住建局", ("道路", "修路", "路面", "坑洼", "路灯", "物业", "小区", "拆迁", "安置房", "违建", "电梯", "积水", "水管")),
    "环境保护": ("生态环境局", ("污水", "排污", "臭味", "噪音", "噪声", "垃圾", "污染", "油烟", "粉尘", "黑臭", "水沟")),
    "教育文体": ("教体局", ("学校", "学生", "老师", "教师", "幼儿园", "上学", "放学", "校车", "课外", "体育", "图书馆")),
    "卫生计生": ("卫健局", ("医院", "看病", "医生", "卫生院", "诊所", "药", "疫苗", "医保", "体检", "护士")),
    "劳动和社会保障": ("人社局", ("工资", "社保", "养老金", "欠薪", "就业", "退休", "劳动合同", "低保")),
    "农村农业": ("农业农村局", ("村道", "农田", "灌溉", "种植", "养殖", "化肥", "农机", "水渠", "庄稼")),
    "商贸旅游": ("商务局", ("商场", "景区", "旅游", "市场", "商户", "价格", "消费")),
    "民政": ("民政局", ("养老院", "老人", "残疾", "救助", "社区服务", "殡葬")),
}


@dataclass(frozen=True)
class Prediction:
    topic: str
    handling_unit: str
    confidence: float
    model_version: str


@lru_cache(maxsize=1)
def _tokenizer():
    # jieba builds its dictionary on first use (about a second); do it once per process, not at import.
    import jieba

    for _, words in TOPICS.values():
        for word in words:
            jieba.add_word(word)
    return jieba


def warm_up() -> None:
    """Load the dictionary now, e.g. in a worker's parent process so that every forked job shares it."""
    _tokenizer().lcut("预热")


def classify(text: str) -> Prediction:
    tokens = _tokenizer().lcut(text or "")
    scores = {
        topic: sum(1 for token in tokens for word in words if word in token)
        for topic, (_, words) in TOPICS.items()
    }
    best = max(scores, key=scores.get)
    total = sum(scores.values())
    if scores[best] == 0:
        return Prediction(FALLBACK_TOPIC, FALLBACK_UNIT, 0.0, MODEL_VERSION)
    return Prediction(best, TOPICS[best][0], scores[best] / total, MODEL_VERSION)
