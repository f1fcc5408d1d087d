"""Every sentence the bot says, in one catalogue (zh-CN)."""

GREETING = "您好！我是{station}的{level}人大代表{name}。请说说您遇到的问题或建议，我会认真研究。"
HELP = (
    "直接输入您想反映的问题或建议即可，可以分几条发送。\n"
    "发送“查询 回执号”可以查看办理进度，例如：查询 MS-20261125-0042。\n"
    "发送“重新开始”可以重新开始。"
)
RESTARTED = "好的，我们重新开始。请说说您遇到的问题或建议。"
EMPTY = "请输入您想反映的问题或建议。"
TOO_LONG = "内容太长了（{length} 字），请控制在 {limit} 字以内，可以分几次发送。"
# A part that would take the open message past its limit: that part is not added; answering the question above
# sends the message, and the part can then start the next one.
SUBMISSION_FULL = ("这段没有加上：这条留言已经有 {so_far} 字，一条最多 {limit} 字。"
                   "请先回答上面的问题，把这条留言提交，再把这段另起一条发送。")

PLACE_QUESTION = "请问具体在什么地方？（比如哪个村、社区、小区，或哪条路）"
DETAIL_QUESTION = "能再具体说说吗？比如发生了什么、持续多久、影响到哪些人。"
PLACE_AND_DETAIL_QUESTION = "请再说具体一些：在什么地方（哪个村、社区、小区或哪条路）？是什么情况？"
# Only an address ("幸福里小区3栋"): the place said back, and what is wrong there asked for.
PROBLEM_QUESTION = "您说的地点是“{place}”，请问那里出了什么问题？请具体说说是什么情况。"
PROBLEM_AGAIN = "好的，地点记下了。请问那里出了什么问题？请具体说说是什么情况。"
PROBLEM_PLACE_CORRECTED = "好的，地点已更正。请问那里出了什么问题？请具体说说是什么情况。"
PROBLEM_PLACE_AGAIN = "不好意思。请告诉我正确的地点，以及那里出了什么问题。"
PROBLEM_NUMBER_NOTED = "收到，您的号码和地点都已记下。请问那里出了什么问题？请具体说说是什么情况。"
PROBLEM_NUMBER_ONLY_NOTED = "收到，您的号码已记下。请问那里出了什么问题？请具体说说是什么情况。"
PROBLEM_STILL_MISSING = "只有地点，代表还不知道那里出了什么问题。请说说是什么情况，比如发生了什么、持续多久。"
# "不想说了" at that question: the address stays as it is; the citizen may still tell the problem, or leave.
PROBLEM_GIVEN_UP = "好的，不勉强。您说的地点已经记下。想好了，随时接着说那里出了什么问题；不想反映了，请回复“撤回”。"
PROBLEM_GO_AHEAD = "好的，请说说那里出了什么问题：发生了什么、持续多久。"
# A building's number alone ("3栋"): the estate it is in, and what is wrong there.
BUILDING_QUESTION = "请再说具体一些：是哪个小区的{building}（或哪条路、哪个村）？那里出了什么问题？"
ASK_PLACE = "收到。" + PLACE_QUESTION
ASK_DETAIL = "收到。" + DETAIL_QUESTION
ASK_PLACE_AND_DETAIL = "收到。" + PLACE_AND_DETAIL_QUESTION
# The citizen's own number came with the first message ("…，我电话138…"): the follow-up question, if any, comes
# first, then the consent; the phone offer is not made.
NUMBER_NOTED = "收到，您的号码也已记下。"
# …with who the citizen is ("我是张大爷，电话138…"): that is a note for staff, not the problem's text.
NUMBER_NOTED_WITH_NOTE = "收到，您的号码也已记下，您的称呼已作为联系备注记下（只给工作人员看）。"
# Only a number and how it is introduced ("我电话138…"), nothing to report yet: nothing is stored. It may come just
# after a receipt, meant for the message sent: it is said plainly that the number was not kept.
NUMBER_BEFORE_NEWS = "号码没有记下。如有问题或建议，请先说说是什么情况，说完后可以留手机号。"
# A yes (是, 好的, 嗯…) or "有" to the questions above: there is more, so the citizen is asked to write it; the
# place only when the question asked it (ASK_DETAIL is asked when the place is known).
GO_ON = "好的，请接着写下来：在什么地方？是什么情况？没有要补充的，请回复“没有”。"
DETAIL_GO_ON = "好的，请接着写下来：发生了什么、持续多久、影响到哪些人。没有要补充的，请回复“没有”。"
# The phone offer and the consent number their choices, as the WeChat pickers do (PICK_STATION): people who
# answered those with a digit answer these the same way; the words (不留, 同意) and a number still work too.
# Asked again (thanked, not understood, words added) the same way as first: the numbers answer every asking.
PHONE_QUESTION = "需要有人回访吗？请回复编号，或直接发送手机号：\n1. 留手机号\n2. 不留"
ASK_PHONE = "谢谢您。" + PHONE_QUESTION + "\n（号码只有人大工作人员能看到；您同意后，代表才能看到。）"
ASK_PHONE_AGAIN = "已补充。" + PHONE_QUESTION
# A yes to the offer above, without the number yet: the offer's 2 still declines it.
ASK_NUMBER = "好的，请发送您的手机号。不想留了，请回复 2（不留）。"
# A mobile number with a digit too few or too many: it is asked for again, and added to nothing.
PHONE_MISTYPED = "这个手机号好像不对（手机号是 11 位数字），请再发一次。不想留了，请回复 2（不留）。"
ASK_NUMBER_ADDED = "已补充。请发送您的手机号；不想留了，请回复 2（不留）。"
CONSENT_QUESTION = "是否同意让代表本人看到这个号码？请回复编号：\n1. 同意\n2. 不同意"
ASK_CONSENT = "号码已记下。" + CONSENT_QUESTION
ASK_CONSENT_NOTE = "号码已记下，您说的称呼、联系时间等已作为联系备注记下（只给工作人员看）。" + CONSENT_QUESTION
ASK_CONSENT_ADDED = "号码已记下，您补充的内容也已加入留言。" + CONSENT_QUESTION
ASK_CONSENT_FIRST = NUMBER_NOTED + CONSENT_QUESTION
ASK_CONSENT_FIRST_NOTE = NUMBER_NOTED_WITH_NOTE + CONSENT_QUESTION
ASK_CONSENT_AFTER_DETAIL = "谢谢您。" + CONSENT_QUESTION
# A question back ("什么意思", "看不懂"): the open question put again in plainer words, and still open.
EXPLAIN_DETAIL = "是想请您多说几句：问题在什么地方（哪个村、社区、小区或哪条路）？是什么情况？说完了，请回复“没有”。"
EXPLAIN_PHONE = "是问您要不要留手机号，方便工作人员打电话回访您。要留，请直接发送手机号；不留，请回复 2。"
EXPLAIN_CONSENT = "是问您：能不能让代表本人看到您的手机号。可以，请回复 1；只给工作人员看，请回复 2。"
# "在哪儿？", "在哪里填？" at the follow-up question: how to answer, and what it asked (the place, or what happened when
# the place is known).
EXPLAIN_WHERE = "请说一下问题发生的地点，比如小区名、路名或村名（如“幸福小区东门口”），直接在这里打字发送就行。"
EXPLAIN_WHAT = "请说说具体情况：发生了什么、持续多久、影响到哪些人，直接在这里打字发送就行。没有要补充的，请回复“没有”。"
# "等一下", "稍等": nothing is stored, and the question stays open.
WAIT = "好的，不着急，您准备好了再回复。"
# "对了" alone: more is coming; the question stays open.
GO_AHEAD = "好的，请说。"
# Only emoji, punctuation, one character repeated or "asdf": asked again, kindly, and nothing said before is dropped.
NOT_UNDERSTOOD = "抱歉，我没有看懂这条内容。请用文字说说您遇到的问题或建议，比如在什么地方、发生了什么。"
NOT_UNDERSTOOD_MIDWAY = "抱歉，我没有看懂这条内容。您前面说的都已记下，请接着用文字补充：在什么地方？是什么情况？"
NOT_UNDERSTOOD_PHONE = "抱歉，我没有看懂这条内容。您前面说的都已记下。" + PHONE_QUESTION
IMAGE_ADDED = "图片已收到。"
LOCATION_ADDED = "位置已收到：{label}。"
VOICE_UNREADABLE = "抱歉，这条语音没能识别出文字，请用文字描述一下。"

RECEIVED = "已收到，谢谢您！回执号：{receipt}。请记下回执号，之后发送“查询 {receipt}”可以查看办理进度。"
PHONE_KEPT = "您的手机号已记下{shared}。"
PHONE_SHARED = "，代表可以看到"
PHONE_PRIVATE = "，只有工作人员能看到"

QUERY_USAGE = "请发送“查询 回执号”，例如：查询 MS-20261125-0042。"
QUERY_NOT_FOUND = "没有找到回执号 {receipt} 的记录。请核对后再试（只能查询您本人提交的内容）。"
QUERY_NOT_RECEIPT = "“{text}”不像回执号。回执号形如 MS-20261125-0042，可以在提交后的回复里找到。"
QUERY_STATUS = "回执号 {receipt}：{status}。"
# An earlier report asked after in words, and none sent from here: the receipt number is asked for.
QUERY_ASK_RECEIPT = ("想查询之前反映的问题，请发送回执号，例如：MS-20261125-0042（提交后的回复里有）。"
                     "找不到回执号，可以把问题再说一遍，我们会重新记录。")
# After the progress of a message sent without a number: one may be added to it.
CONTACT_OFFER = "如需工作人员回访，可以直接发送手机号，我们会把它加到这条留言里。"
CONTACT_ASK_NUMBER = "好的，请直接发送手机号。不留也没关系，有别的问题或建议，也可以直接说。"
# The call back asked for again while the number is awaited.
CONTACT_NUMBER_AWAITED = "好的，正在等您发送手机号，工作人员会按这个号码回访。不留也没关系，有别的问题或建议，也可以直接说。"
# "需要回电" with no message sent to call back about: the problem first.
CALL_BACK_BEFORE_NEWS = "好的。请先说说是什么情况，说完后可以留手机号，方便工作人员回访。"
# A number with words that do not make it the citizen's, right after a receipt or a progress answer.
CONTACT_NUMBER_ALONE = "号码没有记下。如需工作人员回访，请只发送您的手机号，我们会把它加到这条留言里。"
CONTACT_MISTYPED = "这个手机号好像不对（手机号是 11 位数字），请再发一次。"
# After the progress of a message that has a number: it is kept, never replaced in the chat.
CONTACT_KEPT = "这条留言已留号码 {phone}。如需更换号码，请联系联络站工作人员。"
# A call back asked for ("需要回电") about a message that has a number.
CONTACT_CALL_BACK = "这条留言已留号码 {phone}，回访会打这个号码。如需更换号码，请联系联络站工作人员。"
CONTACT_ADDED = "您的手机号已加到回执号 {receipt} 的留言里{shared}。"
CONTACT_FOR = "这个号码将补到回执号 {receipt} 的留言里。"

# A message's way, as the citizen follows it (intake.services.reception.progress). Its last step is the end of
# the handling (the deputy rated the reply, nothing promised is left): 办理完毕, never 办结, which in the
# congress's figures means an A reply or a B reply's promised work done, and would tell a citizen whose problem
# was "留作参考" that it was solved.
PROGRESS_STEPS = {
    "received": "已收到",
    "drafted": "已归入建议草稿",
    "suggested": "已形成代表建议",
    "assigned": "已交办",
    "replied": "已答复",
    "finished": "办理完毕",
}
PROGRESS_SUGGESTED = "已形成代表建议（第 {number} 号）。"
PROGRESS_ASSIGNED = "已形成代表建议（第 {number} 号），已交{unit}办理。"
# What a reply means, as the citizen reads it (`outcome`): the office's classes (A类 … D类) are its own terms, and a
# D reply keeps the suggestion for reference, it does nothing to the problem.
REPLY_OUTCOMES = {"A": "问题已解决或正在解决", "B": "问题已列入计划逐步解决", "C": "问题因条件限制暂时难以解决",
                  "D": "建议留作今后工作参考"}
# A B reply promises a day; the unit may have reported that work done since.
REPLY_PROMISED = "，承诺 {day} 前完成"
REPLY_PROMISE_DONE = "，已报告落实完成"
PROGRESS_REPLIED = "第 {number} 号代表建议，{unit}已答复：{outcome}。{summary}"
# The summary the office wrote for citizens may be empty (the office may leave it out): nothing hangs on a colon.
PROGRESS_FINISHED = "第 {number} 号代表建议已办理完毕，{unit}已答复：{outcome}。{summary}"
PROGRESS_LINK = "不用发消息也能查看办理进度：{url}（这个链接只属于您，请不要转给别人）"
# Told unasked when the suggestion a citizen's message went into moves on (once per citizen and step).
NOTICE_SUGGESTED = "您反映的问题（回执号 {receipts}）已由代表写入第 {number} 号代表建议，提交人大常委会办理。"
NOTICE_ASSIGNED = "您反映的问题（回执号 {receipts}）所在的第 {number} 号代表建议，已交{unit}办理。"
NOTICE_REPLIED = "您反映的问题（回执号 {receipts}）所在的第 {number} 号代表建议，{unit}已答复：{outcome}。{summary}"

STATUS_LABELS = {
    "collecting": "正在填写，还没有提交",
    "received": "已收到，正在整理",
    "tagged": "已收到，正在整理",
    "drafted": "已归入建议草稿，等待代表审阅",
    # Submitted is not yet registered: the stepper's 已形成代表建议 waits for the office's number.
    "submitted": "代表已将建议草稿提交代表工委，等待登记为代表建议",
    "closed": "代表已阅，这次没有写入建议。如需进一步反映，可以再次留言或联系所在的联络站",
    "withdrawn": "您已撤回，不会再转给代表",
    "held": "已收到，工作人员正在核实内容，核实后再转给代表",
    "rejected": "工作人员核实后，这条内容没有转给代表（例如重复提交或与代表履职无关）。如有疑问，请联系所在的联络站",
}

HELLO_AGAIN = "您好！请直接说说您遇到的问题或建议，比如在什么地方、发生了什么。"
# "我想反映个问题", "我要投诉": only the wish to report; nothing is stored.
ASK_WHAT = "好的，请直接说说是什么问题：在什么地方、发生了什么。"
HELLO_MIDWAY = "您好！我们正在记录您刚才反映的问题，请接着回答上面的问题。"
# The page shown afresh (a reload, Back) with a message still open: its first words, then its question again.
STILL_OPEN = "您上次说的“{said}”还没有记完，请接着回答下面的问题。"
# "我想反映个问题" with a question open: the open message is sent as it is (its receipt follows), and the new problem
# is asked for.
OPEN_SENT = "您之前说的“{said}”已经作为一条留言提交。"
# Thanks alone, or an ok or a no when no question is open: a polite word back and what is asked, nothing stored.
# OK_IDLE answers 好的 and 不行 alike, so it agrees with neither.
THANKED_IDLE = "不客气！有问题或建议，随时可以在这里说，比如在什么地方、发生了什么。"
OK_IDLE = "有问题或建议，随时可以在这里说，比如在什么地方、发生了什么。"
THANKED_DETAIL = "不客气。还有要补充的，请接着写下来；没有了，请回复“没有”。"
THANKED_PHONE = "不客气。" + PHONE_QUESTION
THANKED_CONSENT = "不客气。" + CONSENT_QUESTION
PERSON = "需要和工作人员直接联系，请致电{station}：{phone}{hours}。您也可以继续在这里留言，同样会被记录并转给代表。"
PERSON_HOURS = "（{hours}）"
WITHDRAWN_OPEN = "好的，这条留言已撤回，不会转给代表。如果撤错了，请把问题重新发一遍；有别的问题或建议，也可以继续在这里说。"
# "不撤回了": the open message stays and its question is put again; with none open, what was sent stays sent and
# what was withdrawn cannot come back.
KEPT_PHONE = "好的，不撤回，您说的都还在。" + PHONE_QUESTION
KEPT_CONSENT = "好的，不撤回，您说的都还在。" + CONSENT_QUESTION
KEPT_IDLE = "好的。已经提交的留言会照常办理；已经撤回的留言不能恢复，需要的话，请把问题重新发一遍。"
WITHDRAW_SENT = "已经提交的留言不能在这里撤回。需要撤回，请致电{station}：{phone}{hours}，告诉工作人员回执号即可。"
WITHDRAW_SENT_NO_PHONE = "已经提交的留言不能在这里撤回。需要撤回，请到{station}当面办理，告诉工作人员回执号即可。"
PERSON_NO_PHONE = "{station}暂时没有登记联系电话，请到联络站当面咨询。您也可以继续在这里留言，同样会被记录并转给代表。"

PICK_STATION = "请先选择您所在的联络站，回复编号：\n{choices}"
PICK_DEPUTY = "请选择您想联系的代表，回复编号：\n{choices}"
PICK_AGAIN = "没有这个编号，请回复列表中的数字。"
NO_DEPUTIES = "暂时没有可以联系的代表，请联系所在的人大代表联络站。"
DEPUTY_CHOICE = "{name}（{level}人大代表）"
CODE_REVOKED = "这个二维码已经停用。"
WELCOME_FOLLOWER = "欢迎关注“码上说”！"
# What a picture or a location sent on WeChat adds to the message text.
IMAGE_NOTE = "[图片]"
LOCATION_NOTE = "[位置] {label}"
UNNAMED_LOCATION = "（未命名位置）"

# Told to the citizen on the channel they used (see intake.services.reception.outbound).
REASSIGNED = "您反映的问题（回执号 {receipt}）已转给{station}的{deputy}代表。"
