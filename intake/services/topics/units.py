"""Which unit handles a message: the taxonomy's second level it is about, not its first-level topic alone."""

from __future__ import annotations

from intake.classifier.taxonomy import Taxonomy

# Words that say which second-level topic a problem is about (a developer's sales practice is housing, a
# lending fraud is a criminal case, whatever first-level topic the model chose). A subtopic of the
# message's own topic wins a tie.
SUBTOPIC_WORDS = {
    ("城乡建设", "住房保障与房地产"): "开发商 房地产 购房 售楼 商品房 房产证 不动产证 交房 公摊 楼盘 定金 首付 网签 公租房 廉租房 保障房 维修资金",
    ("城乡建设", "国有土地上房屋征收与补偿"): "征收 棚改 拆迁补偿 安置房 回迁",
    ("城乡建设", "城乡规划"): "规划 容积率 日照 间距",
    ("城乡建设", "城市建设和市政管理"): "路灯 下水道 井盖 绿化 垃圾 环卫 占道 违建 违章建筑 市政 积水 人行道 化粪池",
    ("城乡建设", "安全生产"): "安全隐患 消防通道 事故 燃气",
    ("城乡建设", "工程质量"): "漏水 开裂 渗水 裂缝 质量问题",
    ("城乡建设", "建筑市场"): "工程款 施工单位 包工头",
    ("环境保护", "环境污染"): "噪音 噪声 污染 油烟 臭味 排污 粉尘 废水 废气 扰民 异味",
    ("交通运输", "客货运输"): "公交 班车 客运 线路",
    ("交通运输", "出租车管理"): "出租车 网约车 拒载",
    ("政法", "交通管理"): "违停 交警 闯红灯 飙车 驾驶证 红绿灯 酒驾",
    ("政法", "社会治安"): "赌博 赌场 吸毒 盗窃 打架 斗殴 黑恶 偷盗",
    ("政法", "刑案侦破"): "诈骗 非法集资 套路贷 骗贷 传销",
    ("经济管理", "金融财税"): "贷款 银行 税务 发票",
    ("经济管理", "保险证券期货"): "保险公司 理赔 理财 证券",
    ("商贸旅游", "市场监管"): "价格 假冒 商家 消费者 欺诈 缺斤少两 退款",
    ("商贸旅游", "旅游管理"): "景区 旅游 导游",
    ("教育文体", "教育收费"): "补课 学费 收费 培训费",
    ("教育文体", "考试招生"): "招生 入学 学位 划片 中考 高考",
    ("教育文体", "教师队伍和待遇"): "教师 老师待遇 编制",
    ("劳动和社会保障", "工资福利"): "拖欠工资 欠薪 工资 加班费",
    ("劳动和社会保障", "城镇职工社会保险"): "社保 养老保险 工伤",
    ("劳动和社会保障", "城镇居民社会保险"): "医保 居民医保 新农合",
    ("劳动和社会保障", "退休政策及待遇"): "退休 养老金",
    ("卫生计生", "医政监管"): "医院 医生 诊所 看病",
    ("卫生计生", "公共卫生"): "疫苗 防疫 核酸",
    ("卫生计生", "食品药品监管"): "食品安全 药品 过期食品",
    ("农村农业", "惠农补贴"): "补贴 补助款 粮补",
    ("农村农业", "土地承包经营"): "承包地 土地流转 承包合同",
    ("农村农业", "村务管理"): "村委会 村干部 村务公开 村账",
    ("农村农业", "水利水电"): "水库 灌溉 水渠 堤坝",
    ("民政", "社会救助"): "低保 救助 特困",
    ("民政", "优抚"): "退役军人 优抚 烈士",
    ("国土资源", "土地征收"): "征地 土地征收 征地补偿",
    ("国土资源", "矿产资源管理"): "采矿 采砂 矿山",
    ("科技与信息产业", "电信"): "信号 宽带 基站 运营商",
    ("纪检监察", "干部作风"): "吃拿卡要 作风 不作为 推诿",
    ("纪检监察", "贪污贿赂"): "贪污 受贿 行贿 挪用",
}
_WORDS = {key: words.split() for key, words in SUBTOPIC_WORDS.items()}


def subtopic(text: str, topic: str | None) -> tuple[str, str] | None:
    """The second-level topic whose words the text says most (its own topic's on a tie), None if it says none."""
    best, best_score = None, 0.0
    for key, words in _WORDS.items():
        score = sum(word in text for word in words)
        if score == 0:
            continue
        score += 0.5 if key[0] == topic else 0.0
        if score > best_score:
            best, best_score = key, score
    return best


def unit_for(taxonomy: Taxonomy, topic: str | None, text: str) -> str:
    found = subtopic(text, topic)
    if found is not None and found in taxonomy.units:
        return taxonomy.units[found]
    return taxonomy.unit_for(topic) if topic else taxonomy.unit_for("其他")
