"""The one catalogue of Chinese sentences for the domain's error codes: a page shows the sentence, an API the code."""

from __future__ import annotations

from intake.services.errors import DomainError, Problems

SENTENCES = {
    # Staff actions on messages
    "nothing_selected": "请先勾选留言。",
    "group_empty": "这个问题里已经没有留言，无法整理成草稿。",
    "message": "没有这条留言。",
    "action_missing": "请选择要做的操作。",
    "topic_missing": "请选择分类。",
    "flag_unknown": "未知的标记",
    "duplicate_of_missing": "请填写重复的是哪一条留言（编号或回执号）。",
    "duplicate_of_unknown": "没有编号为 {number} 的留言，请核对重复的是哪一条留言（编号）。",
    "duplicate_of_receipt_unknown": "没有找到回执号为 {receipt} 的留言，请核对重复的是哪一条留言（编号或回执号）。",
    "duplicate_of_unreadable": "看不懂“{typed}”：请填写重复的那条留言的编号（如 12）或回执号（如 MS-20261205-0003）。",
    "duplicate_of_itself": "一条留言不能重复它自己。",
    "reassign_target_missing": "请选择要转给的代表。",
    "reassign_to_deputy": "不能转给这位代表。",
    "note_empty": "备注不能为空。",
    "station_merge_target": "请选择要并入的另一个联络站。",
    "station_not_empty": "这个联络站还有 {deputies} 位代表、{accounts} 个账号或接口密钥，不能删除：请用“合并到”把它并入正确的联络站。",
    "staff_note_long": "备注最多 {maximum} 字，现在是 {length} 字，没有保存：请删减后再提交。",
    "flag_reason_long": "原因最多 {maximum} 字，现在是 {length} 字，没有保存：请删减后再提交。",
    "force_draft_messages": "请选择同一位代表的、已分类的留言。",
    "draft_target": "请填写同一位代表的一份待审阅草稿的编号。",
    "confirm_approval": "请先核对最终文本，勾选“已核对，提交后不能修改”，再提交。",
    # Deputies, stations and staff accounts
    "deputy_name": "请填写姓名（50 字以内）。",
    "deputy_level": "请选择层级。",
    "deputy_station": "请选择联络站。",
    "phone_format": "手机号应为 11 位。",
    "codes_unreachable": "注意：二维码里的地址是 {base_url}，群众的手机打不开（这是服务器本机或内部网络的地址）。"
                         "正式打印前，请系统管理员把对外地址（BASE_URL）设为本区的 https 网址。",
    "phone_taken": "手机号已被代表 {deputy} 使用。",
    "phone_taken_elsewhere": "该手机号已被其他代表使用。",
    "password_short": "密码至少 {minimum} 位。",
    "current_password_wrong": "现在的密码不对，请重新输入。",
    "password_unchanged": "新密码不能和现在的密码相同。",
    "station_name": "请填写联络站名称。",
    "station_exists": "这个联络站已经有了。",
    "station_name_long": "联络站名称最多 {maximum} 字，现在是 {length} 字，没有保存。",
    "station_phone_long": "联系电话最多 {maximum} 个字符，现在是 {length} 个，没有保存。",
    "station_hours_long": "接待时间最多 {maximum} 字，现在是 {length} 字，没有保存。",
    "station_address_long": "地址最多 {maximum} 字，现在是 {length} 字，没有保存。",
    "station_name_taken": "已有同名的联络站。",
    "username_format": "用户名为 3–50 位字母、数字、下划线、点或横线。",
    "role_missing": "请选择角色。",
    "staff_station": "联络站工作人员需要选择联络站。",
    "username_taken": "用户名已存在（不分大小写）。",
    "display_name_long": "姓名最多 {maximum} 字，现在是 {length} 字，没有保存。",
    # A deputy's draft
    "draft": "没有这份草稿。",
    "draft_conflict": ("这份草稿在您打开之后已被修改过（可能是在另一个页面或另一台手机上）。您刚才写的内容没有丢失："
                       "已存入下方的“修改记录”，也还在编辑框里。请对照最新内容后再保存。"),
    "draft_not_editable": "这份草稿已提交或已放弃，不能再修改。",
    "section_unknown": "没有这一部分。",
    "title_empty": "标题不能为空。",
    "title_too_long": "标题最多 {maximum} 字，现在是 {length} 字。标题写明是什么问题就好，详细情况请写在“基本情况”里。",
    "section_too_long": "这一部分最多 {maximum} 字，现在是 {length} 字。",
    "merge_other_missing": "请选择另一份草稿。",
    "last_message": "这份草稿只有这一条留言，不能再移出。",
    "cosigner_invalid": "所选代表中有人不在任或不存在，请重新选择。",
    "nothing_to_submit": "“存在问题”和“具体建议”都是空的，请至少写一条再提交。",
    "reason_missing": "请写明放弃的理由。",
    "reason_too_long": "理由最多 {maximum} 字。",
    # The deputy's desk: drafts from collecting problems and chosen messages
    "group": "没有这个问题，或它已整理成草稿。",
    "message_not_ready": "勾选的留言中有刚收到、还在分类的，请稍后再试。",
    "message_sealed": "勾选的留言中有已提交或已放弃的建议里的，不能再移动。",
    "draft_target_missing": "请选择要加入的草稿。",
    "already_in_draft": "勾选的留言都已在这份草稿里。",
    "ticked_gone": "勾选的留言中有已不在您这里的（可能已转给其他代表或已被删除），请重新勾选。",
    "draft_target_closed": "所选草稿已提交、已放弃或已并入另一份草稿，不能再加入留言，请另选一份。",
    "placement_changed": ("刚才有人同时做了同样的操作（也可能是按钮点了两次），勾选的留言已不在页面上显示的位置。"
                          "这次提交没有保存，以免重复；下面是现在的情况，请看过后再勾选。"),
    "draft_emptied": "勾选的是另一份草稿的全部留言：请打开那份草稿，用“与另一份草稿合并”。",
    "no_colleagues": "同站的其他代表没有收到相同的问题。",
    "colleagues_declined": "同站代表已谢绝附议，不再邀请；他们自己可以改为附议。",
    # /api/v1: what it reads, and its own names for the fields a submission refuses
    "deputy": "没有这位代表。",
    "api_cursor_invalid": "分页游标无效：请原样使用上一页答复中的 next_cursor。",
    "v1:api_key_missing": "缺少接口密钥：请放在请求头 Authorization: Bearer … 或 X-Api-Key 中。",
    "v1:api_text_empty": "留言内容（text）不能为空。",
    "v1:api_text_too_long": "留言内容（text）不能超过 {limit} 字。",
    "v1:api_address_too_long": "地址（address）不能超过 {limit} 字。",
    "v1:api_position_half": "经纬度（lat 和 long）需要同时填写。",
    "v1:api_external_id": "请求头 Idempotency-Key 应为 1 到 {limit} 个字符。",
    "v1:api_deputy_unknown": "找不到这位代表（deputy 应为代表留言链接中 /c/ 之后的代码）。",
    "v1:api_no_station": "地址不在任何联络站的范围内，请用 deputy 指明代表。",
    "invitation_answer": "请选择同意附议或不参加。",
    # Tables read from a file
    "roster_missing": "请选择名册文件。",
    "units_missing": "请选择单位名单文件。",
    "table_encoding": "文件编码无法识别，请另存为 UTF-8 编码的 CSV 文件或 Excel 表格（.xlsx）。",
    "table_empty": "文件是空的。",
    "table_csv": "CSV 文件格式不对，无法读取（可能含有无法识别的字符），请在 Excel 中另存为 Excel 表格（.xlsx）或 CSV 文件后再上传。",
    "table_xlsx": "无法读取这个 Excel 表格：它可能已损坏，或不是 .xlsx 格式。请在 Excel 中另存为 Excel 表格（.xlsx）后再上传。",
    "table_kind": "只支持 Excel 表格（.xlsx）和 CSV 文件（.csv）。",
    "table_too_long": "表格有内容的行超过 {limit} 行，没有读取。数据确实这么多时，请分成几个文件（空行不算在内）。",
    "table_too_wide": "表格超过 {limit} 列，没有读取。请只保留需要的列（多余的列可能在表格右边很远处），另存后再上传。",
    "table_too_far": "表格到第 {lines} 行还没有结束，没有读取。数据下方很远处可能有误填的单元格，请删除那些行后再上传。",
    "replies_column_missing": "文件里没有“{column}”这一列。",
    "column_missing": "文件中没有列“{column}”。",
    "line": "第 {line} 行：{parts}。",
    # The roster
    "roster_empty": "名册中没有代表。",
    "roster_preview_expired": "预览已超过 {minutes} 分钟，没有导入。请重新上传名册，核对预览后再确认。",
    "roster_done": "导入完成：新增 {created} 位代表，更新 {updated} 位。",
    "roster_done_stations": "导入完成：新增 {created} 位代表，更新 {updated} 位；新建联络站 {count} 个：{names}。",
    "roster_columns": "缺少列：{missing}（需要的列：姓名、层级、联络站、手机）。",
    "name_empty": "姓名为空",
    "name_long": "姓名过长",
    "level_invalid": "层级“{level}”无效，应为：{allowed}",
    "station_empty": "联络站为空",
    "station_long": "联络站名称过长",
    "mobile_invalid": "手机号“{phone}”格式不对，应为 11 位手机号",
    "mobile_repeated": "手机号与第 {first_line} 行重复",
    # Opinions collected on paper
    "offline_deputy_unknown": "找不到代表“{reference}”（请填代表编号或群众链接中的代码）。",
    "offline_deputy_inactive": "代表{deputy}已停用，不能再导入意见。",
    "offline_empty": "文件中没有意见。",
    "opinion_empty": "意见内容是空的",
    "opinion_long": "意见有 {length} 个字，超过了 {maximum} 字的上限",
    "number_empty": "编号是空的",
    "number_long": "编号太长（最多 {maximum} 个字符）",
    "number_repeated": "编号“{number}”与第 {first_line} 行重复",
    "time_unreadable": "时间“{value}”看不懂，请写成 2026-11-25 或 2026-11-25 09:30",
    "time_ahead": "时间“{value}”还没到",
    # Training data
    "training_columns": "文件中没有列“{text_col}”或“{label_col}”。",
    "training_empty": "文件中没有带分类的文本。",
    "training_labels": "至少需要两个分类的训练样本。",
    # Exports
    "export_timeout": "超过时限仍未完成，处理它的后台任务可能已中断。请重新导出。",
    # The yearly report
    "report_timeout": "超过时限仍未完成，处理它的后台任务可能已中断。请重新生成。",
    "report_failed": "生成时出错（错误已记入运行日志）。请重新生成；仍不成功请联系管理员。",
    # Suggestions after approval: registration, 交办, handling, replies, ratings, units, the ledger
    "suggestion": "没有这条建议。",
    "delivery": "没有这条未发出的消息。",
    "unit_email": "提醒邮箱“{address}”不是有效的电子邮件地址。",
    "unit_email_long": "提醒邮箱最多填写 200 个字符。",
    "suggestion_state": "建议 {number} 现在是“{status}”，不能{action}。",
    "suggestion_registered_twice": "这份草稿已经登记为建议 {number}，不能重复登记。",
    "draft_not_approved": "只有代表已提交的草稿才能登记为建议。",
    "suggestion_kind": "请选择建议类型（大会期间或闭会期间）。",
    "suggestion_title": "请填写建议标题。",
    "suggestion_title_long": "建议标题不能超过 {maximum} 字。",
    "suggestion_text_long": "建议内容每部分不能超过 {maximum} 字。",
    "suggestion_topic_long": "分类不能超过 {maximum} 字。",
    "suggestion_deputy": "请选择领衔代表。",
    "suggestion_cosigner": "附议代表中有不存在的代表。",
    "nothing_selected_suggestions": "请先勾选建议。",
    "lead_unit_missing": "请选择主办单位。",
    "lead_unit_in_co": "主办单位不能同时是协办单位。",
    "unit_unknown": "所选承办单位不存在或已停用。",
    "deadline_past": "办理期限应晚于今天。",
    "deadline_unreadable": "办理期限“{typed}”不是能识别的日期，没有交办：请写成 2027-03-01 这样的年-月-日，或留空用默认期限。",
    "supervisor_missing": "重点督办请填写督办领导。",
    "supervisor_long": "督办领导姓名不能超过 {maximum} 字。",
    "public_summary_long": "告知群众的答复摘要不能超过 {maximum} 字。",
    "note_long": "说明不能超过 {maximum} 字。",
    "return_not_lead": "只有主办单位可以申请退回。",
    "return_reason": "请填写申请退回的理由。",
    "done_note": "请填写承诺事项的落实情况（做了什么、何时完成）。",
    "done_note_long": "落实情况不能超过 {maximum} 字。",
    "return_reason_long": "退回理由不能超过 {maximum} 字。",
    "return_too_late": "交办已超过 {days} 天，不能再申请退回。",
    "contact_stage": "请选择沟通阶段（办前、办中或办后）。",
    "contact_way": "请选择沟通方式（当面、电话或书面）。",
    "contact_date": "请填写沟通日期（不能晚于今天）。",
    "contact_date_unreadable": "沟通日期“{typed}”不是能识别的日期，没有记录：请写成 2026-12-01 这样的年-月-日。",
    "contact_who_long": "参加人员不能超过 {maximum} 字。",
    "opinion_not_co": "只有协办单位可以提交协办意见。",
    "opinion_text": "请填写协办意见。",
    "opinion_text_long": "协办意见不能超过 {maximum} 字。",
    "reply_not_lead": "只有主办单位可以提交答复。",
    "reply_text": "请填写答复内容。",
    "reply_text_long": "答复内容不能超过 {maximum} 字。",
    "reply_category": "请选择答复类别（A、B、C或D）。",
    "promised_date_missing": "B类答复请填写承诺完成日期。",
    "promised_date_past": "承诺完成日期应晚于今天。",
    "promised_date_unreadable": "承诺完成日期“{typed}”不是能识别的日期，答复没有提交：请写成 2027-03-01 这样的年-月-日。",
    "attachment_type": "附件只能是 Word 文档（.docx）或 PDF 文件。",
    "attachment_too_large": "附件不能超过 {maximum_mb} MB。",
    "attachment": "没有这个附件。",
    "reply_missing": "没有待审核的答复。",
    "send_back_reason": "请填写退回答复的理由。",
    "send_back_reason_long": "退回理由不能超过 {maximum} 字。",
    "rating_not_lead": "只有领衔代表可以评价。",
    "rating_level": "请选择满意、基本满意或不满意。",
    "rating_comment": "选“不满意”时请在“意见”里写明理由：建议将据此重新办理。评价没有提交。",
    "rating_comment_long": "评价意见不能超过 {maximum} 字。",
    "done_not_lead": "只有主办单位可以报告落实完成。",
    "done_not_promised": "这条建议没有待落实的B类答复。",
    "unit": "没有这个承办单位。",
    "staff_unit": "承办单位账号需要选择单位。",
    "unit_name": "请填写单位名称（100 字以内）。",
    "unit_name_taken": "已有名为“{name}”的单位。",
    "units_file": "单位名单有误，未导入任何单位。",
    "units_empty": "文件中没有单位。",
    "unit_name_empty": "单位名称为空",
    "unit_name_long": "单位名称超过 100 字",
    "unit_detail_long": "{field}最多 {maximum} 个字，现在是 {length} 个，没有保存。",
    "unit_detail_long_line": "{field}有 {length} 个字，超过了 {maximum} 个字的上限",
    "unit_repeated": "单位名称与第 {first_line} 行重复",
    "ledger": "台账有误，未导入任何建议。",
    "ledger_empty": "台账中没有建议。",
    "ledger_number": "编号为空或超过 40 字",
    "ledger_number_repeated": "编号与第 {first_line} 行重复",
    "ledger_title": "标题为空或超过 200 字",
    "ledger_lead_deputy": "领衔代表为空",
    "ledger_deputy_unknown": "找不到代表“{name}”",
    "ledger_deputy_ambiguous": "有多位代表叫“{name}”，无法确定是哪一位",
    "ledger_unit_unknown": "找不到承办单位“{name}”",
    "ledger_date": "{column}“{value}”不是可以识别的日期",
    "ledger_yes_no": "{column}应填“是”或“否”，而不是“{value}”",
    "ledger_category": "答复类别“{value}”无效，应为A、B、C或D",
    "ledger_level": "满意度“{value}”无效，应为满意、基本满意、不满意或空",
    "ledger_lead_unit_missing": "已交办或已答复的建议需要填写主办单位",
    "ledger_assigned_missing": "填写了主办单位就需要填写交办日期",
    "ledger_reply_incomplete": "答复日期和答复类别需同时填写",
    "ledger_level_without_reply": "没有答复的建议不能有满意度",
    "ledger_done_not_b": "只有B类答复才能填写落实完成",
    "ledger_lead_in_co": "主办单位不能同时是协办单位",
    # Integrating systems: keys and what they submit
    "api_key_missing": "缺少接口密钥（api_key）。",
    "api_key_refused": "接口密钥无效或已吊销。",
    "api_scope_missing": "这个接口密钥没有“{scope}”权限。",
    "api_scopes": "权限应为 {allowed} 之一或两者。",
    "api_key_name": "请填写对接系统的名称（{limit} 字以内）。",
    "api_key_unknown": "没有这个接口密钥。",
    "station_unknown": "没有编号为 {id} 的联络站。",
    "api_text_empty": "留言内容（description）不能为空。",
    "api_text_too_long": "留言内容不能超过 {limit} 字。",
    "api_address_too_long": "地址（address_string）不能超过 {limit} 字。",
    "api_position_half": "经纬度（lat 和 long）需要同时填写。",
    "api_position_range": "经纬度超出范围。",
    "api_phone_format": "电话号码格式不对。",
    "api_external_id": "外部编号（attribute[external_id]）应为 1 到 {limit} 个字符。",
    "api_deputy_unknown": "找不到这位代表（attribute[deputy] 应为代表群众链接中的代码）。",
    "api_deputy_gone": "这位代表的链接已经停用。",
    "api_no_station": "地址不在任何联络站的范围内，请用 attribute[deputy] 指明代表。",
    "api_too_many_ids": "service_request_id 最多列 {limit} 个。",
    "api_status": "status 只能是 open、closed 或两者。",
    "api_date": "{field} 应为带时区的时间，如 2026-12-01T00:00:00+08:00。",
    "api_service_unknown": "没有这个服务（service_code）。",
    "api_request_unknown": "没有这条诉求。",
    "api_token_unknown": "没有这个 token。",
    "api_field_unknown": "不认识的参数：{field}。",
    "api_field_repeated": "参数 {field} 出现了不止一次。",
    "api_field_unreadable": "参数 {field} 含有无法识别的字符。",
    "api_form": "请用表单格式（application/x-www-form-urlencoded）提交。",
    "api_position_format": "经纬度（lat、long）应为数字。",
    "api_too_many": "请求太频繁了，请按 Retry-After 的秒数稍后再试。",
    "api_refused_keys": "从这个地址发来的无效 API 密钥太多，请按 Retry-After 的秒数稍后再试。",
    "api_too_large": "请求内容太大了。",
}


def _shown(value) -> str:
    if isinstance(value, (list, tuple)):
        # A list of (code, values) problems reads as one sentence; a list of names as an enumeration.
        if value and isinstance(value[0], tuple):
            return "；".join(sentence(code, **params) for code, params in value)
        return "、".join(map(str, value))
    return str(value)


def sentence(code: str | None, **params) -> str:
    """The sentence for a code; text that is no code (e.g. a recorded technical error) is shown as it is."""
    template = SENTENCES.get(code or "")
    if template is None:
        return code or ""
    return template.format(**{name: _shown(value) for name, value in params.items()})


def roster_done(result) -> str:
    """What a roster import did, naming the stations it created (a misspelt one shows up here)."""
    if result.new_stations:
        return sentence("roster_done_stations", created=result.created, updated=result.updated,
                        count=len(result.new_stations), names=list(result.new_stations))
    return sentence("roster_done", created=result.created, updated=result.updated)


def of(error: DomainError) -> str:
    return sentence(error.code, **error.params)


def lines_of(error: DomainError) -> list[str]:
    """One sentence per problem of a file with bad lines, else the error's own sentence."""
    if isinstance(error, Problems):
        return [sentence(code, **params) for code, params in error.problems]
    return [of(error)]
