"""Chinese names of states and kinds, shown on pages and in exports."""

MESSAGE_STATUS = {"collecting": "填写中", "withdrawn": "已撤回", "held": "待审核", "rejected": "已剔除",
                  "received": "待分类", "tagged": "已分类", "drafted": "已入草稿"}
# Where a message in a draft stands now, by its draft's status (staff pages): 已入草稿 stayed on a message whose draft
# had become a registered suggestion or was discarded.
MESSAGE_IN_DRAFT = {"collecting": "收集中，尚未成稿", "open": "已入草稿", "approved": "代表已提交草稿，待登记",
                    "discarded": "草稿已放弃"}
MESSAGE_IN_SUGGESTION = "已写入建议 {number}（{status}）"
FLAGS = {"spam": "垃圾信息", "abusive": "辱骂", "duplicate": "重复"}
CHANNELS = {"web": "网页", "wechat": "微信", "offline": "线下", "api": "其他平台转来"}
ATTENTION = {"any": "全部需关注", "low_confidence": "分类可信度较低", "spam": "疑似垃圾/辱骂", "duplicate": "重复"}
# The queue's filters as its form names them, kept with an export: read back in the audit log.
FILTER_FIELDS = {"station": "联络站", "deputy": "代表", "topic": "分类", "status": "状态", "channel": "渠道",
                 "date_from": "日期从", "date_to": "日期到", "attention": "关注", "q": "关键词"}
DRAFT_STATUS = {"collecting": "收集中", "open": "待审阅", "approved": "已提交", "discarded": "已放弃",
                "merged": "已合并"}
ROLES = {"admin": "管理员", "office": "代表工委", "station": "联络站", "unit": "承办单位"}
# The background queues and a worker's states as the operations page names them.
QUEUES = {"intake": "留言分类", "drafts": "草稿整理"}
WORKER_STATES = {"idle": "空闲", "busy": "正在处理", "started": "启动中", "suspended": "已暂停"}
# A background job by its id (workers.queues names them so: classify-12, batch-3 …).
JOB_KINDS = {"classify": "给第 {n} 条留言分类", "batch": "整理代表（编号 {n}）的留言", "radar": "代表（编号 {n}）的留言上热点雷达",
             "notices": "给群众（编号 {n}）发通知", "export": "导出表格（编号 {n}）", "report": "生成 {n} 年的年度报告"}


def job_in_words(job_id: str | None) -> str:
    kind, _, number = (job_id or "").partition("-")
    return JOB_KINDS[kind].format(n=number) if kind in JOB_KINDS and number.isdigit() else "后台工作"
REVISION_ACTIONS = {"edit": "修改", "conflict": "未能保存（与另一处修改冲突），原文保留", "merge": "并入另一份草稿",
                    "merged": "已并入另一份草稿", "move_out": "移出一条留言", "split": "从另一份草稿移出",
                    "cosigners": "更新附议代表", "approve": "同意并提交", "discard": "放弃",
                    "from_group": "由收集中的问题整理成草稿", "from_messages": "由勾选的留言整理成草稿",
                    "add_messages": "加入勾选的留言", "invite": "邀请同站代表附议",
                    "names": "显示或隐去他人姓名", "cosign": "受邀代表同意附议", "decline": "受邀代表不附议"}

SUGGESTION_STATUS = {"registered": "已登记", "assigned": "已交办", "return_requested": "申请退回", "handling": "办理中",
                     "reply_submitted": "答复待审核", "answered": "已答复", "rated": "已评价", "closed": "办理完毕"}
SUGGESTION_ACTIONS = {
    "register": "登记", "assign": "交办", "request_return": "申请退回", "reassign": "重新交办",
    "contact": "登记沟通情况", "opinion": "提交协办意见", "reply": "提交答复", "accept": "审核通过答复",
    "send_back": "退回答复", "rate": "评价", "report_done": "报告落实完成", "import": "从台账导入",
}
REPLY_STATE = {"submitted": "待审核", "accepted": "已采用", "sent_back": "已退回"}
CONTACT_STAGES = {"before": "办前", "during": "办中", "after": "办后"}
CONTACT_WAYS = {"face": "当面", "phone": "电话", "written": "书面"}
RATING_LEVELS = {"satisfied": "满意", "basic": "基本满意", "unsatisfied": "不满意"}
# What a key may read is more than progress (只读进度 said): deputies, drafts and suggestions too; the key page
# says which, a choice this short fits a phone's box.
API_SCOPES = {"read": "只读数据", "submit": "提交留言", "read,submit": "提交留言和只读数据"}
API_READS = "只读数据：可读取代表名单、草稿、建议、办理统计和留言进度（电话等已隐去）。"
REPLY_CATEGORIES = {"A": "已解决或正在解决", "B": "列入计划逐步解决", "C": "因条件限制暂时难以解决", "D": "留作参考"}


def reply_category(letter: str) -> str:
    """The official letter kept, and what it means: A类（已解决或正在解决）."""
    meaning = REPLY_CATEGORIES.get(letter.upper())
    return f"{letter.upper()}类（{meaning}）" if meaning else letter


# The reply categories' meanings by their words: each word reads wrong split (逐步解 / 决), but a meaning kept whole
# (因条件限制暂时难以解决) left half of a phone's line empty before it.
REPLY_CATEGORY_WORDS = ("已解决", "正在解决", "列入计划", "逐步解决", "因条件限制", "暂时难以解决", "留作参考")
# Words a page keeps on one line wherever a sentence names them: split, they read as other words (二 / 维码).
# The longer first: 扫 / 描二维码; a citizen's reply class whole, not （A / 类）.
WHOLE_TERMS = ("扫描二维码", "二维码", "接口密钥", "网络地址", *REPLY_CATEGORY_WORDS,
               *(f"（{category}类）" for category in REPLY_CATEGORIES))
# Where wrong passwords locked an account (the operations log's 连续输错密码).
LOCKED_PAGES = {"login": "登录页", "password": "修改密码页"}
DELIVERY_CHANNELS = {"wecom": "企业微信群", "email": "电子邮件"}
DELIVERY_STATES = {"pending": "等待发送", "sending": "正在发送", "sent": "已发送", "failed": "发送失败"}


def sureness(confidence: float, threshold: float) -> str:
    """How sure the automatic classification is, in a clerk's words: below the threshold it asks for a look."""
    if confidence < threshold:
        return "可信度较低"
    return "可信度较高" if confidence >= max(0.8, threshold) else "可信度一般"


def classified(confirmed: bool, confidence: float | None, threshold: float) -> str:
    """Who put the message in its topic: staff, or the system and how sure it was (never a model's version)."""
    if confirmed:
        return "工作人员已确认"
    if confidence is None:
        return "自动分类"
    return f"自动分类（{sureness(confidence, threshold)}）"


AUDIT_ACTIONS = {"retag": "改分类", **{f"flag_{flag}": f"标为{name}" for flag, name in FLAGS.items()},
                 "release": "放行", "reassign": "转给代表", "note": "加内部备注", "force_draft": "单独成稿",
                 "add_to_draft": "加入草稿", "grouped": "归入草稿", "grouped_collecting": "归入收集中的问题",
                 "export": "导出", "retry_job": "重试任务",
                 "roster_import": "导入名册",
                 "deputy_create": "新增代表", "deputy_update": "修改代表", "deputy_deactivate": "停用代表",
                 "station_create": "新增联络站", "station_update": "修改联络站", "station_deactivate": "停用联络站",
                 "station_merge": "合并联络站", "station_delete": "删除联络站",
                 "staff_create": "新建账号", "staff_name": "修改姓名", "staff_rename": "修改用户名", "staff_deactivate": "停用账号",
                 "sign_in_link": "生成登录链接",
                 "retention": "到期清理", "deputy.sign_in_link": "生成代表登录链接",
                 "deputy.password": "代表设置登录密码", "deputy.password_cleared": "清除代表登录密码",
                 "export_retry": "重新导出",
                 "staff_reset": "重设账号密码", "staff.password": "修改自己的账号密码", "ledger.import": "导入建议台账",
                 "units.import": "导入承办单位",
                 "unit.save": "保存承办单位", "progress_link.revoke": "停用群众的进度链接", "report": "生成年度报告",
                 "api_key.create": "新建接口密钥", "api_key.revoke": "吊销接口密钥",
                 "message.contact": "群众补留电话", "delivery.retry": "重新发送提醒",
                 "account.locked": "连续输错密码，暂时不能再试"}
AUDIT_ACTORS = {"citizen": "群众", "system": "系统", "system:cli": "系统（后台命令）", "system:demo": "系统（演示数据）"}
AUDIT_TARGETS = {"message": "留言", "draft": "草稿", "deputy": "代表", "station": "联络站", "staff": "账号",
                 "export": "导出文件", "job": "任务", "roster": "名册", "retention": "个人信息",
                 "suggestion": "建议", "unit": "承办单位", "suggestions": "建议台账", "units": "承办单位名单",
                 "report": "年度报告", "api_key": "接口密钥", "delivery": "提醒", "closed-before": "办结早于"}
AUDIT_FIELDS = {"topic": "分类", "handling_unit": "承办单位", "name": "名称", "phone": "电话", "level": "层级",
                "station_id": "联络站编号", "active": "在任", "password": "密码", "opening_hours": "接待时间",
                "address": "地址", "filters": "筛选条件", "draft": "草稿", "reason": "理由", "text": "内容", "to": "转给",
                "created": "新增", "updated": "更新", "role": "角色", "username": "用户名", "display_name": "姓名", "status": "状态",
                "flag": "标记", "title": "标题", "names": "代表", "message": "留言", "to_draft": "移到草稿",
                "from_draft": "来自草稿", "messages": "留言", "deputy": "代表", "active_deputies": "在任代表编号", "section": "部分",
                "draft_id": "草稿编号", "group": "收集中的问题编号", "by_hand": "纸质录入", "lead_unit_id": "主办单位编号", "co_unit_ids": "协办单位编号",
                "deadline": "办理期限", "key_supervision": "重点督办", "supervisor": "督办领导", "unit_id": "单位编号",
                "stage": "阶段", "way": "方式", "on": "日期", "category": "答复类别", "round": "轮次",
                "reply_id": "答复编号", "added": "新增", "note": "备注", "links_revoked": "停用链接数", "scopes": "权限",
                "prefix": "密钥开头", "revoked": "已吊销", "new_stations": "新建联络站",
                "into": "并入联络站编号", "from": "并入的联络站", "deputies": "代表编号", "share_phone": "代表可看电话",
                "deputy_id": "代表编号", "duplicate_of": "重复于留言", "short_name": "简称", "shown": "显示他人姓名",
                "into_draft": "并入草稿", "edits": "代表改写的内容", "file": "文件", "line": "台账行号", "unchanged": "未变",
                "state": "发送状态", "attempts": "已尝试次数", "page": "输错的页面", "ip": "来自网络地址",
                # What retention removed, counted.
                "photos": "照片", "progress_links": "进度链接", "conversations": "对话", "notices": "通知",
                "citizens": "群众", "addresses": "地址", "deliveries": "收到的消息", "staff_reminders": "已发提醒",
                # A merge keeps the other draft's edits, by section.
                "situation": "基本情况", "problems": "存在问题", "proposals": "具体建议"}
# A field whose name means another thing in one action: a rating's level is how satisfied the deputy is.
AUDIT_FIELDS_OF = {"suggestion.rate": {"level": "评价"}}


def audit_action(action: str) -> str:
    if action.startswith("draft."):
        return "草稿：" + REVISION_ACTIONS.get(action[len("draft."):], action)
    if action.startswith("suggestion."):
        return "建议：" + SUGGESTION_ACTIONS.get(action[len("suggestion."):], action)
    return AUDIT_ACTIONS.get(action, action)
