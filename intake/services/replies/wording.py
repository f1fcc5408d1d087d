"""What the check looks for in a reply's text: boilerplate, redirects, concrete facts and vague promises.

Written from reading published government replies (bench/replies_reference.json): units greet, say the
message was received (留言已收悉), forward it (已转…调查处理), thank, and sign with a date; only what is left
can answer anything.
"""

from __future__ import annotations

import re

SENTENCE_END = re.compile(r"(?<=[。！？!?；;])|\n+|(?<=如下[：:])")

# Sentences, or leading parts of them, that say nothing about the matter.
BOILERPLATE = re.compile("|".join(f"(?:{p})" for p in (
    r"^[^。！？!?]{0,40}?(?:您|你|大家)好[！!，,。：:]?",
    r"^(?:尊敬的|亲爱的)?[^。！？，,]{0,20}(?:网友|市民|网民|同志|朋友)[^。！？，,]{0,20}?[：:，,！!]",
    r"^[^。！？!?]{0,60}?(?:已|均已|已经)?(?:收悉|收到|阅办|获悉)[^。！？!?]{0,10}?(?:[。！!，,]|$)",
    r"^[^。！？!?]{0,40}?(?:现|特)?(?:将|就|对|作)?[^。！？!?]{0,40}?(?:回复|答复|反馈|报告)如下[：:]?",
    # Thanks end at the comma when an answer follows it (感谢对安沙发展的关注，三楚毛塘市场用地手续正在办理中).
    r"^(?:再次)?(?:感谢|谢谢|非常感谢)[^。！？!?，,]*[，,、]"
    r"(?=[^。！？!?]{0,12}(?:支持|理解|监督|关心|关注|信任)[^。！？!?，,]{0,6}(?:[。！!？?]|$))[^。！？!?]*[。！!？?]?",
    r"^(?:再次)?(?:感谢|谢谢|非常感谢)[^。！？!?，,]*[，,。！!？?]?",
    r"^(?:祝您|祝你|敬请|欢迎您?(?!致电|拨打|来电))[^。！？!?]*[。！!]?",
    # Who took it seriously (县委书记高度重视，…) says nothing of what was done.
    r"^[^。！？!?，,]{0,12}?(?:一定|将)?(?:高度重视|非常重视|十分重视)[^。！？，,]*[，,。]?",
    r"^特此(?:回复|答复|函复)[。！!]?",
    r"^\d{4}\s*[年.\-/]\s*\d{1,2}\s*[月.\-/]\s*\d{1,2}\s*日?",
)))
RECEIVED = re.compile(r"收悉|收到|获悉")
FORWARDING = re.compile(
    r"(?:已|将|并|现)?(?:转|转交|转至|转给|转到|移交|交由|转请|责成|交办给|发函交办)[^。！？!?]{0,30}?"
    r"(?:处理|核处|核查|办理|核实|调查|答复|回复|反馈|办复|予以|进行|执行)"
    r"|(?:如有|待)[^。！？!?]{0,20}(?:结果|情况)[^。！？!?]{0,12}(?:反馈|回复|答复)"
    r"|(?:办理|处理)(?:情况|结果)[^。！？!?]{0,16}(?:反馈|回复|答复)"
    r"|敬请关注后续|稍后会?[^。]{0,10}回复|正在(?:协调)?处理(?:当中|中)|(?:积极|认真)处理")
REDIRECT = re.compile(
    r"(?:请|建议|可)(?:您|你)?(?:直接|及时|另行|具体|就近)?(?:致电|拨打|咨询|联系|访问|登录|关注|向|到|走|通过|依法|提供|补全|来电)"
    r"|(?:咨询|联系|举报|投诉|服务)?电话[：:]?\s*[\d\-—－（）()]{5,}|不在[^。]{0,8}管辖|https?://\S*|链接[：:]?"
    r"|(?:不具体|不够具体|较模糊|不够清楚)[^。]{0,20}(?:不能|无法)")
# Part of what was asked handed to another office for the asker to take up (建议您向价格主管部门反映).
HANDOFF = re.compile(r"建议(?:您|你|业主|网友)?(?:直接|及时|先行|另行)?(?:向|到|与)[^。；]{0,30}(?:反映|咨询|联系|投诉|举报|申请)")
SIGNATURE = re.compile(
    r"(?:[\u4e00-\u9fa5]{2,20}(?:局|办|委|政府|办事处|大队|中心|公司|医院|法院|办公室))?\s*"
    r"(?:\d{4}\s*[年.\-/]\s*\d{1,2}\s*[月.\-/]\s*\d{1,2}\s*日?|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月"
    r"[一二三四五六七八九十]{1,3}日)\s*[。]?\s*$")

DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}月(?:底|初|份|中旬|上旬|下旬)"
                  r"|\d{4}[.\-/]\d{1,2}[.\-/]\d{1,2}|年底|年内|年前|本月底|下月")
AMOUNT = re.compile(r"\d[\d,.，]*\s*(?:万|亿|千)?(?:元|米|公里|千米|平方米|㎡|亩|户|人|台|个|家|起|天|日|小时|分钟|分贝|辆|所|条|栋|套"
                    r"|吨|项|名|处|座|盏|次|班|趟|路|%|％)|百分之")
ACTION = re.compile(r"约谈|责令|下达|查处|处罚|罚款|整改|修复|维修|疏通|清理|清除|更换|拆除|退费|退还|退款|检测|核查|核实|调查|检查"
                    r"|召开|开通|建成|完工|竣工|纳入|列入|安装|硬化|出警|巡查|执法|督促|取缔|关停|停业|暂扣|立案|补发|发放|拨付"
                    r"|签订|协商|达成|审核|审批|出台|印发|公布|部署|组织|安排|成立|增设|调整|铺设|改造|建设|施工")
OFFICE = re.compile(r"[\u4e00-\u9fa5]{1,12}?(?:局|委员会|办公室|办事处|街道|镇政府|乡政府|镇党委|社区|居委会|村委会?|公司|大队|中队"
                    r"|中心|指挥部|管委会|派出所|法院|检察院|执法队|管理处|管理所)")
POLICY = re.compile(r"《[^》]{2,}》|第[一二三四五六七八九十百\d]+条|[\[［〔【(（]\s*\d{4}\s*[\]］〕】)）]\s*\d+\s*号")
# How to get it done: the steps, the papers, where to go (a plain answer to 怎么办理 / 需要什么材料).
PROCEDURE = re.compile(r"(?:办理|申请|交易|申报)?(?:流程|程序)(?:为|如下|是)|(?:材料|资料|证件)(?:有|为|如下|包括)?[：:]|→"
                       r"|地址[为是：:]|(?:需|须|应)(?:提供|提交|携带|持)")
COMPLETION = re.compile(
    r"(?:预计|计划|力争|争取|将于|将在|确保|拟于|定于|于)[^。；]{0,24}(?:\d{4}年|\d{1,2}月|年底|年内|年前|前|底)[^。；]{0,16}"
    r"(?:完成|完工|建成|竣工|通车|开通|到位|投入使用|开工|实施|交付|办结|解决)")
# Promises without a date: 研究/考虑/争取… A refusal (暂不考虑) is an answer, so 暂不 and 尚未 are not here.
VAGUE = re.compile(r"(?<!暂不)(?:研究|论证|考虑)|争取|逐步|适时|择期|待[^。]{0,16}后|正在[^。]{0,10}(?:研究|制定|协调|寻求|调研|征求|报批)"
                   r"|下一步|进一步|等待|有望|尚未下发|一如既往|继续努力|更加努力|更加细致")
# What a unit promises to do, or reports as under way, with no date: 争取, 尽快, 近期, 拟 (not 虚拟), 逐步, 待…后,
# 正在申请…, 将协调/督促/研究… (a study that concluded, 经研究，认为…, is an answer). An answer made only of these
# leaves the asker without a result (the check's 只有承诺).
PROMISE = re.compile(r"争取|尽快|近期|逐步|(?<![虚模比])拟|下一步|进一步|有望"
                     r"|(?<!暂不)(?:研究|论证|考虑)(?![^。]{0,6}(?:认为|决定|同意|确定))|待[^。]{0,24}后"
                     r"|正在[^。，,]{0,12}(?:申请|办理|论证|协调|对接|衔接|推进|研究|制定|报批|审批)"
                     r"|将[^。]{0,8}(?:申请|协调|研究|考虑|督促|调查|核实|反映|汇报|联系)")
# The matter is still on its way (awaiting approval, talks, money) or the unit could not look into it: whatever
# else the reply says, the asker does not yet have the answer.
PENDING = re.compile(r"正在等待|等待[^。，,]{0,12}(?:答复|批复|审批|结果)|待[^。]{0,24}(?:批复|审批|通过|落地|明确|接管|到位|研究)后"
                     r"|正在[^。，,]{0,8}(?:拿方案|制定|协商|报批|审批|争取)|仍在(?:协商|研究|协调)|有望|尚未(?:下发|落实|确定|明确|启动)"
                     r"|暂未办理|无法(?:查询|核实|核查|取得联系|答复|了解|对您)|不能向您答复|未能了解|研究后再予以答复")
# Work already done (已…约谈, 已于…修复) and plain answers to a question (可以, 不需要, 不符合…).
DONE = re.compile(r"已(?:经|于)?[^。，,；]{0,14}?(?:" + ACTION.pattern + ")")
DIRECT = re.compile(r"可以|即可|不需要|无需|不能|无法|只能|不得|不存在|未发现|符合|属于|均已|为准|不宜|确有|未有|暂没有|暂无|暂未|尚未")
# A request to have something done, and the words a reply says it was done with (已更换 answers 尽快修复路灯,
# 已恢复照明 修好路灯): (the point's words for the work, the words of the same work done). A bare "已修复" answers a
# point asking this.
_REPAIRED = "修复|维修|修好|修缮|检修|抢修|修理|修补|更换|换新|恢复"
_NEW = ("安装|加装|增设|设置|装上", "硬化|铺设|修建")
REMEDIES = (
    ("修复|维修|修好|修缮|检修|抢修|修理|修补|损坏|破损", _REPAIRED),
    ("更换|换新|换掉", "更换|换新|换掉|换上"),
    (_NEW[0], "安装|加装|增设|设置|装上|装好"),
    ("清理|清除|清运|清扫|打扫|清掏", "清理|清除|清运|清扫|打扫|清掏"),
    ("疏通|清淤|堵塞", "疏通|清淤|清掏"),
    ("拆除|拆掉", "拆除|拆掉"),
    ("整改|整治|治理", "整改|整治|治理"),
    (_NEW[1], "硬化|铺设|修建|修通|建成"),
)
# A request for something new (加装两盏路灯, 硬化村道) is not answered by a sentence reporting only a repair of what
# is there (已更换线路并恢复照明): that answers the lamps that were out.
NEW_WORK = re.compile("|".join(_NEW) + "|新建|新增")
# What a thing does when it works, said of it repaired (恢复照明 of 路灯, 恢复供水 of 停水): a point's word is found in
# a sentence saying one of the others of its line (both ways). Words said for one thing are bot/equivalents.txt's.
SAID_AS_WORKING = (("路灯", "照明", "亮灯"), ("停水", "供水", "通水"), ("停电", "供电", "通电", "送电"))
# Done, said of any work (已完成, 已解决): it answers a request when the sentence names what was asked about.
FINISHED = "完成|解决|办结|处理完毕|落实到位|整改到位|恢复正常"


# Within the clause before the work's word, what says it is not done: a negation (尚未, 还没, 未能…), a plan or a
# request passed on (已列入明年计划维修, 已报上级部门维修, 已申请资金维修), or a verb whose object the word is (已超出安装范围).
_NOT_DONE = r"未|不|无法|没|计划|拟|报|申请|协调|督促|要求|待|列入|纳入|超出|超过|属于|符合|按照|根据"
# After the word, a noun it only describes (安装范围, 维修资金): the word is no work done.
_AS_NOUN = r"范围|费|资金|经费|标准|条件|要求|方案|计划|申请|手续|资质|事宜|项目|单位|人员|工作"


def done(words: str) -> re.Pattern:
    """已 (现已, 已于…) then one of `words` within the clause, or one of `words` then 完毕, with nothing in the
    clause before it saying the work is not done yet: work reported done."""
    before = rf"(?:(?!{_NOT_DONE})[^。，,；;])"
    return re.compile(rf"已(?:经|于)?{before}{{0,14}}?(?:{words})(?!{_AS_NOUN})"
                      rf"|(?:^|(?<=[。，,；;]))\s*{before}*?(?:{words})完毕")


REMEDIES_DONE = tuple((re.compile(asked), done(said)) for asked, said in REMEDIES)
REPAIRED_DONE = done(_REPAIRED)
FINISHED_DONE = done(FINISHED)

# Questions asked for effect, and pleas: they ask nothing a reply answers by itself.
RHETORICAL = re.compile(r"难道|岂|何来|敢问|何在|何以|凭什么|天理|还有人管|谁来管|有没有人管|为民做主|给我们做主|百忙之中")
# The kind of fact a question asks for, and the fact that answers it (concrete keys of the check).
ASKS_FOR = {
    "date": re.compile(r"什么时候|何时|多久|多长时间|哪年|几月|时间表|期限|何日|时间[^。，,]{0,6}(?:[？?]|确定|定了)"),
    "amount": re.compile(r"多少|几个|几辆|几天|标准是|收费标准|费用"),
    "procedure": re.compile(r"(?:哪些|什么)(?:材料|资料|手续|证明|程序)|(?:手续|流程|程序)(?:是|有)?(?:什么|哪些)"
                            r"|(?:如何|怎么|怎样)办理|去哪里?办"),
    "office": re.compile(r"哪个部门|什么部门|哪个单位|谁(?:来)?(?:负责|管)|归谁管|属于哪"),
}

# Words too common in letters and replies to show that a sentence answers one point rather than another.
GENERIC = frozenset("""
问题 情况 反映 希望 请求 建议 要求 相关 部门 有关 领导 政府 我们 你们 他们 群众 网友 市民 居民 业主 百姓 老百姓 工作 进行
解决 处理 回复 答复 关于 对于 现在 目前 已经 没有 可以 能够 是否 如何 什么 为什么 怎么 这样 这个 那个 一个 一些 这些 那些
但是 因为 所以 如果 或者 以及 还是 就是 还有 同时 非常 严重 影响 造成 存在 导致 出现 发现 知道 认为 觉得 感觉 表示 根据
规定 按照 相应 有效 正常 问政 平台 留言 来信 帖子 栏目 书记 市长 县长 同志 您好 你好 谢谢 感谢 支持 关心 理解 监督 尊敬
本人 我家 自己 大家 时候 时间 今年 去年 明年 每天 一直 多次 不断 立即 马上 尽快 及时 积极 认真 高度重视 重视 了解 调查 核实
请问 哪些 哪里 哪个 怎么样 怎样 多少 何时 为何 能否 可否
""".split())
PLACE_SUFFIX = re.compile(r"(?:省|市|区|县|镇|乡|村|街道|路|街|巷|大道|小区|社区|花园|公园|广场|学校|小学|中学|大学|幼儿园|医院|车站|站|桥"
                          r"|湖|河|山|城|苑|庭|府|园|组)$")
