"""The conversation as a small state machine; channels feed it text and send back its replies.

greet → take the description → one follow-up question when the place is missing or it is too vague →
offer to leave a phone number (and ask whether the deputy may see it) → confirm with a receipt number.
The engine decides; the caller stores what it decided and tells it the receipt number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from bot import phones, texts
from bot.names import SURNAMES
from bot.places import BUILDING_WORDS, building_alone, either, has_place, only_address

AWAITING_DESCRIPTION = "awaiting_description"
AWAITING_DETAIL = "awaiting_detail"
AWAITING_PHONE = "awaiting_phone"
AWAITING_CONSENT = "awaiting_consent"
# The follow-up question after the citizen's own number came with the first message: answered as AWAITING_DETAIL,
# it ends with the consent question, since the number is known.
AWAITING_DETAIL_NUMBER_KEPT = "awaiting_detail_number_kept"
# The follow-up question after a first report that declined a call back ("路灯坏了，不用回访"): answered, the
# message is sent without the phone offer.
AWAITING_DETAIL_NO_CALLBACK = "awaiting_detail_no_callback"
# The follow-up question after only an address ("幸福里小区3栋"): what is wrong there. A confirmation or a corrected
# address ("没错", "不是，是5栋") or an opening ("我想反映个问题") is no answer to it: it is asked again.
AWAITING_PROBLEM = "awaiting_problem"
# The same question after an address sent with the citizen's own number ("幸福里小区3栋 138…"): answered, the consent
# is asked, as after AWAITING_DETAIL_NUMBER_KEPT.
AWAITING_PROBLEM_NUMBER_KEPT = "awaiting_problem_number_kept"
_PROBLEM_STATES = (AWAITING_PROBLEM, AWAITING_PROBLEM_NUMBER_KEPT)
_NUMBER_KEPT = (AWAITING_DETAIL_NUMBER_KEPT, AWAITING_PROBLEM_NUMBER_KEPT)
_DETAIL_STATES = (AWAITING_DETAIL, AWAITING_DETAIL_NUMBER_KEPT, AWAITING_DETAIL_NO_CALLBACK, *_PROBLEM_STATES)
# After a sent message's progress was told: the citizen's number sent next joins that message (the conversation
# points at it), then whether the deputy may see it is asked. Anything else is read as with nothing open.
AWAITING_CONTACT = "awaiting_contact"
# After the offer was said yes to and the number asked for: a yes again is no answer to anything.
AWAITING_CONTACT_NUMBER = "awaiting_contact_number"
AWAITING_CONTACT_CONSENT = "awaiting_contact_consent"
# Right after a receipt: a number sent next ("13812345678", "138… 同意") joins the message just sent, as after a
# progress answer; no offer was made, so a yes asks for nothing. Anything else is read as with nothing open.
AWAITING_SENT_CONTACT = "awaiting_sent_contact"
CONTACT_STATES = (AWAITING_CONTACT, AWAITING_CONTACT_NUMBER, AWAITING_CONTACT_CONSENT, AWAITING_SENT_CONTACT)
STATES = (AWAITING_DESCRIPTION, AWAITING_DETAIL, AWAITING_PHONE, AWAITING_CONSENT, AWAITING_DETAIL_NUMBER_KEPT,
          AWAITING_DETAIL_NO_CALLBACK, *_PROBLEM_STATES, *CONTACT_STATES)

# The place said back confirmed ("没错", "对，就是这里", "是这个地址", "是的"); 没 here says no no.
_PLACE_CONFIRMED = re.compile(r"^(?:(?:对|是|嗯|没错|正确|对头|就|地址|地点|位置)+(?:的|啊|呀|呢)?"
                              r"(?:这里|这儿|这个地址|这个地方|这个|这|那里|那儿)?(?:的|没错|对)?[。！!~～，,\s]*)+$")
# The place said back corrected ("不是，是5栋", "不对，在阳光小区"): the words after the no, when they are an address.
_PLACE_CORRECTED = re.compile(r"^(?:不是|不对|错了|说错了|写错了)[了的]?[。！!，,\s]*(?:是|在|应该是)?(?P<place>.*)$")

# 查询 / 查 followed by a receipt number, or a receipt number on its own; written loosely (full-width
# letters, spaces, no "MS-", a trailing full stop) as people copy it from a screenshot or a note.
# 查询 / 查 as people ask ("帮我查一下", "查下", "查询回执号…"); 进度 alone asks for the last receipt.
_QUERY = re.compile(r"^(?:请|麻烦)?(?:帮我|给我)?(?P<verb>查询|查寻|查一查|查一下|查下|查查|查)(?:一下)?\s*[:：]?\s*(?:我的)?"
                    r"(?:回执(?:编?号)?|办理进度|进度)?\s*[:：]?\s*(?P<receipt>.*)$", re.DOTALL)
_RECEIPT = re.compile(r"^(?:MS)?\W*(?P<day>20\d{6})\W*(?P<number>\d{1,4})$", re.IGNORECASE)
# A receipt number inside a short question about it ("MS-…怎么样了", "我的MS-…办得咋样了").
_RECEIPT_INSIDE = re.compile(r"MS\W*20\d{6}\W*\d{1,4}(?!\d)", re.IGNORECASE)
# Words around a receipt number that only name it, ask politely or ask how it stands ("我的回执号是…，麻烦查一下进度，
# 谢谢"): with nothing else beside the number, however long, the text asks after it. Anything else (另外门口垃圾没人收,
# 楼道灯又坏了，请处理) may be news, and is read as before.
_ONLY_ASKING_AFTER = re.compile(
    r"(?:我的)?回执(?:编?号)?(?:码)?(?:是|为)?|您好|你好|麻烦|请问|请|帮我|帮忙|给我|一下|谢谢|"
    r"查询|查看|查|看看|办理|处理|进度|进展|情况|结果|怎么样|咋样|如何|到哪|了|吗|呢|啊|的")
# What stands between receipt numbers asked after together ("MS-… 和 MS-…", "MS-…，MS-…"): only a joining word,
# never one inside words (及时, 参与, 或许), which may be news.
# Compared as a set once punctuation is dropped: linear however long the text between the numbers is.
_JOINING = frozenset(("", "和", "与", "跟", "以及", "及", "还有", "或", "或者"))
_NOT_A_WORD = re.compile(r"\W+")
_ABOUT_PROGRESS = re.compile(r"进度|进展|结果|怎么样|咋样|如何|到哪|办|处理|解决|回复|答复|查")
# An earlier message asked after in words, without its receipt number ("进度怎么样了", "我反映的问题有结果了吗",
# "帮我查下我上次反映的问题"): 查询 alone. The whole text is only such words, so "路灯的问题解决了吗" stays news.
_ASKS_LATEST = re.compile(
    r"^(?:请问|麻烦|请)?(?:你|您)?(?:我)?(?:想|要)?(?:问一下|问下|问问)?(?:帮我|给我)?"
    r"(?P<check>查(?:询|一查|一下|下|查)?(?:一下)?)?"
    r"(?:我|我们)?(?:上次|上回|之前|前几天|前些天|以前|刚才)?(?:说|反映|提|留言|报|讲)?(?:过)?(?:的)?"
    r"(?P<subject>问题|事情?|留言|建议|情况)?(?:的)?(?P<handled>办理|处理|办)?(?:得)?"
    r"(?P<asked>进度|进展|结果|怎么样|咋样|咋个样|如何|到哪了?|有没有结果|有结果|有回复|有答复|有进展|有消息|"
    r"处理|解决|办|回复|答复)?(?:怎么样|咋样|如何)?(?:了没有?|了没|了吗|没有|了么|吗|呢|了|啊|哦|呀)*[？?。！!\s]*$")
_PROGRESS_WORDS = ("进度", "进展", "结果", "回复", "答复", "消息")
# An earlier report named and asked after ("我想问一下我上次反映的路灯有没有人管", "上次反映的路灯修了没有？",
# "前几天跟你们说的那个事有人管没"): the citizen, or a time before, then what was reported, how it stands, and a
# question's end. "路灯坏了一个月了，到底有没有人管？" names no earlier report and is news.
_EARLIER = r"(?:上次|上回|之前|以前|先前|早前|前几天|前些天|前段时间|前阵子|上个?月|上周|上星期|上礼拜|昨天|前天|去年|刚才)"
# What was reported, how it stands, and a question's end.
_HOW_IT_STANDS = (
    r"(?P<subject>[^，,。！!？?]{0,12}?)"
    r"(?:(?P<question>有没有人管|管没管|管不管|修没修|办没办|怎么样|咋样|如何|进度|进展|结果|下文|动静)|"
    r"有人管|没人管|管了|修了|修好|处理|解决|回复|答复|回音|消息|落实|办了|办得|办好|弄好|搞定)"
    r"(?P<tail>[^，,。！!？?]{0,6}[吗呢啊呀了？?。！!\s]*)$")
_ASKS_EARLIER = re.compile(
    rf"(?:(?:我|俺|我们|俺们|我家){_EARLIER}?|{_EARLIER})(?:在这里?|在这儿|跟你们|向你们|给你们|和你们|找你们|向代表|给代表|跟代表)?"
    r"(?:反映|反应|提|报|投诉|留言|说|讲|问|咨询|举报|提交|发)(?:过|了)?的" + _HOW_IT_STANDS)
# The same asked of "my" thing at the start, without a word of reporting ("我的路灯修了没有", "路灯修了没有"):
# only the whole text, so "我的车被刮了" with no question stays news, and "…又坏了" is news since (_NEWS_SINCE).
# Complaints ("我的车被人划了有没有人管") are news: no 有人管 words, and a subject telling an event is refused
# (_EVENT). The caller answers it only when an earlier message of the citizen has the thing's words (query_mine).
_ASKS_MINE = re.compile(
    r"^(?:(?:我|俺)的)?(?P<subject>[^，,。！!？?]{0,12}?)"
    r"(?:(?P<question>修没修|办没办|怎么样|咋样|如何|进度|进展|结果|下文|动静)|"
    r"修了|修好|处理|解决|回复|答复|回音|消息|落实|办了|办得|办好|弄好|搞定)"
    r"(?P<tail>[^，,。！!？?]{0,6}[吗呢啊呀了？?。！!\s]*)$")
_EVENT = re.compile(r"[了被把]")
_QUESTION_END = re.compile(r"吗|么|没|呢|[？?]")
# Words telling what happened since ("饭店今天又在排油烟了", "路修了一半就停了", "到现在也没有结果"): news about an earlier
# report, stored as a new message. A question stored as news costs a clerk a glance; news taken as a question is lost.
_NEWS_SINCE = re.compile(r"又|再次|再一次|重新|还在|还是|仍|依然|依旧|一直|继续|越来越|一半|到现在|至今|到今天|今天|今早|"
                         r"今晚|这几天|这两天|最近|天天|每天|老是|总是")
# Words around what was reported that name no thing ("那个事", "垃圾问题" is 垃圾).
_NO_SUBJECT = re.compile(r"^(?:那个|这个|那件|这件|那|这)|(?:的)?(?:问题|事情?|情况|留言|建议|意见)$|现在|到现在|目前|到底|究竟|已经|还|都|有$")
_RECEIPT_LABEL = re.compile(r"^(?:我的)?回执(?:编?号)?(?:是)?[:：]?\s*")
_TRAILING = "。.，,！!？?；;、 "
_PERSON = re.compile(r"^(我要|我想|请|帮我)?(找|转|接|联系)?(人工|真人|工作人员|人工客服|客服)(服务)?[吧呢啊。！!]*$")
# The station's number asked for ("你们电话多少", "联系电话是多少？"): answered as a wish to talk to a person.
_ASKS_PHONE = re.compile(r"^(?:请问|问一下|问下)?(?:你们|您们|联络站|代表|工作人员)?的?(?:电话|联系电话|办公电话|联系方式)"
                         r"(?:号码)?(?:是)?(?:多少|什么|啥)(?:号码?)?[啊呀呢哈]*[？?。！!\s]*$")
# The receipt number given a moment ago asked for again ("回执号多少来着", "我的回执号呢"): the last one is told.
_ASKS_RECEIPT = re.compile(r"^(?:请问)?(?:我的|刚才的?)?回执(?:编?号)?(?:是)?(?:多少|啥|什么|呢|忘了|忘记了|找不到了|没记住)"
                           r"(?:来着|啊|呀|呢|了)*[？?。！!\s]*$")
# One greeting or several ("你好，在吗", "喂，你好"). Possessive loops: a long text that is no greeting fails at once.
# The deputy may be named in it ("王代表，你好", "领导好", "尊敬的王秀兰代表："); the time of day too ("早上好"), and 打扰了.
_HELLO = re.compile(r"^(?:(?:你好|您好|你们好|大家好|hi|hello|嗨|哈喽|在吗|在么|在嘛|在不在|在不|有人吗|有人在吗|喂|"
                    r"(?:早上|早|上午|中午|下午|晚上)好|打扰(?:您|你)?了|打扰一下|(?:能|可以)?听(?:得)?(?:到|见)(?:吗|么|不)|(?:尊敬的|敬爱的)?[\u4e00-\u9fff]{0,3}(?:代表|领导)(?:您?好)?)"
                    r"[呀啊吗么嘛。！!？?~～，,、：: ]*+)++$", re.IGNORECASE)
_RESTART = {"重新开始", "重来", "重新来"}
# Only the wish to report, no problem yet ("我想反映个问题", "我要投诉", "有个事想反映一下"), maybe after a greeting:
# the problem is asked for, and these words are no part of it.
_ABOUT_TO_REPORT = re.compile(
    r"^(?:我|俺|我们)?(?:想|要|需要|准备)?(?:跟|向|给|和)?(?:您|你|你们|代表)?(?:反映|反应|投诉|举报|提|说|咨询|问|讲)"
    r"(?:一?个|一下|点|几个|些)?(?:问题|事情?|事儿|情况|意见|建议)?(?:一下)?[吧啊呀哈]?[。！!~～，,\s]*$|"
    r"^(?:我|俺|我们)?有(?:一?个|几个|点|些)(?:问题|事情?|事儿|情况|意见|建议)(?:想|要)?(?:反映|反应|投诉|举报|提|说|咨询|问|讲)?"
    r"(?:一下)?[吧啊呀哈]?[。！!~～，,\s]*$")
# With a question open, only a reporting verb with a matter ("我想反映个问题", "有个事想反映一下", "我还想反映个问题",
# "另外还有个问题"), or 投诉 / 举报 alone ("我要举报"), begins a new report; "我想说一下情况" or "我想提个建议" is the
# citizen starting to explain, for the open one.
_COUNT = r"(?:一?个|一件|件|一下|点|几个|几件|两个|两件|些)"
_MATTER = r"(?:问题|事情?|事儿|情况)"
_OPENING_END = r"(?:一下)?[吧啊呀哈]?[。！!~～，,\s]*$"
_ANOTHER_REPORT = re.compile(
    r"^(?:另外)?(?:我|俺|我们)?(?:还|再|另外)?(?:想|要|需要|准备)?再?(?:跟|向|给|和)?(?:您|你|你们|代表)?"
    rf"(?:(?:投诉|举报){_COUNT}?{_MATTER}?|(?:反映|反应){_COUNT}?{_MATTER}){_OPENING_END}|"
    rf"^(?:我|俺|我们)?(?:还|另外还?)?有{_COUNT}?{_MATTER}(?:想|要)?(?:反映|反应|投诉|举报){_OPENING_END}|"
    rf"^另外(?:我|俺)?还?有{_COUNT}?{_MATTER}(?:想|要)?(?:说|讲)?{_OPENING_END}")
# Greetings run into the words after them, as voice typing writes them ("喂你好", "王代表您好").
_GREETING_LEAD = re.compile(r"^(?:(?:喂+|你好|您好|你们好|大家好|在吗|在么|在不在|hello|hi(?![a-z])|嗨|哈喽|"
                            r"(?:早上|早|上午|中午|下午|晚上)好|[\u4e00-\u9fff]{0,3}(?:代表|领导|同志)(?:你|您)好)[呀啊吗么嘛。！!？?~～，,、\s]*)+", re.IGNORECASE)
# "怎么用": asked with nothing open, it is answered with the help.
_HOW = re.compile(r"^(?:请问)?(?:这个|这)?(?:要|该)?(?:怎么|如何|咋个|咋|怎样|啷个)(?:用|弄|操作|使用|说|留言|反[映应](?:问题)?|"
                  r"提意见|提建议)"
                  r"(?:呢|啊|呀)?[？?。！!\s]*$")
# A question back ("什么意思", "看不懂"): the open question is put again in plainer words.
_CONFUSED = re.compile(r"^我?(?:(?:这是|这个是|是)?(?:啥|什么|神马)意思|(?:看|听)?不(?:懂|明白|太懂|太明白)|没(?:看|听)?(?:懂|明白)|"
                       r"什么|啥)(?:呀|啊|呢|吗|么|哦|了)*[？?。！!，,~～\s]*$")
# Where or what to write, asked back at a question ("在哪儿？", "在哪里填？", "写在哪里", "怎么填", "要写什么"): the question is
# explained, and nothing is stored. "哪里都是垃圾" is news.
_WHERE = r"(?:哪儿|哪里|哪|什么地方|啥地方|哪个地方|什么位置|啥位置)"
_ASKED_BACK = re.compile(rf"^(?:请问)?(?:我|这个|这)?(?:是|要|该|应该)?(?:在?{_WHERE}(?:填|写|输入|打字|发|说)?|"
                         rf"(?:填|写|输入|发|说)在?{_WHERE}|(?:怎么|咋|如何|怎样)(?:填|写|回答|回复)|"
                         rf"(?:填|写|说|回答|回复)(?:些)?(?:什么|啥))(?:的|呢|啊|呀|哦|嘛)*[？?。！!\s~～]*$")
# "等一下", "稍等，我找一下": the question stays open, nothing is stored.
_WAIT = re.compile(r"^(?:请|你|您)?(?:稍等|等一?下|等等|等会儿?|等一会儿?)(?:一下|哈|啊|呀|了)?"
                   r"(?:[，,。.！!\s~～]*我?(?:找|查|看|问)[^，,。.！!？?]{0,6})?[，,。.！!~～\s]*$")
_HELP = {"帮助", "help", "?", "？"}
# One list per meaning, read the same at every question (the follow-up, the phone offer, the consent): the short
# ways people say yes or no, one word or several ("嗯嗯好的", "不用了，谢谢"), longer words first.
# Dialect words too: 要得, 得行, 中 (yes), 没得, 莫得, 冇 (no). 没事 at a question is "no need".
# 中 (Henan) only on its own or with a particle: "中午" is no yes.
# 👌 and 👍 are an ok (_without_emoji keeps them).
_YES_WORDS = ("没问题|就行|就好|当然|同意|愿意|可以给|可以|好的|好|行|得行|是的|是|对的|对|嗯|要得|要|需要|留|ok|👌|👍|"
              "中(?=$|[^\u4e00-\u9fff]|[的了吧啊呀哈嘞咯])")
_NO_WORDS = ("不同意|不愿意|不可以|不方便|不知道|不晓得|不清楚|不行|不是|不留|不用|不需要|不必|不想给|不想留|不要|不想|不给|别给|"
             "跳过|暂时没有|没什么|没啥|没别的|没事儿?|没得|莫得|莫有|冇得|没有|没|无|冇|不|别|否|算了|算咯|算啦|免了")
# "I don't mind" at the consent question is a yes, though it is written with 不, 没 or 无 ("不介意", "给他看没关系").
_DO_NOT_MIND = re.compile(r"不介意|没关系|无所谓|没所谓|没意见|不要紧|不碍事|随便")
# At the phone offer and the consent: no phone to be called on, or one the citizen cannot use ("家里没电话",
# "老人机不会发", "我不会打字"): a no. Only the citizen's own phone, so that "物业不会修", "更没接到电话" and
# "老年机构" stay news.
_NO_PHONE = re.compile(r"^(?:我|俺|我家|家里|家|我们家|我们|老人)?(?:都|也|就)?(?:没有?|无|冇|莫)得?(?:手机|电话)|"
                       r"^(?:我要|我想|我|要|想)?匿名(?:反映|留言)?(?:就行|就好|即可|吧|的|啊)*$|"
                       r"老(?:人|年)机(?!构|关)|"
                       r"(?:不会|不懂|不识)(?:发|用|弄|打|看|操作)?(?:手机|电话|短信|打字|字|微信|智能机)|"
                       r"^(?:我|俺)?的?(?:手机|电话|短信|微信)(?:也|都)?(?:不会|不懂)|"
                       r"^(?:我|俺|老人|我们|家里)(?:是老人|年纪大了?|岁数大了?|老了)?(?:也|都)?(?:不会|不懂)"
                       r"(?:发|用|弄|打字|操作)(?:这个|手机|短信|消息)?[了啊呀]?$")
# "不留电话了", "电话就不留了", "不用留了": the whole text only the phone offer's no.
_NO_NUMBER_AGAIN = re.compile(r"^我?(?:(?:电话|号码|手机号?)(?:就|也|还是)?)?(?:不|不用|不要|不想|没必要)(?:留|给)"
                              r"(?:电话|号码|手机号?)?[了吧啦啊哈。！!，,\s]*(?:谢谢)?[。！!]*$")
# "但别让代表看", "不过要保密": the word that ties a remark to the answer before it.
_BUT = re.compile(r"^(?:但是?|不过|可是|只是|就是)")
# Such a remark, the whole clause: "别让代表看", "要保密", "只给工作人员看", "别告诉别人", "不要公开". "但不代表所有学校"
# or "为什么不公开" is news.
_REFUSAL_CLAUSE = re.compile(r"^(?:(?:不要|不用|别|不能|不可以|不想|勿)(?:让|给|告诉)?(?:代表|别人|外人|其他人|他|她)"
                             r"(?:看|知道|看到)?|(?:要|请|需要|得)?保密|只(?:给|让|有)?工作人员(?:看|知道)?|"
                             r"(?:不要|别|不)(?:外传|公开))[了吧啊哈]*$")
# "That is all" and goodbyes: at a question they close it as a no would (nothing more, no number, not shared).
# 好了 / 行了 at a question mean "done", not the yes 好 / 行 are: at the phone offer they leave no number.
_CLOSING = "就这些|就这样|就这么多|就这么些|说完了|好了|行了|再见|拜拜"
_PARTICLES = "的了吧啊呀哈嗯哦噢呢呐滴哒嘞咯喽啦嘛噻撒哟"
_THANKS = r"(?:非常|十分|太)?(?:谢谢|多谢|谢了|感谢)(?:您们|你们|您|你|代表|啦|了|哈|呀)*+"
# Politeness that adds nothing to a report and answers nothing: thanks, 麻烦了 / 辛苦了.
_COURTESY = rf"(?:{_THANKS}|(?:麻烦|辛苦)(?:您们|你们|您|你)?了?)"
_GAP = rf"[{_PARTICLES}，,。.！!~～、\s]*+"
_THANKED = re.compile(rf"^(?:{_COURTESY}{_GAP})++$")
# Words after an answer that add nothing: politeness and yeses ("好的吧，辛苦你们了"). A no is never here: it is
# read as the answer (_reading) before this is asked, and must not vanish as if it were politeness.
_ONLY_COURTESY = re.compile(rf"^(?:(?:{_COURTESY}|{_YES_WORDS}){_GAP})++$", re.IGNORECASE)
# A clause of a report declining a call back ("不用回访", "不需要联系我，谢谢", "不用给我回电话了"), anywhere in it:
# the phone offer is answered already. Only the whole clause: "物业说不用回访就把工单关了" is news.
_NO_CALLBACK = re.compile(rf"^(?:我|本人)?(?:就|也)?(?:不用|不需要|无需|不必|不要)(?:给我|跟我)?(?:回访|回电话?|回复我|联系我|"
                          rf"电话联系|电话回访|打电话|给我打电话|打电话给我)(?:我)?[{_PARTICLES}]*+(?:{_COURTESY}{_GAP})*+$")
# Giving up on the question asked ("不想说了", "算了，不说了", "懒得说了"): no words of the report.
_LET_IT_BE = r"(?:算了|算啦|算咯)"
# Clauses said before taking a message back, each whole: a sigh or 那 before giving up ("唉，算了", "那算了"), giving
# up ("算了", "不要了", "不说了") and sending by mistake ("发错了"; 打错了 / 写错了 may be of a number or a line).
_BEFORE_WITHDRAW = (rf"(?:(?:(?:唉|哎|哎呀|那|那就){_GAP})?(?:{_LET_IT_BE}|不要了|(?:我|俺)?(?:还是)?不想?(?:说|讲|写)了|"
                    rf"发错了){_GAP})*+")
# Taking a message back ("我要撤回刚才的留言", "取消这条投诉", "留言不要了", "算了，撤回吧", "不投诉了", "不提交了",
# "算了，能不能撤回", "撤回吧，我再想想"): the open one is withdrawn here; one already sent is withdrawn by the
# station's staff, whom the reply names. Only whole texts: "能不能撤回那个拆迁通知" is news. 能不能 / 可不可以 / 能否
# only after giving up (the look-behind: something was said before it): "停车费…" "能不能取消" asks for the fee to go.
# Possessive runs of punctuation: a long run of ！ fails at once.
_WITHDRAW_END = (rf"[。！!？?]*+[，,\s]*+(?:(?:我|我们)?再?(?:想想|想一想|考虑一下|考虑考虑){_GAP})?"
                 rf"(?:{_COURTESY}{_GAP})*+$")
_WITHDRAW_VERB = r"(?:撤回|撤销|取消|删除|删掉|撤掉)"
_WHICH_MESSAGE = r"(?:我的|刚才的?|刚刚的?|上一条|这条|那条|之前的?)?(?:留言|意见|反映|投诉|问题|建议)?"
_WITHDRAW = re.compile(rf"^{_BEFORE_WITHDRAW}"
                       rf"(?:(?:我|我们)?(?:还是)?(?:要|想|能|可以|申请|请)?(?:帮我)?{_WITHDRAW_VERB}{_WHICH_MESSAGE}"
                       r"(?:一下)?(?:吗|吧|好了|了)?|"
                       rf"(?<=[\s\S])(?:我|我们)?(?:能不能|可不可以|能否|可否)(?:帮我)?{_WITHDRAW_VERB}{_WHICH_MESSAGE}"
                       r"(?:一下)?(?:吗|吧)?|"
                       r"(?:刚才的?|之前的?)?(?:留言|投诉|意见)不要了|(?:别|不要)再?提交了|"
                       rf"(?:我|那)?就?不再?(?:投诉|反映|举报|提交)了){_WITHDRAW_END}")
# "算了，不发了", "算了，别发了": only after giving up. What is not to be sent is what the question is about: the number
# at the phone offer, the number shown to the deputy at the consent, the report itself at the follow-up. Alone,
# "别发了" or "别再发了！" may be news (of spam texts).
_NOT_SENDING = re.compile(rf"^{_BEFORE_WITHDRAW}(?<=[\s\S])(?:我|那)?(?:就|还是)?(?:不|别|不要)(?:发|发送)了"
                          rf"[。！!]*+(?:{_COURTESY}{_GAP})*+$")
# At the follow-up question, asking for something to be cancelled or taken away ("停车费又涨了" "能取消吗", stalls
# "可以撤掉吗", "取消吗。", "能取消吗，谢谢") is about what was reported: news. At the number's questions 删除 / 撤回
# name a message, and 取消 / 撤掉 are read as taking it back too.
_ASKS_THING_GONE = re.compile(r"^(?:我们?)?(?:(?:能|可以)(?:帮我)?(?:取消|撤掉)(?:一下)?吗?|(?:取消|撤掉)吗)"
                              rf"[。！!？?]*+(?:[，,\s]*+{_COURTESY}{_GAP})*+$")
# Not taking it back after all ("算了，不撤回了", "我不想撤回了"): a reply to the bot, no words of the report. Only
# 撤回 / 撤销: "别撤啊" or "别取消" may be news (of a bus stop to be removed).
_KEEP = re.compile(rf"^{_BEFORE_WITHDRAW}(?:我|那)?(?:就|还是)?(?:不|不用|不想)(?:撤回|撤销)了?"
                   rf"{_GAP}(?:{_COURTESY}{_GAP})*+$")
_GIVE_UP = re.compile(rf"^(?:{_LET_IT_BE}{_GAP})*(?:{_LET_IT_BE}|(?:我|俺)?(?:就|也|还是)?(?:不想|不愿意?|不|懒得)再?"
                      rf"(?:说|讲|写|打字|补充|多说)){_GAP}(?:{_COURTESY}{_GAP})*+$")
# Thanks after a receipt number ("查询 MS-… 谢谢").
_COURTESY_AFTER = re.compile(rf"[\s，,。.！!]*(?:{_COURTESY}{_GAP})++$")
# Said when no question is open (at the start, after a receipt): an ok, not a problem to report.
# "知道了", "晓得了": the question was read. At the follow-up question there is more to come; at the phone offer
# and the consent the question is put again.
_ACK_WORDS = "收到|知道了|晓得了?|明白了?|了解了?|懂了"
_ACK = re.compile(rf"^(?:(?:{_ACK_WORDS}){_GAP})++$")
_OK = re.compile(rf"^(?:(?:{_ACK_WORDS}|{_COURTESY}|{_CLOSING}|{_YES_WORDS}|{_NO_WORDS}){_GAP})++$",
                 re.IGNORECASE)
# The questions whose choices are numbered (texts.ASK_PHONE, ASK_CONSENT): 1 is yes, 2 is no.
_NUMBERED = (AWAITING_PHONE, AWAITING_CONSENT)
# A choice as people write it, here and in WeChat's pickers (choice): "1", "1。", "1. 同意" (the option copied),
# "1同意", "1，谢谢", "1号", "选1", "第1个", "１", "第一个", "两". A number that counts something ("1号楼", "2天了",
# "1个月") is no choice.
_CHOICE = re.compile(r"^(?:我选|选择?|选第|第)?(?P<number>\d{1,2}|[一二两三四五六七八九十]{1,3})(?!\d)(?:个|号|项)?"
                     r"(?![号楼栋幢单元层室户个只条盏天年月日周点岁米元块次路期排间分秒段节页部批组件])"
                     r"[.．、:：)）,，。！!\s]*(?P<rest>.*)$", re.DOTALL)
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_CHINESE_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# One clause of an answer: yes and no words, thanks and goodbyes only ("好的", "我不需要", "谢谢，再见").
_ANSWER_CLAUSE = re.compile(rf"^我?(?:(?:{_COURTESY}|{_CLOSING}|{_YES_WORDS}|{_NO_WORDS})[{_PARTICLES}]*+)++$",
                            re.IGNORECASE)
# Or a short clause about the number itself that opens with a yes or a no ("不要给代表看", "我不想留电话"), maybe after
# the number named ("电话不留了"), or asks to show it ("给代表看吧").
_ABOUT_NUMBER = re.compile(r"代表|[给让][^，,。]{0,4}看|号码|电话|手机|回访|公开|保密|留")
# Who speaks or is spoken to, before the answer ("我不要", "你们可以给代表看的").
_SPEAKER = re.compile(r"^(?:我|(?:你们|您们|你|您)(?=可以|能|就|同意))")
_NUMBER_NAMED = re.compile(r"^(?:我的?)?(?:手机号?码?|电话号?码?|号码)(?:就|也|还是)?")
# Someone else, by their job or part, or as 他 / 别人: a number said to be theirs is never the citizen's.
_PARTIES = (r"经理|主任|书记|老板|老总|队长|科长|局长|站长|村长|组长|社长|所长|院长|校长|处长|部长|店长|班长|会计|"
            r"物业|保安|门卫|保洁|中介|房东|骗子|诈骗|商家|公司|客服|对方|人家|别人|(?<![其吉])[他她]")
_OTHER_PARTY = re.compile(_PARTIES)
# Whose the number is, when it is not the citizen's ("不是我的", "是骗子的", "是物业的电话", "是他的"); any other
# 是…的 ("是自己的号码", "是老伴的", "是可以给代表看的", "是对的") says nothing of that.
_NOT_OWN = rf"(?:也|并|都)?(?:不是(?:我|俺|本人|自己)|是[^，,。.！!？?；;]{{0,6}}?(?:{_PARTIES}))"
# After the number named ("号码是骗子的", "电话不是我的"): no answer to a question but the news, so the number is not
# taken for the citizen's.
_WHOSE_NUMBER = re.compile(rf"^{_NOT_OWN}")
_SHOW = re.compile(r"^(?:就|请|那就)?(?:[给让](?:代表|他|她|他们|她们)|代表(?:本人)?(?:可以|能)看)")
# After the news, only these yeses share the number ("东门看不清路，同意"): a 好的 there may close the news.
_EXPLICIT_YES = re.compile(rf"同意|愿意|可以|{_DO_NOT_MIND.pattern}")
# A clause that answers whether the deputy may see the number: said with the number, it answers the consent question.
_ABOUT_CONSENT = re.compile(r"代表|公开|保密|工作人员|别人|同意|愿意")
# A yes with the news glued to it, as voice typing writes it ("嗯嗯幸福小区东门口"); at the consent question a
# 同意 or 不同意 too ("同意东门看不清路"): elsewhere "不同意拆迁" is an opinion, not an answer.
_GLUED = re.compile(r"^(?:嗯+|好的|是的|对的)(?=[\u4e00-\u9fff])")
_GLUED_CONSENT = re.compile(r"^我?(?:不同意|同意|不愿意|愿意|嗯+|好的|是的|对的)(?=[\u4e00-\u9fff])")
# A refusal anywhere in the answer keeps the number from the deputy, even after a yes ("同意，但别让代表看").
_REFUSES_DEPUTY = re.compile(r"(?:不|别|没|勿)[^，,。.！!？?；;]{0,6}(?:代表|公开)|(?:不|别|勿)[^，,。.！!？?；;]{0,3}(?:告诉|给|让)"
                             r"(?:别人|外人)|外传|保密|只[给让有]?工作人员")
_CLAUSE = re.compile(r"(?P<clause>[^，,。.！!？?；;、~～\s]*)(?P<end>[，,。.！!？?；;、~～\s]*)")
# Any of these in the answer makes it a no: "好的，不同意" refuses, and a doubtful answer shares nothing.
_NEGATION = re.compile(rf"没(?!问题)|不|别|无|冇|莫得|莫有|否|算了|算咯|算啦|免了|跳过|{_CLOSING}")
_YES = re.compile(_YES_WORDS, re.IGNORECASE)
_OK_EMOJI = "👌👍"
# 布 for 不, the pinyin keyboard's slip ("布留", "布用了", "布同意"): read as the no it is; never inside a word
# (公布, 瀑布), which is the citizen's own and kept as written.
_TYPED_NO = re.compile(r"(?<![\u4e00-\u9fff])布(?=留|用|要|需要|必|同意|愿意|想)")
# "对了，…" / "哦对了，…" before more words is "by the way", not the yes 对 is: the words after it are the answer or news.
_BY_THE_WAY = re.compile(r"^(?:哦|噢|啊|哎)?对了[，,。.！!\s]+(?=\S)")
# "对了" alone ("哦对了", "对了对了", "对了哈"): the citizen is about to add something; the question stays open.
_BY_THE_WAY_ALONE = re.compile(r"^(?:哦|噢|啊|哎|嗯)?[，,\s]*(?:对了[哈嘛呀啊吧哦噢呢]*[，,\s]*)+[。.！!~～…\s]*$")
# "还有一件事", "对了，我还有个问题", "还有两件事", "我还有事要说", "我再补充一下", "我还没说完", "再加一句", "另外": more is
# coming, not the news itself; answered as 对了 alone is. Without a count, a qualifier or a word of saying it is no such
# thing: "我还有事" is busy, "还有问题" not fixed.
_SAY_MORE = r"(?:要说|想说|要讲|想讲|要补充|想补充|要反映|想反映)"
_COUNTED = r"(?:(?:一|两|三|几|好几)?(?:件|个|句)(?:事情?|事儿|问题|情况|话|意见|建议)|(?:一|两|三|几)点)"
_MORE_TO_SAY = re.compile(r"^(?:(?:哦|噢|啊|哎|嗯)?[，,\s]*对了[，,。.！!\s]*)?(?:我|俺)?(?:"
                          rf"(?:还有|另外还有|另外有|还要|还想)(?:{_COUNTED}{_SAY_MORE}?|"
                          rf"(?:一点|点|其他|别的|其他的)?(?:事情?|事儿|问题|情况|话){_SAY_MORE})"
                          r"|还有(?:其他|别的|其他的)(?:事情?|问题|情况)|还有话(?:要|想)?(?:说|讲)"
                          r"|还(?:要|想)(?:说|讲|反映)(?:一下|几句|两句)?|还?没(?:说|讲|写)完|还没完"
                          r"|(?:再|还)?(?:加|补|说|讲)(?:一|两|几)句|另外"
                          r"|(?:还|再)?(?:要|想)?补充(?:一下|一点|两句|几句)?)"
                          r"(?:一下)?[哈嘛呀啊吧哦噢呢]*[。.！!~～…，,\s]*$")
# A few words that hesitate or ask back at a question ("我想想", "都行", "代表是谁？") carry no news.
_NO_NEWS = re.compile(r"[？?]$|吗|谁|什么|怎么|哪|想想|考虑|都行|都可以|随便|无所谓|看情况|再说|不知道|不清楚")
# 有 to "能再具体说说吗？": there is more, not written yet.
_MORE_COMING = re.compile(rf"^(还)?有[{_PARTICLES}]*[。！!]*$")
# Words before a number that make it the citizen's own ("我电话", "回访请打", "联系我").
_OWN_NUMBER = re.compile(r"我的?(?:手机|电话|号码|联系方式)|联系我|找我|打我|回访|回电|有事|请打|拨打|致电|打这个|联系电话|联系方式")
# "电话打错了，是…": the words correcting a number given before.
# "刚才忘了留电话，", "补充一下电话", "忘了说了，": the whole of the words before a number left late, no news.
_LATE_NUMBER = re.compile(r"(?:刚才|刚刚|之前|前面|上面)?(?:忘了|忘记了?|漏了|补充|补)(?:一下|下)?(?:留|写|说|给|发)?(?:了|一下)?"
                          r"(?:我的|个)?(?:手机|电话|号码|联系方式)?(?:号码|号)?了?[，,。:：\s]*")
_CORRECTION = re.compile(r"(?:刚才的?)?(?:手机号?码?|电话号?码?|号码)?(?:写|打|输|填|发|留)?错了|更正|应该是|正确的?是|改[为成]|"
                         r"换了?(?:新)?(?:手机号?码?|电话号?码?|号码?)了?")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# In the first message only words right before a number make it the citizen's own ("…，我电话138…", "有事打我手机",
# "回访请打", "联系电话：…"), or words right after it ("138…是我的电话"). In "我电话被138…骚扰了", "物业电话138…"
# or "王经理说没钱修，电话138…" the number is the news: taken for the citizen's, it would leave the report and be
# offered to the deputy.
_OWN_LEAD = re.compile(r"(?:(?:我|我家|俺|本人)的?(?:手机|电话|座机|联系电话|联系方式)|"
                       r"(?:回访|回电)(?:请|可以|就)?(?:打|拨打|致电|联系|找)?(?:我的?|这个)?(?:手机|电话)?|"
                       r"(?:有事|需要)(?:请|可以|就)?(?:打|拨打|致电|联系|找)我的?(?:手机|电话)?|"
                       r"(?:联系我|找我|打我)(?:请|可以|就)?(?:打|拨)?(?:的?手机|的?电话)?|"
                       r"(?:^|(?<=[，,。.！!；;\s]))(?:联系电话|联系手机|联系方式))(?:号码|号)?(?:是|为)?[:：\s]*$")
_OWN_AFTER = re.compile(r"^[\s，,（(]*(?:是|为)?(?:我|本人)的?(?:手机|电话|号码|联系方式)(?:号码|号)?[）)]?")
# How people introduce the number they leave, at the end of the words before it ("我的手机号码是", "回访请打",
# "留个电话", "号码："), so it is not taken for more words.
_PHONE_LEAD = re.compile(r"(?i:tel|phone|mobile)?(?:那就|那)?(?:回访|有事|联系我?)?(?:你们|您)?(?:请|可以|就)?"
                         r"(?:打|拨打|致电|联系)?(?:这个|这是|这个是)?(?:我的|我家的?|我|俺的?|家里的?|家庭|家|本人的?|自己的?)?(?:新的?)?"
                         r"(?:留个?|留下)?(?:手机|电话|联系方式|联系电话|座机|固话|固定电话|微信|短信)?(?:号码|号)?(?:是|为)?[:：\s]*$")
# Words beside a number about reaching the citizen ("张先生", "我是张大爷", "微信同号", "打我儿子", "白天打不通晚上打",
# "下午方便", "这是我儿子的手机"): a note for staff with the number, never the report. Each clause of the words must be
# one of these. A number said not to answer ("随时打都不接", "晚上打不通") or to call again and again ("晚上一直打",
# "随时都在打") is news about someone else's.
_KIN = ("儿子|女儿|闺女|老伴|爱人|家人|孙子|孙女|外孙女|外孙|老公|媳妇|儿媳妇|儿媳|女婿|丈夫|妻子|家属|哥哥|姐姐|弟弟|妹妹|"
        "爸爸|妈妈|父亲|母亲|老大|老二|老三")
_TITLES = "先生|女士|小姐|大爷|大妈|大娘|阿姨|叔叔|师傅|老师|奶奶|爷爷|大姐|大哥"
# A clause that is only someone named ("物业王师傅", "骗子张先生", "此人是骗子"); not "不是骗子的", "那个是骗子的"
# (another number).
_PERSON_NAMED = re.compile(rf"^(?:是|找)?(?:(?![不那])[\u4e00-\u9fff]){{0,6}}(?:{_TITLES}|{_PARTIES})的?(?:电话|手机|号码)?$")
_NAME_BREAK = re.compile(r"[，,。.！!？?；;、~～\s()（）【】\[\]]+")
# When to call, in a note beside a number: a part of the day, a kind of day, an hour.
_PART_OF_DAY = "白天|晚上|上午|下午|中午|早上|傍晚"
_WHEN = rf"{_PART_OF_DAY}|周末|工作日|下班后?"
_HOUR = "[0-9一二三四五六七八九十]+点"
_NOTE_CLAUSE = re.compile(
    rf"^(?:(?:我是|我姓|姓|找|联系人[:：]?)?[\u4e00-\u9fff]{{0,3}}(?:{_TITLES})|"
    r"(?:微信|手机){0,2}(?:同号|同微信|也是微信|微信也是(?:这个)?)|"
    rf"(?:这是|这个是|是|我?用的?是?|我是[\u4e00-\u9fff]{{1,5}}的)?(?:请|可以|可)?(?:打|找|联系)?(?:我|俺)?家?的?(?:{_KIN})的?"
    r"(?:电话|手机)?|"
    rf"(?:{_WHEN}|{_HOUR}(?:以?后|以?前))"
    r"(?![^，,。]{0,8}?(?:一直|还在|都在|天天|老是|总|经常|每天|又|不停))[^，,。]{0,8}?(?:打|方便|在家|(?<![不没人])接|联系|有空)|"
    r"随时(?:都可以|可以|都能|能)?(?:打|联系|找我|方便|接)(?!了)|"
    rf"(?:{_PART_OF_DAY})?{_HOUR}半?(?:以?后|以?前|之后|之前))[了吧啊哈的]*$")
# When a number calls or is to be called ("白天打", "晚上8点以后打"): after a bare number, when to call the citizen back.
_CALLS_WHEN = re.compile(rf"^(?:随时|{_WHEN}|{_HOUR})[^，,。]{{0,8}}?打")
# The citizen saying who they are, in a clear name form only: 我姓李, 我叫王建国, 我是张大爷 (a surname and a form of
# address), 我是老王 / 小李. Beside their number it is a note for staff, and in the first message it makes the number
# theirs. Other words after 我是 ("我是万达", "我是王家湾", "我是付款了", "我是业主") name no one and stay in the report.
_SELF_NAMED = re.compile(rf"^(?:我|俺|本人)(?:姓(?:{SURNAMES})|叫(?:{SURNAMES})[\u4e00-\u9fff]{{1,2}}|"
                         rf"是?(?:{SURNAMES})(?:{_TITLES})|是?[老小](?:{SURNAMES}))$")
# The citizen saying who or where they are otherwise ("我是业主", "我住幸福小区"): beside a number it makes the number
# theirs too, but it may tell the deputy something (a place), so it stays in the report.
# 我是 only with who they are as a resident ("我是业主", "我是幸福小区的", "我是本地人"): "我是骗子" says no such thing.
_SELF_SAID = re.compile(r"^(?:我|俺|本人)(?:(?:住|家住|住在|在)[\u4e00-\u9fff]{1,10}|"
                        r"是(?!.*(?:骗|诈|冒充|传销|推销))[\u4e00-\u9fff0-9]{0,8}"
                        r"(?:业主|居民|村民|住户|租户|租客|房主|家属|家长|市民|群众|老百姓|党员|职工|学生|老人|人|的))$")
# Words run into a number that name someone else by their job or part ("物业王经理138…", "房东138…"): their number,
# whatever follows it ("…，是我的电话").
_SOMEONE_ELSE = re.compile(rf"(?:{_PARTIES})的?$")
# How a number is labelled when nothing says whose it is ("我是张大爷，电话138…"): the self-introduction beside it does.
_BARE_LABEL = re.compile(r"(?:联系电话|联系方式|电话号码|手机号码|手机号|电话|手机|号码)?(?:是|为)?[:：\s]*$")
_LABEL_WORD = re.compile(r"电话|手机|号码|联系方式")
_CLAUSE_BREAK = re.compile(r"[，,。.！!？?；;、~～\s]")
# Words after a number that say what it is ("138…这个号码骚扰我", "138…（骗子）", "…138…，是物业的"): they are the
# news, whoever the citizen said they are.
_DESCRIBES_NUMBER = re.compile(r"^(?:[^，,。.！!？?；;、~～\s]|[，,。.！!；;、~～\s]*(?:是|的|这个|[（(【\[]))")
# A clause asking to be called back ("打我电话", "需要回电", "能给我回个电话吗", "电话联系我"). With nothing but a
# number and politeness beside it, it makes the number the citizen's; around a report it is part of the report (the
# number may be the one complained about). Alone right after a receipt it asks for the number; at the phone offer
# it is a yes. "打给我" (someone called) and "打这个电话" (call someone else) ask for no call back.
_CALL_ME = re.compile(r"^(?:我)?(?:请|麻烦|希望|需要|要|想|盼|盼望)?(?:你们|您们|您|你)?(?:工作人员|代表|有人)?"
                      r"(?:能|能不能|可以|可不可以|能否)?"
                      r"(?:尽快|早点|有空|方便(?:的话|时)?)?"
                      r"(?:(?:给我|跟我)?回(?:个|一?下)?(?:电话?|访|复)(?:给我|我)?|(?:给我)?打(?:个|一?下)?电话(?:给我|联系我)?|"
                      r"打我的?(?:电话|手机)|(?:电话|打电话)?联系我|等(?:你们|您们|您|你)?的?(?:电话|回电|回复))"
                      r"(?:就行|就好|即可|吧|啊|哈|呀|一下|下)*(?:好吗|行吗|可以吗|好不好|行不行|吗|呢)?[吧啊哈呀]*$")
# The words naming a second number ("座机", "或者", "备用电话是").
_SECOND_NUMBER_LABEL = re.compile(r"(?:还有|或者?|备用|另外)?(?:一个)?(?:手机|电话|座机|固话|固定电话|家里电话|家庭电话|号码)?"
                                  r"(?:号码?)?(?:是|为)?[:：\s/／]*$")
# Right after a number, words saying it is not the citizen's ("，号码是骗子的", "不是我的", "是物业的电话").
_NOT_OWN_AFTER = re.compile(rf"^(?:这个)?(?:(?:手机|电话|号码)(?:号码|号)?)?{_NOT_OWN}")
# Right after a number, 是 and words naming a kind of number ("138…是推销电话", "138…是谁的号码"): what the number is,
# the news, though it reads like an answer about it ("138…是手机号" names no kind). Only "是我的…" (_OWN_AFTER,
# _MINE_AFTER) makes it the citizen's.
_NUMBER_KIND = re.compile(r"^是[^，,。]*?[^手机电话号码，,。](?:电话|号码|手机)")
# "138…是我女儿的", "138…（本人）", "138…就是我", "138…是我本人", "138…这个是我的": said to be theirs.
_MINE_AFTER = re.compile(rf"^[（(]?(?:这个|这)?(?:就是|是|为)?(?:我本人|我|俺|本人)(?:自己|家里?|的?(?:{_KIN}))?的?(?:新的?)?"
                         r"(?:手机|电话|号码|联系方式|微信)?(?:号码|号)?[）)]?")
# How the citizen may be reached, run into their number ("138…打我", "138…有事联系", "138…只能发短信",
# "138…不方便接电话", "138…家里"): the number is theirs.
_REACH_ME = re.compile(r"^(?:请|可以|可|就|有事|随时)?(?:(?:打|拨|找|联系|打给|发短信给?|短信联系|微信联系|电话联系)(?:我|俺)?|"
                       r"(?:只能|能|可以)?(?:发短信|打通|打得通|接电话)|(?:接电话)?不?方便(?:接电话|接)?|在家|"
                       r"(?:我|俺)?家(?:里|庭)?的?(?:电话|座机|号码)?)[了吧啊哈的就行好]*$")
# Who the citizen is, run into their number: a resident by where they live ("幸福小区业主", "3栋张大爷", "业主"),
# their address ("幸福小区3栋2单元", "东门"), their name ("王建国", "老王", "姓王", "刘"; not one ending in a role: "李总",
# "张医生").
_RESIDENT = re.compile(rf"^(?:我是|我|俺|本人)?(?P<where>[\u4e00-\u9fff0-9]{{0,12}}?)的?"
                       rf"(?:业主|居民|住户|村民|租户|租客|房主|(?:{SURNAMES})(?:{_TITLES}))$")
_ADDRESS = re.compile(r"^(?:我|俺)?(?:住|家住|住在)?[\u4e00-\u9fff0-9]{0,14}"
                      r"(?:小区|花园|苑|村|组|栋|楼|幢|单元|号|室|社区|街道|镇|乡|县|路|街|巷|门|院)(?:[0-9]{1,4}(?:室|号)?)?$")
_UNIT = re.compile(rf"[0-9一二三四五六七八九十]+(?:{either(BUILDING_WORDS + ('楼', '室'))})")
_NAME = re.compile(rf"^(?:(?:姓|老|小)?(?:{SURNAMES})|(?:{SURNAMES})[\u4e00-\u9fff]{{1,2}}(?<![总工队局长任记板理计师生警官员主]))$")
# "13812345678，我是幸福小区的": the citizen says who they are after their number, which is theirs.
_SELF_AFTER = re.compile(r"^[\s，,。.]+(?=(?:我|俺)(?:是|住|在|家))")
MIN_CONCRETE_CHARS = 8
# Letters typed along one row of a keyboard ("asdf", "qwer", "jkl"): a test of the page, not a report.
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890")


@dataclass(frozen=True)
class Turn:
    """What the engine decided: the next state, what to say, and what the caller must store."""

    state: str
    replies: list[str] = field(default_factory=list)
    start: str | None = None  # begin a new submission with this text
    append: str | None = None  # add this text to the open submission
    phone: str | None = None
    share_phone: bool | None = None
    finalize: bool = False
    withdraw: bool = False
    query_receipts: tuple[str, ...] = ()  # each answered, in the order asked
    query_latest: bool = False  # 查询 alone: the caller answers for the citizen's last receipt, if any
    query_about: str | None = None  # with query_latest: the last receipt whose message has these words, if any
    # With query_about: asked of "my" thing ("我的路灯修了没有"), a question only when a sent message has the words.
    query_mine: bool = False
    # With query_about: the turn when no message has those words; the text is news then, for a new message.
    otherwise: Turn | None = None
    # After a progress answer (AWAITING_CONTACT): the number and whether the deputy may see it, for that message.
    contact_phone: str | None = None
    contact_share: bool | None = None
    # Words about reaching the citizen said with the number (_NOTE_CLAUSE), for staff: never the report.
    contact_note: str | None = None
    # A call back asked for with no number ("需要回电") about the message pointed at: the caller tells the number it
    # has, or the number is asked for.
    call_back: bool = False
    wants_person: bool = False  # the caller answers with the station's phone and opening hours
    withdraw_sent: bool = False  # asked to take back a sent message: the caller names the station to ask
    rejected: bool = False
    go_on: bool = False  # the caller answers with go_on_reply(the open submission's text)
    # The open submission is sent as it is first (its receipt told): this turn begins another report.
    send_open: bool = False
    explain: bool = False  # the caller answers with explain_reply(the open submission's text)


def greeting(name: str, level: str, station: str) -> str:
    return texts.GREETING.format(name=name, level=level, station=station)


def receipt_number(text: str) -> str | None:
    """MS-<day>-<nnnn> from the loose ways people write it, or None when it is no receipt number."""
    loose = unicodedata.normalize("NFKC", text).strip().rstrip(_TRAILING).replace("—", "-").replace("－", "-")
    # Spaces anywhere ("MS 2026 1205 3") and a 号 after the number ("MS-20261205-3号") as people say it.
    loose = re.sub(r"\s+", "", loose).removesuffix("号").rstrip(_TRAILING)
    match = _RECEIPT.match(_RECEIPT_LABEL.sub("", loose))
    if not match:
        return None
    return f"MS-{match.group('day')}-{int(match.group('number')):04d}"


def is_vague(text: str) -> bool:
    return len(_CJK.findall(text)) < MIN_CONCRETE_CHARS


def is_nonsense(text: str) -> bool:
    """Nothing a person could act on: only emoji or punctuation, one character over and over ("啊啊啊"),
    or a run along a keyboard row ("asdf", "asdfasdf"). Anything with two different words passes, and so does a
    long text: it is refused as too long, or it is a letter."""
    if len(text) > 100:
        return False
    compact = "".join(ch for ch in unicodedata.normalize("NFKC", text).lower()
                      if unicodedata.category(ch)[0] in "LN")
    if len(set(compact)) <= 1:
        return True
    if len(compact) < 3 or not compact.isascii():
        return False
    for size in range(3, len(compact) + 1):
        chunk = compact[:size]
        if len(compact) % size == 0 and chunk * (len(compact) // size) == compact:
            return any(chunk in row or chunk in row[::-1] for row in _KEYBOARD_ROWS)
    return False


def _address_alone(text: str) -> str | None:
    """The address a message says when it says nothing else; never with a phone number in it, which is no place."""
    return None if phones.find(text) else only_address(text)


def _follow_up(text: str, lead: str = "收到。") -> str | None:
    address = _address_alone(text)
    if address:  # "幸福里小区3栋": where, not yet what is wrong there; the answer completes this report
        return lead + texts.PROBLEM_QUESTION.format(place=address)
    building = building_alone(text)
    if building:  # "3栋": which estate's, and what is wrong there
        return lead + texts.BUILDING_QUESTION.format(building=building)
    missing_place, vague = not has_place(text), is_vague(text)
    if missing_place and vague:
        return lead + texts.PLACE_AND_DETAIL_QUESTION
    if missing_place:
        return lead + texts.PLACE_QUESTION
    if vague:
        return lead + texts.DETAIL_QUESTION
    return None


_EXPLAINED = {AWAITING_DETAIL: texts.EXPLAIN_DETAIL, AWAITING_PHONE: texts.EXPLAIN_PHONE,
              AWAITING_CONSENT: texts.EXPLAIN_CONSENT}
_THANKED_REPLIES = {AWAITING_DESCRIPTION: texts.THANKED_IDLE, AWAITING_DETAIL: texts.THANKED_DETAIL,
                    AWAITING_PHONE: texts.THANKED_PHONE, AWAITING_CONSENT: texts.THANKED_CONSENT}
_KEPT_REPLIES = {AWAITING_DESCRIPTION: texts.KEPT_IDLE, AWAITING_PHONE: texts.KEPT_PHONE,
                 AWAITING_CONSENT: texts.KEPT_CONSENT}


def _without_emoji(text: str) -> str:
    """The text without emoji and other pictures ("谢谢🙏"): they say nothing a reply is read by, except the ok
    signs, which are yes words (_YES_WORDS)."""
    return "".join(ch for ch in text if ch in _OK_EMOJI or (unicodedata.category(ch) not in ("So", "Sk")
                                                             and ch not in "\u200d\ufe0f"))


def handle(state: str | None, text: str) -> Turn:
    turn = _handle_in(state, text, True)
    if turn.query_about:
        return replace(turn, otherwise=_handle_in(state, text, False))
    return turn


def _handle_in(state: str | None, text: str, earlier: bool) -> Turn:
    """The turn in any state; `earlier` False reads a question after a named earlier report as news."""
    if state in _PROBLEM_STATES:
        again = _problem_asked_again(_after_greeting(_without_emoji(text).strip()))
        if again:
            return again if again.phone else replace(again, state=state)
    if state in (*_DETAIL_STATES, *_NUMBERED) and _ANOTHER_REPORT.match(_after_greeting(_without_emoji(text).strip())):
        # "你好，我想反映个问题", "我还想反映个问题" with a question open (after a reload it may be long forgotten): a
        # new report begins. These words are no part of the open one, which is sent as it is, and the problem asked for.
        return Turn(AWAITING_DESCRIPTION, [texts.ASK_WHAT], send_open=True)
    if _BY_THE_WAY_ALONE.match(_without_emoji(text).strip()) or _MORE_TO_SAY.match(_without_emoji(text).strip()):
        # Never the yes 对 is: at the phone offer no number is asked for, at the consent the deputy sees nothing.
        return Turn(state, go_on=True) if state in _DETAIL_STATES else \
            Turn(state if state in STATES else AWAITING_DESCRIPTION, [texts.GO_AHEAD])
    if state in (AWAITING_CONTACT, AWAITING_CONTACT_NUMBER, AWAITING_SENT_CONTACT):
        return _contact_turn(state, text, earlier)
    if state == AWAITING_CONTACT_CONSENT:
        return _contact_consent_turn(text, earlier)
    if state not in _DETAIL_STATES:
        return _handle(state, text, earlier)
    if _only_call_me(_without_emoji(text).strip()):
        # "需要回电": the number asked for as at the phone offer, or its consent when it is known.
        if state in _NUMBER_KEPT:
            return Turn(AWAITING_CONSENT, [texts.ASK_CONSENT_AFTER_DETAIL])
        return Turn(AWAITING_PHONE, [texts.ASK_NUMBER])
    gives_up = bool(_GIVE_UP.match(_without_emoji(text).strip()))
    if gives_up and state in _PROBLEM_STATES:
        # "不想说了" to what is wrong at the address: the address stays as it is, and how to go on or leave is said.
        return Turn(state, [texts.PROBLEM_GIVEN_UP])
    news, declined = ("", False) if gives_up else _without_no_callback(text)
    if declined and state == AWAITING_DETAIL:
        state = AWAITING_DETAIL_NO_CALLBACK
    # "不用回访" or "不想说了" alone says there is nothing more, as 没有 does.
    turn = _handle(AWAITING_DETAIL, news or "没有", earlier)
    if turn.state == AWAITING_DETAIL:
        return replace(turn, state=state)
    if state in _PROBLEM_STATES and turn.state == AWAITING_PHONE and not (turn.append or "").strip():
        # "没有", "不用回访" to what is wrong at the address: an address alone tells the deputy nothing.
        return Turn(state, [texts.PROBLEM_STILL_MISSING])
    if turn.state != AWAITING_PHONE:
        return turn
    # The follow-up is answered: when the number is known its consent is asked, not the phone offer; when a call
    # back was declined the message is sent.
    if state in _NUMBER_KEPT:
        return replace(turn, state=AWAITING_CONSENT, replies=[texts.ASK_CONSENT_AFTER_DETAIL])
    if state == AWAITING_DETAIL_NO_CALLBACK:
        return replace(turn, state=AWAITING_DESCRIPTION, replies=[], finalize=True)
    return turn


def _contact_turn(state: str, text: str, earlier: bool) -> Turn:
    """After a progress answer or a receipt: a number with nothing to report beside it ("13812345678",
    "我电话138…，别给代表看") is for that message, with the consent asked as at the phone offer; a yes to the
    progress answer's offer is asked for the number, once; anything else is read as with nothing open."""
    stripped = _without_emoji(text).strip() or text
    number = _number_turn(stripped)
    if number is not None and not number.append:
        if number.finalize:  # the consent said with it
            return Turn(AWAITING_DESCRIPTION, contact_phone=number.phone, contact_share=number.share_phone,
                        contact_note=number.contact_note)
        return Turn(AWAITING_CONTACT_CONSENT, [texts.ASK_CONSENT_NOTE if number.contact_note else texts.ASK_CONSENT],
                    contact_phone=number.phone, contact_note=number.contact_note)
    if _only_call_me(stripped):  # "需要回电": the number for that message, asked for (or told, when it has one)
        asked = texts.CONTACT_NUMBER_AWAITED if state == AWAITING_CONTACT_NUMBER else texts.CONTACT_ASK_NUMBER
        return Turn(AWAITING_CONTACT_NUMBER, [asked], call_back=True)
    said = _reading(stripped.rstrip(_TRAILING), False)
    if said.yes and not said.no and not said.rest and state != AWAITING_SENT_CONTACT:
        # Asked once; a yes again is answered as with nothing open, and the number may still follow.
        return Turn(AWAITING_CONTACT_NUMBER, [texts.CONTACT_ASK_NUMBER if state == AWAITING_CONTACT else texts.OK_IDLE])
    turn = _handle(AWAITING_DESCRIPTION, text, earlier)
    if turn.replies == [texts.NUMBER_BEFORE_NEWS]:
        if number is None and not phones.find(stripped):  # digits meant as a mobile, mistyped
            return Turn(state, [texts.CONTACT_MISTYPED])
        # A number not taken ("我是张大爷，电话138…，请回电", "138…是物业的电话"): the message is still pointed at.
        return Turn(state, [texts.CONTACT_NUMBER_ALONE])
    return turn


def _contact_consent_turn(text: str, earlier: bool) -> Turn:
    """The consent for a number added to a sent message, read as at the phone offer's consent; words that are a
    report start a new message, since the sent one takes no more."""
    if _ABOUT_TO_REPORT.match(_after_greeting(_without_emoji(text).strip())) or \
            _ANOTHER_REPORT.match(_after_greeting(_without_emoji(text).strip())):
        # "我有个事想反映一下": a new report begins; the number stays for staff only, as with a 2, and the citizen is
        # told so.
        return Turn(AWAITING_DESCRIPTION, [texts.ASK_WHAT], contact_share=False)
    turn = _handle(AWAITING_CONSENT, text, earlier)
    if turn.withdraw:  # 重新开始 or 撤回: the sent message is no open one
        return _handle(AWAITING_DESCRIPTION, text, earlier)
    if turn.state == AWAITING_CONSENT:  # asked again, or the number corrected
        # Words beside the number ("159… 白天打也不接") cannot join the sent message: kept with the number for staff.
        note = "，".join(words for words in (turn.contact_note, turn.append) if words) or None
        return replace(turn, state=AWAITING_CONTACT_CONSENT, phone=None, append=None, contact_phone=turn.phone,
                       contact_note=note,
                       replies=[texts.ASK_CONSENT_NOTE if note else texts.ASK_CONSENT] if turn.phone else turn.replies)
    if not turn.finalize:
        return turn
    answer = {"contact_phone": turn.phone, "contact_share": bool(turn.share_phone)}
    if turn.append:
        return replace(_handle(AWAITING_DESCRIPTION, turn.append, earlier), **answer)
    return Turn(AWAITING_DESCRIPTION, **answer)


def _without_no_callback(text: str) -> tuple[str, bool]:
    """The report without its clauses declining a call back, and whether there were any; thanks after such a
    clause go with it ("…，不需要联系我，谢谢")."""
    kept, declined, just_declined = [], False, False
    for clause in _CLAUSE.finditer(text):
        words = clause.group("clause")
        if not words and not clause.group("end"):
            break
        if _NO_CALLBACK.match(words) or (just_declined and _THANKED.match(words)):
            declined = just_declined = True
            continue
        just_declined = False
        kept.append(clause.group())
    if not declined:
        return text, False
    return "".join(kept).strip(_TRAILING), True


def _after_greeting(stripped: str) -> str:
    """The words after the greetings a message opens with ("你好，在吗？我想反映个问题", "喂你好我要投诉" as voice
    typing writes it)."""
    rest = stripped
    for clause in _CLAUSE.finditer(stripped):
        if not clause.group("clause") or not _HELLO.match(clause.group()):
            break
        rest = stripped[clause.end():]
    return _GREETING_LEAD.sub("", rest)


def _asks_earlier(stripped: str) -> str | None:
    """What an earlier report was about ("路灯"), "" when the question names no thing ("那个事"), None when the
    words ask after no earlier report."""
    if len(_CJK.findall(stripped)) > 40:
        return None
    asked = _ASKS_EARLIER.search(stripped) or _ASKS_MINE.match(stripped)
    if not asked or not (asked.group("question") or _QUESTION_END.search(asked.group("tail"))):
        return None
    if asked.re is _ASKS_MINE and _EVENT.search(asked.group("subject")):
        return None
    if _NEWS_SINCE.search(stripped[:asked.start()] + asked.group("subject") + asked.group("tail")):
        return None
    subject, named = asked.group("subject"), ""
    while named != subject:  # "垃圾的问题有" is 垃圾
        named, subject = subject, _NO_SUBJECT.sub("", subject)
    return subject.strip(_TRAILING)


def _asks_latest(stripped: str) -> bool:
    """Whether the words ask after an earlier message: what (问题, 事) with how it stands (怎么样, 有结果了吗) or 查,
    or 进度 / 结果 / 有回复 itself ("进度怎么样了", "我想问下进度", "有回复了吗")."""
    asked = len(_CJK.findall(stripped)) >= 3 and _ASKS_LATEST.match(stripped)
    if not asked:
        return False
    subject, how, handled = asked.group("subject"), asked.group("asked"), asked.group("handled")
    if asked.group("check") and subject:
        return True
    if subject:  # "我的问题处理了吗"
        return bool(how or handled)
    # Without a subject: how the handling goes ("处理得怎么样了"), or 进度 / 有结果 / 有回复 itself.
    return bool(how) and bool(handled or any(word in how for word in _PROGRESS_WORDS))


def _problem_asked_again(said: str) -> Turn | None:
    """At the question what is wrong at the address given: the address confirmed, typed again or corrected, the
    citizen's number, or only the wish to report, is no answer; the question is put again (an address typed again or
    corrected joins the report, a number is kept apart from it). None otherwise."""
    said = re.sub(f"[{_OK_EMOJI}]", "", said).strip()  # "幸福里小区3栋👍": the address, and an ok that tells nothing wrong
    if _ANOTHER_REPORT.match(said) or _ABOUT_TO_REPORT.match(said):
        # Only an address is open: sent alone it would tell nobody anything, so it waits for the problem.
        return Turn(AWAITING_PROBLEM, [texts.PROBLEM_GO_AHEAD])
    if _PLACE_CONFIRMED.match(said):
        return Turn(AWAITING_PROBLEM, [texts.PROBLEM_AGAIN])
    number = phones.find(said)
    if number is None and (only_address(said) or building_alone(said)):
        # The address typed again, or more of it ("3栋2单元"): still not what is wrong there (the same words count once).
        return Turn(AWAITING_PROBLEM, [texts.PROBLEM_AGAIN], append=said)
    if number is not None:
        start, end, digits = number
        place = f"{said[:start]} {said[end:]}".strip(_TRAILING)
        if not place or _NUMBER_NAMED.sub("", place).strip(_TRAILING + "是为：:") == "":
            # The citizen's number alone ("139…", "我电话139…"): kept, and the problem still asked for.
            return Turn(AWAITING_PROBLEM_NUMBER_KEPT, [texts.PROBLEM_NUMBER_ONLY_NOTED], phone=digits)
        if phones.find(place) is None and (only_address(place) or building_alone(place)):
            # "3栋 139…": more of the address and the citizen's number, which is kept apart from it.
            return Turn(AWAITING_PROBLEM_NUMBER_KEPT, [texts.PROBLEM_NUMBER_NOTED], append=place, phone=digits)
    corrected = _PLACE_CORRECTED.match(said)
    if corrected:
        place = corrected.group("place").strip(_TRAILING)
        if not place:
            return Turn(AWAITING_PROBLEM, [texts.PROBLEM_PLACE_AGAIN])
        if only_address(place) or building_alone(place):
            return Turn(AWAITING_PROBLEM, [texts.PROBLEM_PLACE_CORRECTED], append=said)
    return None


def _handle(state: str | None, text: str, earlier: bool = True) -> Turn:
    state = state if state in STATES else AWAITING_DESCRIPTION
    original = text.strip()
    if not original:
        return Turn(state, [texts.EMPTY], rejected=True)
    # Answers are read without their emoji; emoji alone stay what they are (not understood).
    stripped = _without_emoji(original).strip() or original
    if state in _NUMBERED and stripped == original and "🙏" in original and is_nonsense(original):
        # 🙏 alone is thanks (or "please"): a polite word back and the choice again, no "not understood".
        return Turn(state, [_THANKED_REPLIES[state]])
    stripped = _BY_THE_WAY.sub("", _TYPED_NO.sub("不", stripped)) if state != AWAITING_DESCRIPTION else stripped
    command = stripped.rstrip(_TRAILING)
    if command in _RESTART:
        return Turn(AWAITING_DESCRIPTION, [texts.RESTARTED], withdraw=True)
    if stripped in _HELP or command in _HELP:
        return Turn(state, [texts.HELP])
    bare_receipt = receipt_number(stripped)
    if bare_receipt:
        return Turn(state, query_receipts=(bare_receipt,))
    query = _QUERY.match(stripped)
    if _asks_latest(stripped):
        return Turn(state, [texts.QUERY_ASK_RECEIPT], query_latest=True)
    about = _asks_earlier(stripped) if earlier else None
    if about is not None:
        mine = not _ASKS_EARLIER.search(stripped)
        if not (mine and not about):  # "my" thing unnamed asks after nothing
            return Turn(state, [texts.QUERY_ASK_RECEIPT], query_latest=True, query_about=about or None,
                        query_mine=mine)
    loose = unicodedata.normalize("NFKC", stripped)
    written = [receipt_number(found.group()) for found in _RECEIPT_INSIDE.finditer(loose)]
    inside = tuple(dict.fromkeys(written))
    if inside:
        pieces = _RECEIPT_INSIDE.split(loose)
        around = "".join(pieces)
        # Counted as written: the same number pasted twice ("MS-… MS-…") is asked after as several are, and answered once.
        several = len(written) > 1
        # "MS-… 和 MS-…": the word joining them asks nothing more; the length is still judged on all the words.
        asking = "".join(piece for i, piece in enumerate(pieces)
                         if not (0 < i < len(pieces) - 1 and _NOT_A_WORD.sub("", piece) in _JOINING))
        only_asking = not _CJK.findall(_ONLY_ASKING_AFTER.sub("", asking)) and not phones.find(around)
        # Several numbers with nothing else beside them are asked after, as one alone is.
        if (only_asking or len(_CJK.findall(around)) <= 10) and (
                _ABOUT_PROGRESS.search(around) or several and only_asking):
            return Turn(state, query_receipts=inside)
    if query:
        asked = query.group("receipt").strip().rstrip(_TRAILING)
        if not asked:
            return Turn(state, [texts.QUERY_USAGE], query_latest=True)
        receipt = receipt_number(asked) or receipt_number(_COURTESY_AFTER.sub("", asked))
        if receipt:
            return Turn(state, query_receipts=(receipt,))
        if query.group("verb") in ("查询", "查寻") and stripped.startswith(query.group("verb")):
            return Turn(state, [texts.QUERY_NOT_RECEIPT.format(text=asked[:30])])
    if _ASKS_RECEIPT.match(stripped):
        return Turn(state, [texts.QUERY_ASK_RECEIPT], query_latest=True)
    if _PERSON.match(stripped) or _ASKS_PHONE.match(stripped):
        return Turn(state, wants_person=True)
    if _KEEP.match(stripped):
        # The question stays as it was: at the follow-up the citizen is asked to go on.
        return Turn(state, go_on=True) if state == AWAITING_DETAIL else Turn(state, [_KEPT_REPLIES[state]])
    not_sending = bool(_NOT_SENDING.match(stripped))
    if not_sending and state == AWAITING_PHONE:
        return _phone_turn(stripped, text, False, True, "")
    if not_sending and state == AWAITING_CONSENT:
        return Turn(AWAITING_DESCRIPTION, share_phone=False, finalize=True)
    if not_sending or _WITHDRAW.match(stripped) and not (state == AWAITING_DETAIL and _ASKS_THING_GONE.match(stripped)):
        if state == AWAITING_DESCRIPTION:
            return Turn(state, withdraw_sent=True)
        return Turn(AWAITING_DESCRIPTION, [texts.WITHDRAWN_OPEN], withdraw=True)
    if _HELLO.match(stripped) and not _THANKED.match(stripped):  # "谢谢代表" thanks, though it names the deputy
        return Turn(state, [texts.HELLO_AGAIN if state == AWAITING_DESCRIPTION else texts.HELLO_MIDWAY])
    opening = _after_greeting(stripped)
    if state == AWAITING_DESCRIPTION and _ABOUT_TO_REPORT.match(opening):
        return Turn(state, [texts.ASK_WHAT])
    if _ABOUT_TO_REPORT.match(opening):
        # "我想说一下情况" with a question open: the citizen starts to explain, and the words after join the open report.
        return Turn(state, go_on=True) if state == AWAITING_DETAIL else Turn(state, [texts.GO_AHEAD])
    if state == AWAITING_DESCRIPTION and (_HOW.match(stripped) or _CONFUSED.match(stripped)):
        return Turn(state, [texts.HELP])
    if _CONFUSED.match(stripped):
        return Turn(state, [_EXPLAINED[state]])
    if _ASKED_BACK.match(stripped):
        if state == AWAITING_DESCRIPTION:
            return Turn(state, [texts.HELP])
        return Turn(state, explain=True) if state == AWAITING_DETAIL else Turn(state, [_EXPLAINED[state]])
    if _WAIT.match(stripped):
        return Turn(state, [texts.WAIT])
    if state != AWAITING_DESCRIPTION and _ACK.match(stripped):
        if state == AWAITING_DETAIL:
            return Turn(state, go_on=True)
        return Turn(state, [texts.PHONE_QUESTION if state == AWAITING_PHONE else texts.CONSENT_QUESTION])
    if _THANKED.match(stripped):
        # Thanks alone: a polite word back and the question still open; nothing is added or sent.
        return Turn(state, [_THANKED_REPLIES[state]])
    if state == AWAITING_DESCRIPTION and (_OK.match(stripped) or _GIVE_UP.match(stripped)):
        # 好的, 嗯, 不用了 with no question open: the start of a chat or the end of one, not a problem.
        return Turn(state, [texts.THANKED_IDLE if re.search(_THANKS, stripped) else texts.OK_IDLE])
    if state == AWAITING_DESCRIPTION and _NO_NUMBER_AGAIN.match(stripped):
        # The phone offer's no said again after the receipt ("不留电话了"): no problem either.
        return Turn(state, [texts.OK_IDLE])
    if state == AWAITING_DESCRIPTION and _only_call_me(stripped):
        # "需要回电" with no message to call back about: what the problem is comes first.
        return Turn(state, [texts.CALL_BACK_BEFORE_NEWS])

    if state == AWAITING_DESCRIPTION:
        own = _own_number_turn(original)
        if own:
            return own
        if phones.mobile_alone(command):
            # Digits alone, a number mistyped: nothing to report yet.
            return Turn(state, [texts.NUMBER_BEFORE_NEWS])
    with_number = None
    if state in (AWAITING_DETAIL, AWAITING_CONSENT):
        with_number = _number_turn(stripped, own_only=state == AWAITING_DETAIL)
    if with_number:
        # A number given before it was asked for, or corrected after ("电话打错了，是…"): kept apart all the same.
        return with_number
    # Yes and no answer every question, and are not the one character over and over that nonsense is (无, 嗯嗯, 好好).
    reading = None if state == AWAITING_DESCRIPTION else _reading(stripped, state in _NUMBERED, state == AWAITING_CONSENT)
    if reading and state in _NUMBERED and not (reading.yes or reading.no):
        reading = _answer_at_end(stripped, state == AWAITING_CONSENT) or reading
    said_yes, said_no, rest = (reading.yes, reading.no, reading.rest) if reading else (False, False, None)
    if state == AWAITING_DETAIL:
        if said_no:
            return Turn(AWAITING_PHONE, [texts.ASK_PHONE], append=_added(rest))
        if said_yes and not rest or _MORE_COMING.match(stripped):
            return Turn(AWAITING_DETAIL, go_on=True)
    if state != AWAITING_CONSENT and not (said_yes or said_no) and is_nonsense(original):
        # Asked again, and nothing changes: what the citizen said before stays in the open submission.
        return Turn(state, [{AWAITING_DESCRIPTION: texts.NOT_UNDERSTOOD, AWAITING_DETAIL: texts.NOT_UNDERSTOOD_MIDWAY,
                             AWAITING_PHONE: texts.NOT_UNDERSTOOD_PHONE}[state]])
    if state == AWAITING_DESCRIPTION:
        news, declined = _without_no_callback(text)
        if not news:  # "不用回访了" after the receipt: nothing new to report
            return Turn(state, [texts.OK_IDLE])
        question = _follow_up(news)
        if question:
            asked = AWAITING_DETAIL_NO_CALLBACK if declined else AWAITING_PROBLEM if _address_alone(news) else AWAITING_DETAIL
            return Turn(asked, [question], start=news)
        if declined:  # the remark is no part of the report, and no number is asked for
            return Turn(AWAITING_DESCRIPTION, start=news, finalize=True)
        return Turn(AWAITING_PHONE, [texts.ASK_PHONE], start=text)
    if state == AWAITING_DETAIL:
        # "好的，在东门": the yes is no part of the report, the words after it are.
        return Turn(AWAITING_PHONE, [texts.ASK_PHONE], append=_added(rest) if said_yes else text)
    if state == AWAITING_PHONE:
        return _phone_turn(stripped, text, said_yes, said_no, rest)
    # AWAITING_CONSENT: only a yes with no no in it lets the deputy see the number; words after the answer are kept.
    if said_yes or said_no:
        shared = said_yes and not said_no and not _refuses_deputy(stripped)
        return Turn(AWAITING_DESCRIPTION, share_phone=shared, finalize=True, append=_added(rest))
    # Neither yes nor no: the number stays with staff, and news joins the report however short ("路灯今天又坏了"),
    # but a few words that only hesitate or ask back ("我想想", "代表是谁") are no news; with a number not taken as
    # the citizen's they ask about it ("查一下138…是谁"), news.
    hesitant = (is_vague(stripped) and bool(_NO_NEWS.search(stripped)) and not phones.find(stripped)
                or _only_call_me(stripped))
    return Turn(AWAITING_DESCRIPTION, share_phone=False, finalize=True, append=None if hesitant else _added(stripped))


class _Reading(NamedTuple):
    yes: bool
    no: bool
    rest: str  # the words after the answer
    consent: bool | None  # what the clauses about the deputy seeing the number said; None when none did


def _reading(stripped: str, numbered: bool, consent_asked: bool = False, beside_number: bool = False) -> _Reading:
    """An answer to a question: a choice's number where choices are numbered ("1. 同意", "选2"), then the clauses
    that only answer ("好的，不同意", "嗯，不要给代表看"), or a yes or no glued to the news ("同意东门看不清路"). Both
    yes and no may be said ("好的，不用了"): the caller takes it as a no. `beside_number`: the words before a number,
    where 不用回电 answers nothing ("不用回电，物业王师傅138…" gives someone else's number, not the citizen's)."""
    yes = no = False
    consent = None
    read = choice(stripped, 2) if numbered else None
    if read:
        yes, no = read[0] == 0, read[0] == 1
        stripped = read[1]
    position = 0
    for clause in _CLAUSE.finditer(stripped):
        words = clause.group("clause")
        if not words:
            break
        if consent_asked:
            words = _DO_NOT_MIND.sub("可以", words)
        said = _SPEAKER.sub("", _NUMBER_NAMED.sub("", words))
        shown = bool(_SHOW.match(said))
        no_phone = numbered and len(words) <= 14 and bool(_NO_PHONE.search(words))
        refuses = consent_asked and bool(_REFUSAL_CLAUSE.match(_BUT.sub("", said)))
        call_me = numbered and not consent_asked and bool(_CALL_ME.match(words))  # "需要回电" at the phone offer
        declines = numbered and not consent_asked and not beside_number and bool(_NO_CALLBACK.match(words))
        whose = bool(_NUMBER_NAMED.match(words) and _WHOSE_NUMBER.match(said))  # "号码是骗子的": the news, no answer
        answers = _ANSWER_CLAUSE.match(words) or no_phone or refuses or call_me or declines or (
            len(words) <= 12 and _ABOUT_NUMBER.search(words) and not whose
            and (_NEGATION.match(said) or _YES.match(said) or shown))
        glued = None if answers else (_GLUED_CONSENT if consent_asked else _GLUED).match(words)
        if not (answers or glued):
            break
        answer = words if answers else glued.group()
        # A call back asked for is a yes to the phone offer only: its 不 ("能不能回个电话") says no no, and who is
        # to call ("请代表回访") answers nothing about who may see the number.
        clause_no = not call_me and (bool(_NEGATION.search(answer)) or no_phone or refuses or declines)
        clause_yes = call_me or bool(_YES.search(_NEGATION.sub("", answer))) or shown
        yes, no = yes or clause_yes, no or clause_no
        if _ABOUT_CONSENT.search(answer) and not call_me:
            consent = consent is not False and clause_yes and not clause_no
        if glued:
            position = clause.start() + glued.end()
            break
        position = clause.end()
    return _Reading(yes, no, stripped[position:], consent)


def _answer_at_end(stripped: str, consent_asked: bool) -> _Reading | None:
    """The news first and the answer in its own last clause ("东门看不清路，同意"): the answer, with the news as the
    words that join the report; None when the last clause is no answer. At the consent question only an
    explicit yes (同意, 可以, 愿意) there shares the number."""
    clauses = [clause for clause in _CLAUSE.finditer(stripped) if clause.group("clause")]
    if len(clauses) < 2:
        return None
    last = clauses[-1].group("clause")
    read = _reading(last, False, consent_asked)
    if read.rest or not (read.yes or read.no):
        return None
    if consent_asked and not read.no and not _EXPLICIT_YES.search(last):
        return None
    return read._replace(rest=stripped[:clauses[-1].start()])


def _added(words: str | None) -> str | None:
    """The words after a yes or no, or around a phone number, that add to the report ("东门"), or None when they
    are only politeness ("谢谢", "麻烦了", "好的吧") or nothing a person could act on."""
    words = (words or "").strip(_TRAILING + "：:")
    if not words or _ONLY_COURTESY.match(words) or is_nonsense(words):
        return None
    return words


def open_question(state: str | None, text_so_far: str) -> str | None:
    """The question a submission still open in `state` waits on, to be put again when the conversation is shown
    afresh (a reload); None when no submission is open."""
    if state in _DETAIL_STATES:
        return _follow_up(text_so_far, lead="") or texts.DETAIL_QUESTION
    return {AWAITING_PHONE: texts.PHONE_QUESTION, AWAITING_CONSENT: texts.CONSENT_QUESTION}.get(state)


def go_on_reply(text_so_far: str) -> str:
    """After a yes to the follow-up question: the place is asked for again only when that question asked it."""
    return texts.DETAIL_GO_ON if has_place(text_so_far) else texts.GO_ON


def explain_reply(text_so_far: str) -> str:
    """Where or what to write, asked back at the follow-up question: what that question asked, said plainly."""
    return texts.EXPLAIN_WHAT if has_place(text_so_far) else texts.EXPLAIN_WHERE


def _unspaced(text: str) -> str:
    return text.replace(" ", "").replace("\u3000", "")


def _number_turn(stripped: str, own_only: bool = False) -> Turn | None:
    """A phone number in the answer, or None: the number is kept apart and the words around it join the report
    ("我电话138…，小区门口垃圾没人清运"). Words saying whether the deputy may see it answer the consent question
    at once ("138…，不用给代表看"), and are no part of the report. `own_only` where a number may be the news
    ("13812345678这个号码天天打骚扰电话"): only a number alone or said to be the citizen's ("我电话…") is theirs."""
    phone = phones.find(stripped)
    if not phone:
        return None
    start, end, number = phone
    if _NOT_OWN_AFTER.match(_unspaced(stripped[end:]).lstrip(_TRAILING)):
        return None  # "138…，号码是骗子的": the news, never the citizen's number
    head = _GREETING_LEAD.sub("", _unspaced(stripped[:start]))  # "您好 我的电话是138…": a greeting is no news
    if not head and stripped[:start].strip() and _CALLS_WHEN.match(_unspaced(stripped[end:]).lstrip(_TRAILING)):
        return None  # "您好 159… 白天打": a message opened afresh tells of someone's calls, no time to call back
    if head and _CALL_ME.match(_CLAUSE_BREAK.split(head)[-1]):
        # "麻烦回个电话138…": the call back asked for, read as "麻烦回个电话，138…" is.
        return _number_turn(stripped[:start].rstrip() + "，" + stripped[start:], own_only)
    said_before = _PHONE_LEAD.sub("", _CORRECTION.sub("", head))
    run_in = _CLAUSE_BREAK.split(head)[-1]
    if _named_other(run_in) and not _OWN_LEAD.search(run_in) or _named_after(stripped[end:]):
        return None  # "物业王师傅138…", "他电话138…", "138…，骗子张先生": someone else's number, the news
    # A space before a number sets it after its label or its owner ("负责人 王总 138…"); after it, it ends the
    # number before the words go on ("138… 东门也有"). Said to be theirs before it ("我的电话138…被骚扰了"), it is
    # theirs whatever follows.
    run_on = _CLAUSE_BREAK.split(stripped[end:])[0].strip("（）()")  # brackets around the number: "电话（138…）"
    if not (_own_before(run_in.rstrip("（(")) and (_OWN_LEAD.search(run_in) or _own_after(run_on))):
        return None  # "车主138…", "138…骗了我", "举报电话138…": words run into the number make it the news
    before = _reading("" if _LATE_NUMBER.fullmatch(said_before) else said_before, True, beside_number=True)
    tail = _unspaced(stripped[end:]).lstrip(_TRAILING)
    mine = _said_mine(tail)
    if mine and not _is_contact_note(mine.group()) and not _CJK.match(tail[mine.end():]):
        # "138…是我本人": no words of the report; "138…是我女儿的" is a note, "138…我叫王建国" goes on.
        tail = tail[mine.end():]
    after = _reading(tail, False, True)
    # "我叫张大妈，电话138…，村口垃圾站": the words on either side of the number stay apart, as the citizen wrote them.
    more = _added("，".join(part for part in (before.rest.strip(_TRAILING), after.rest) if part))
    if more and _only_call_me(more):
        more = None  # "138… 打我电话", "138…，请回电": nothing but the call back asked for, no words of the report
    again = phones.find(more) if more else None
    if again and again[2] == number and not _added(more[:again[0]] + more[again[1]:]):
        more = None  # the same number twice ("138… 138…"), sent so it is not missed: no words of the report
    if own_only and more and not _OWN_NUMBER.search(head):
        return None
    note = more.strip("（）()") if more and _is_contact_note(more) else None
    more = None if note else more
    said = [reading.consent for reading in (before, after) if reading.consent is not None]
    if said:
        return Turn(AWAITING_DESCRIPTION, phone=number, share_phone=all(said) and not _refuses_deputy(stripped),
                    finalize=True, append=more, contact_note=note)
    reply = texts.ASK_CONSENT_NOTE if note else texts.ASK_CONSENT_ADDED if more else texts.ASK_CONSENT
    return Turn(AWAITING_CONSENT, [reply], phone=number, append=more, contact_note=note)


def _own_before(words: str) -> bool:
    """Whether the words run into a number before it (no break between them and its digits) leave it the
    citizen's: an answer ("好的", "1"), a label ("我的手机号是", "回访请打"), a correction or a number left late, who
    they are ("我是张大爷") or how to reach them ("张先生"), or nothing. Any other ("车主", "举报", "这个人的") is the
    news the number belongs to."""
    bare = _PHONE_LEAD.sub("", _CORRECTION.sub("", words))
    return (not bare or bool(_LATE_NUMBER.fullmatch(bare)) or not _reading(bare, True, beside_number=True).rest
            or _says_who(words) or _says_who(bare))


def _own_after(words: str) -> bool:
    """Whether the words run into a number after it leave it the citizen's: said to be theirs ("是我的电话"), an
    answer ("同意", "不要给代表看"), who they are or how to reach them ("微信同号", "我叫王建国", "老人机"), a call
    back asked for, what kind of number it is ("手机"), thanks, or nothing. Any other ("骗了我", "把车停在盲道上",
    "是谁的号码") is the news about the number."""
    mine = _said_mine(words)
    if not mine and _NUMBER_KIND.match(words):
        return False
    rest = words[mine.end():] if mine else words
    asked = rest.rstrip("吗么")  # "138…可以吗": the yes, asked
    # Of the answers about the number only those about who sees it: "138…不接电话" is news about it.
    answers = not _reading(asked, False, True).rest and (_ANSWER_CLAUSE.match(asked) or _ABOUT_CONSENT.search(asked))
    return (not _added(rest) or bool(answers) or _says_who(words) or _says_who(rest) or _only_call_me(rest)
            or bool(_NO_PHONE.search(rest) or _BARE_LABEL.fullmatch(rest)))


def _said_mine(words: str) -> re.Match | None:
    """The words right after a number saying it is the citizen's ("是我的电话", "是我女儿的", "（本人）"), if they do."""
    return _OWN_AFTER.match(words) or _MINE_AFTER.match(words)


def _says_who(words: str) -> bool:
    """Whether the words only say who or where the citizen is or how to reach them (_REACH_ME, _RESIDENT,
    _ADDRESS, _NAME, a contact note); a place must be one (not "维修工张师傅"), or a building ("3栋张大爷")."""
    resident = _RESIDENT.match(words)
    return bool(_SELF_SAID.match(words) or _REACH_ME.match(words) or _NAME.match(words)
                or resident and (not resident.group("where") or _is_address(resident.group("where")))
                or _ADDRESS.match(words) and _is_address(words)) or _is_contact_note(words)


def _is_address(words: str) -> bool:
    """Whether the words say where: a place ("幸福小区") or a building or unit ("3栋2单元")."""
    return has_place(words) or bool(_UNIT.search(words))


def _is_contact_note(words: str) -> bool:
    """Whether the words beside a number only say how to reach the citizen (_NOTE_CLAUSE), brackets and all, or
    give a second number ("座机0731-84123456"), which is kept in the note too."""
    rest = words
    while found := phones.find(rest):
        rest = _SECOND_NUMBER_LABEL.sub("", rest[:found[0]]) + "，" + rest[found[1]:]
    clauses = [c.group("clause") for c in _CLAUSE.finditer(re.sub(r"[()（）]", "，", rest)) if c.group("clause")]
    return len(rest) <= 24 and all((_NOTE_CLAUSE.match(clause) or _SELF_NAMED.match(clause))
                                   and not _named_other(clause) for clause in clauses)


def _named_after(tail: str) -> bool:
    """Whether the words right after a number only name someone else ("，物业王师傅", "（骗子张先生）"); a clause
    that goes on ("，他不管") says nothing of whose the number is."""
    clauses = [c for c in _NAME_BREAK.split(_unspaced(tail)) if c]
    return bool(clauses) and bool(_PERSON_NAMED.match(clauses[0])) and _named_other(clauses[0])


def _named_other(clause: str) -> bool:
    """Whether a clause names someone else ("物业王师傅", "骗子电话", "他电话"), not the citizen saying who they are."""
    return bool(_OTHER_PARTY.search(clause)) and not re.match(r"我|俺|本人", clause)


def _only_call_me(stripped: str) -> bool:
    """Whether the words only ask to be called back, maybe with thanks ("需要回电", "请给我回个电话，谢谢")."""
    clauses = [c.group("clause") for c in _CLAUSE.finditer(stripped) if c.group("clause")]
    return any(_CALL_ME.match(c) for c in clauses) and all(_CALL_ME.match(c) or _THANKED.match(c) for c in clauses)


def _refuses_deputy(answer: str) -> bool:
    """A refusal anywhere in the answer ("同意，但别让代表看"); "不介意代表看" is none."""
    return bool(_REFUSES_DEPUTY.search(_DO_NOT_MIND.sub("", answer)))


def _own_number_turn(text: str) -> Turn | None:
    """The citizen's own number in the first message ("幸福小区门口垃圾没人清运，我电话138…"), or None: it is kept
    apart from the news as at the phone offer, and the consent asked (after the follow-up question, when one is
    needed). Someone else's number ("物业电话138…一直打不通") is the news and stays in it."""
    phone = phones.find(text)
    if not phone:
        return None
    start, end, number = phone
    head, tail = text[:start], text[end:]
    if _NOT_OWN_AFTER.match(_unspaced(tail).lstrip(_TRAILING)) or _named_after(tail):
        return None  # "…138…，号码是骗子的", "联系电话138…（物业）": whatever was said before it, not the citizen's
    lead = _OWN_LEAD.search(head)
    if _only_call_me(_unspaced(head + "，" + tail)):  # "13812345678 打我电话": theirs, but nothing to report yet
        return Turn(AWAITING_DESCRIPTION, [texts.NUMBER_BEFORE_NEWS])
    cut = lead.start() if lead else None  # "…，我电话138…"
    head = head[:cut] if cut is not None else head
    label = _BARE_LABEL.search(head)
    # A label run into other words ("物业电话138…") names someone else's number, whatever follows it.
    run_in = _CLAUSE_BREAK.split(head[:label.start()])[-1]
    others = not lead and run_in and (_LABEL_WORD.search(label.group()) or (
        _SOMEONE_ELSE.search(run_in) and not re.match(r"我|俺|本人", run_in)))  # "物业王经理138…"
    said_after = None if others else _OWN_AFTER.match(tail)  # "138…是我的电话"
    tail = tail[said_after.end():] if said_after else tail
    if said_after and not lead:
        head = head[:label.start()]  # "…，电话138…是我的电话": the label is no word of the report
    if _only_call_me(_unspaced(tail)):
        # "我是张大爷，电话138…，请回电": who they are and the wish, nothing to report yet.
        named = _self_introduced(head, "", labelled=cut is not None)
        if named and not named[0].strip(_TRAILING + "：:"):
            return Turn(AWAITING_DESCRIPTION, [texts.NUMBER_BEFORE_NEWS])
    # Who the citizen is, right beside the number ("我是张大爷，电话138…"): theirs, and a note for staff.
    introduced = _self_introduced(head, tail, labelled=cut is not None)
    head, tail, note = introduced or (head, tail, None)
    if not (said_after or introduced or head.strip(_TRAILING + "：:")):
        said_after = _SELF_AFTER.match(tail)  # "138…，我是幸福小区的": theirs, and those words are news
        first = _CLAUSE_BREAK.split(tail[said_after.end():])[0] if said_after else ""
        if re.match(r"(?:我|俺)是", first) and not (_SELF_SAID.match(first) or _SELF_NAMED.match(first)):
            said_after = None  # "138…，我是骗子": no one the citizen is
        tail = tail[said_after.end():] if said_after else tail
    after = _reading(tail.strip(_TRAILING + "：:"), False, True)
    # Alone, or with only an answer after it ("13812345678 同意"): the citizen's, though nothing says so; not with
    # words run into it that read like one but tell about it ("138…不接电话", "138…是推销电话").
    alone = not head.strip(_TRAILING + "：:") and not _added(after.rest) and _own_after(_CLAUSE_BREAK.split(tail)[0])
    # Only an address beside it ("幸福里小区3栋 138…"): where the citizen is, and the number theirs.
    beside = not (cut is not None or said_after or introduced) and (
        only_address(head) and not tail.strip(_TRAILING) or not head.strip(_TRAILING) and only_address(tail))
    if not (cut is not None or said_after or introduced or alone or beside):
        return None
    news = "，".join(part for part in (head.strip(_TRAILING + "：:"), _added(after.rest)) if part)
    if not news or is_nonsense(news):
        return Turn(AWAITING_DESCRIPTION, [texts.NUMBER_BEFORE_NEWS])
    if after.consent is not None:
        # Said in one go, the consent too ("…我电话138…，别给代表看"): sent, the follow-up left to whoever calls.
        return Turn(AWAITING_DESCRIPTION, start=news, phone=number, finalize=True, contact_note=note,
                    share_phone=bool(after.consent) and not _refuses_deputy(tail))
    question = _follow_up(news, lead=texts.NUMBER_NOTED_WITH_NOTE if note else texts.NUMBER_NOTED)
    if question:
        asked = AWAITING_PROBLEM_NUMBER_KEPT if _address_alone(news) else AWAITING_DETAIL_NUMBER_KEPT
        return Turn(asked, [question], start=news, phone=number, contact_note=note)
    return Turn(AWAITING_CONSENT, [texts.ASK_CONSENT_FIRST_NOTE if note else texts.ASK_CONSENT_FIRST], start=news,
                phone=number, contact_note=note)


def _self_introduced(head: str, tail: str, labelled: bool) -> tuple[str, str, str] | None:
    """Who the citizen is, said in the clause right before a number that ends the message ("…，我是张大爷，电话138…",
    "…，我姓李，138…"): the words before without it, the words after, and the introduction (None when it names no
    one: "…，我是业主，电话138…" stays in the report); None otherwise. With more words after the number it may be the
    one they go on to complain about ("我是张大爷，电话138…，冒充公安", "…，138…是骗子的号码"), and an introduction
    after a number may follow a scammer's ("有人冒充公安，电话138…，我是张大爷"): such numbers stay in the report.
    Unless words said whose the number is (`labelled`), only a bare label may stand between (电话, 手机：):
    "物业电话138…" is someone else's."""
    if _DESCRIBES_NUMBER.match(tail) or _added(_reading(tail.strip(_TRAILING + "：:"), False, True).rest):
        return None
    if not labelled:
        head = head[:_BARE_LABEL.search(head).start()]
        if _CLAUSE_BREAK.split(head)[-1]:  # words run into the label or the number: "物业电话138…"
            return None
    kept = head.rstrip(_TRAILING)
    last = _CLAUSE_BREAK.split(kept)[-1]
    if last and _SELF_NAMED.match(last):
        return kept[:len(kept) - len(last)], tail, last
    if not labelled and last and _SELF_SAID.match(last):
        return head, tail, None  # "…，我是业主，电话138…": theirs, and those words stay in the report
    return None


def _phone_turn(stripped: str, text: str, said_yes: bool, said_no: bool, rest: str) -> Turn:
    with_number = _number_turn(stripped)
    if with_number:
        return with_number
    if phones.near_mobile(stripped) and not phones.find(stripped):  # a digit off: asked again, never added
        return Turn(AWAITING_PHONE, [texts.PHONE_MISTYPED])
    more = _added(rest)
    if said_no:
        # "好的，不用了": a no said after an ok is still a no, and the number is not asked for.
        return Turn(AWAITING_DESCRIPTION, finalize=True, append=more)
    if said_yes:
        # "好的，东门的井盖也松了": the yes, and the words after it join the report.
        return Turn(AWAITING_PHONE, [texts.ASK_NUMBER_ADDED if more else texts.ASK_NUMBER], append=more)
    return Turn(AWAITING_PHONE, [texts.ASK_PHONE_AGAIN], append=text)


def attachment_turn(state: str | None, note: str) -> Turn:
    """An image or a location: it joins the open submission, or starts one that still needs words."""
    state = state if state in STATES and state not in CONTACT_STATES else AWAITING_DESCRIPTION
    if state == AWAITING_DESCRIPTION:
        return Turn(AWAITING_DETAIL, [texts.ASK_DETAIL], start=note)
    return Turn(state, [], append=note)


def rejection_reply(reason: str, **details) -> str:
    return {"empty": texts.EMPTY, "too_long": texts.TOO_LONG,
            "submission_full": texts.SUBMISSION_FULL}[reason].format(**details)


def receipt_replies(receipt: str, phone_kept: bool, shared: bool, progress_url: str | None = None) -> list[str]:
    replies = [texts.RECEIVED.format(receipt=receipt)]
    if phone_kept:
        replies.insert(0, texts.PHONE_KEPT.format(shared=texts.PHONE_SHARED if shared else texts.PHONE_PRIVATE))
    if progress_url:
        replies.append(texts.PROGRESS_LINK.format(url=progress_url))
    return replies


_STAGE_SENTENCES = {"suggested": texts.PROGRESS_SUGGESTED, "assigned": texts.PROGRESS_ASSIGNED,
                    "replied": texts.PROGRESS_REPLIED, "finished": texts.PROGRESS_FINISHED}


def stage_sentence(stage: str, **details) -> str:
    """Where a message stands, in the citizen's words, one whole sentence; `details` fill in the suggestion's number,
    unit, reply."""
    sentence = _STAGE_SENTENCES.get(stage)
    # The progress page shows it alone: …已交区住房和城乡建设局办理, without its stop, read as cut off.
    return full_stop(texts.STATUS_LABELS.get(stage, stage) if sentence is None else sentence.format(**details))


def full_stop(said: str) -> str:
    """`said` ending in one full stop: a label, or the office's summary for citizens last, may end without one (or
    with its own, which gets no second)."""
    said = said.strip()
    return said if said.endswith(("。", "！", "？")) else said + "。"


def status_reply(receipt: str, sentence: str | None) -> str:
    """The answer to 查询: `sentence` from stage_sentence, None when the receipt is not the citizen's."""
    if sentence is None:
        return texts.QUERY_NOT_FOUND.format(receipt=receipt)
    # The office's summary may end the sentence itself (…完成更换。): one full stop, not 。。.
    return texts.QUERY_STATUS.format(receipt=receipt, status=sentence.rstrip("。"))


def _station_reply(reply: str, no_phone_reply: str, station: str, phone: str | None, hours: str | None) -> str:
    """A reply naming the station to call, with its opening hours when stored; where to go when it has no phone."""
    if not phone:
        return no_phone_reply.format(station=station)
    return reply.format(station=station, phone=phone, hours=texts.PERSON_HOURS.format(hours=hours) if hours else "")


def person_reply(station: str, phone: str | None, hours: str | None) -> str:
    return _station_reply(texts.PERSON, texts.PERSON_NO_PHONE, station, phone, hours)


def withdraw_sent_reply(station: str, phone: str | None, hours: str | None) -> str:
    return _station_reply(texts.WITHDRAW_SENT, texts.WITHDRAW_SENT_NO_PHONE, station, phone, hours)


def numbered(choices: list[str]) -> str:
    return "\n".join(f"{i}. {choice}" for i, choice in enumerate(choices, start=1))


def _number_chosen(number: str) -> int:
    """1 from "1" or "一", 12 from "12" or "十二"."""
    if number.isdigit():
        return int(number)
    if "十" not in number:
        return _CHINESE_DIGITS.get(number, 0) if len(number) == 1 else 0
    tens, _, units = number.rpartition("十")
    return (_CHINESE_DIGITS.get(tens, 0) if tens else 1) * 10 + (_CHINESE_DIGITS.get(units, 0) if units else 0)


def choice(text: str, count: int) -> tuple[int, str] | None:
    """The 0-based choice a citizen typed from a list numbered 1 to `count`, and the words after it; None when
    it is no choice. The one reader of the chat's numbered questions and WeChat's pickers alike."""
    match = _CHOICE.match(text.strip().translate(_FULL_WIDTH_DIGITS))
    if not match:
        return None
    number, rest = match.group("number"), match.group("rest")
    # A number in words is a choice only on its own ("第一个"): "一直没人管" is news.
    if not number.isdigit() and rest.strip(_TRAILING):
        return None
    chosen = _number_chosen(number)
    return (chosen - 1, rest) if 1 <= chosen <= count else None


def pick(text: str, choices: list[str]) -> int | None:
    """The 0-based choice a citizen made from a numbered list: its number as `choice` reads it, or a part of
    one choice's name ("柳河镇"), or None."""
    typed = _without_emoji(text).strip().rstrip(_TRAILING)
    read = choice(typed, len(choices))
    if read:
        return read[0]
    named = [i for i, name in enumerate(choices) if len(typed) >= 2 and typed in name]
    return named[0] if len(named) == 1 else None
