"""The shapes /api/v1 reads and answers; the OpenAPI document is generated from these, so they are the contract."""

from __future__ import annotations

from flask import current_app
from marshmallow import Schema, fields, validate

from intake import labels
from intake.models import DEPUTY_LEVELS
from intake.models.stages import DRAFT_STAGES, MESSAGE_STAGES
from intake.services.api.reads import MAX_PAGE
from intake.services.api.submissions import ADDRESS_CHARS, EXTERNAL_ID_CHARS
from intake.services.lifecycle import handling, states


class Moment(fields.DateTime):
    """ISO 8601 with the offset of the district's time zone (2026-12-03T18:05:00+08:00)."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return value.astimezone(current_app.extensions["mashang"].local_tz).isoformat(timespec="seconds")


# A computed field has no type of its own: the document is told it.
_LABEL = {"type": "string", "description": "阶段或类别的中文名称"}
_NULLABLE_LABEL = {"type": "string", "description": "中文名称；没有时为 null"}


class Strict(Schema):
    class Meta:
        ordered = True


class ErrorDetail(Strict):
    code = fields.String(required=True, metadata={"description": "稳定的错误代码，程序据此判断，例如 api_key_refused"})
    message = fields.String(required=True, metadata={"description": "给人看的中文说明"})


class ErrorBody(Strict):
    error = fields.Nested(ErrorDetail, required=True, metadata={"description": "出了什么错"})


class PageQuery(Strict):
    cursor = fields.String(validate=validate.Length(max=200),
                           metadata={"description": "上一页答复中的 next_cursor；不填为第一页"})
    limit = fields.Integer(load_default=50, validate=validate.Range(1, MAX_PAGE),
                           metadata={"description": f"每页条数，1–{MAX_PAGE}"})


def _page_of(item: type[Schema], name: str, what: str) -> type[Schema]:
    return type(name, (Strict,), {
        "items": fields.List(fields.Nested(item), required=True, metadata={"description": f"这一页的{what}，按编号从小到大"}),
        "next_cursor": fields.String(required=True, allow_none=True,
                                     metadata={"description": "下一页的游标；null 表示已是最后一页"}),
    })


class DeputyOut(Strict):
    id = fields.Integer(required=True, metadata={"description": "代表的编号"})
    name = fields.String(required=True, metadata={"description": "代表姓名"})
    level = fields.String(required=True, validate=validate.OneOf(DEPUTY_LEVELS),
                          metadata={"description": "代表层级：区、市、省、全国"})
    station_id = fields.Integer(required=True, metadata={"description": "所在联络站的编号"})
    station_name = fields.String(required=True, metadata={"description": "所在联络站"})
    citizen_link = fields.String(required=True, allow_none=True,
                                 metadata={"description": "群众扫码进入的留言链接；没有在用的链接时为 null"})


DeputyPage = _page_of(DeputyOut, "DeputyPage", "代表")

_DRAFT_SHOWN = [stage for stage in DRAFT_STAGES if stage != "collecting"]


class DraftQuery(PageQuery):
    stage = fields.String(validate=validate.OneOf(_DRAFT_SHOWN),
                          metadata={"description": "只列这一阶段的草稿：" + "、".join(
                              f"{stage}（{labels.DRAFT_STATUS[stage]}）" for stage in _DRAFT_SHOWN)})


class DraftOut(Strict):
    id = fields.Integer(required=True, metadata={"description": "草稿的编号"})
    title = fields.String(required=True, metadata={"description": "标题（未经代表同意显示的人名已隐去）"})
    topic = fields.String(required=True, metadata={"description": "问题分类"})
    stage = fields.String(required=True, validate=validate.OneOf(_DRAFT_SHOWN), metadata={"description": "草稿的阶段"})
    stage_label = fields.Function(lambda draft: labels.DRAFT_STATUS[draft.stage], required=True, metadata=_LABEL)
    deputy_id = fields.Integer(required=True, metadata={"description": "收到这些留言的代表的编号"})
    deputy_name = fields.String(required=True, metadata={"description": "代表姓名"})
    suggested_unit = fields.String(required=True, allow_none=True, metadata={"description": "建议承办单位"})
    created_at = Moment(required=True, metadata={"description": "草稿生成的时间"})
    updated_at = Moment(required=True, metadata={"description": "草稿最近一次改动的时间"})


DraftPage = _page_of(DraftOut, "DraftPage", "草稿")
_SUGGESTION_STAGES = list(labels.SUGGESTION_STATUS)


class SuggestionQuery(PageQuery):
    stage = fields.String(validate=validate.OneOf(_SUGGESTION_STAGES),
                          metadata={"description": "只列这一阶段的建议：" + "、".join(
                              f"{stage}（{label}）" for stage, label in labels.SUGGESTION_STATUS.items())})
    year = fields.Integer(validate=validate.Range(1900, 2999), metadata={"description": "建议的年度"})


class UnitOut(Strict):
    id = fields.Integer(required=True, metadata={"description": "承办单位的编号"})
    name = fields.String(required=True, metadata={"description": "承办单位名称"})
    role = fields.String(required=True, validate=validate.OneOf(("lead", "co")),
                         metadata={"description": "lead 主办单位，co 协办单位"})


class SuggestionOut(Strict):
    id = fields.Integer(required=True, metadata={"description": "建议在本接口中的编号，用于 /suggestions/{suggestion_id}"})
    number = fields.String(required=True, metadata={"description": "建议编号"})
    year = fields.Integer(required=True, metadata={"description": "建议的年度"})
    title = fields.String(required=True, metadata={"description": "建议标题"})
    topic = fields.String(required=True, metadata={"description": "问题分类"})
    kind = fields.String(required=True, validate=validate.OneOf(tuple(handling.KINDS)),
                         metadata={"description": "session 大会期间，recess 闭会期间"})
    stage = fields.String(required=True, validate=validate.OneOf(_SUGGESTION_STAGES),
                          metadata={"description": "建议的办理阶段"})
    stage_label = fields.Function(lambda item: states.LABELS[item.stage], required=True, metadata=_LABEL)
    lead_deputy_id = fields.Integer(required=True, metadata={"description": "领衔代表的编号"})
    lead_deputy_name = fields.String(required=True, metadata={"description": "领衔代表姓名"})
    units = fields.List(fields.Nested(UnitOut), required=True, metadata={"description": "承办单位，主办在前"})
    reply_category = fields.String(required=True, allow_none=True, validate=validate.OneOf(tuple(handling.CATEGORIES)),
                                   metadata={"description": "最近一次采用的答复类别 A–D；尚未答复为 null"})
    reply_category_label = fields.Function(lambda item: handling.CATEGORIES.get(item.reply_category), required=True,
                                           allow_none=True, metadata=_NULLABLE_LABEL)
    deadline = fields.Date(required=True, allow_none=True, metadata={"description": "办理期限；尚未交办为 null"})
    created_at = Moment(required=True, metadata={"description": "建议登记的时间"})
    updated_at = Moment(required=True, metadata={"description": "建议最近一次改动的时间"})


SuggestionPage = _page_of(SuggestionOut, "SuggestionPage", "建议")


class MessageIn(Strict):
    text = fields.String(required=True, validate=validate.Length(min=1, max=10_000),
                         metadata={"description": "群众反映的内容"})
    deputy = fields.String(allow_none=True, validate=validate.Regexp(r"^[0-9A-Za-z]{1,32}$"),
                           metadata={"description": "代表留言链接的末段（/c/ 之后）；不填则按地址交给负责的联络站或代表工委"})
    address = fields.String(allow_none=True, validate=validate.Length(max=ADDRESS_CHARS),
                            metadata={"description": "问题发生的地址"})
    lat = fields.Float(allow_none=True, validate=validate.Range(-90, 90), metadata={"description": "纬度"})
    long = fields.Float(allow_none=True, validate=validate.Range(-180, 180), metadata={"description": "经度"})
    email = fields.String(allow_none=True, validate=validate.Length(max=200),
                          metadata={"description": "联系邮箱；只给代表和工作人员看"})
    phone = fields.String(allow_none=True, validate=validate.Length(max=20),
                          metadata={"description": "联系电话；只给代表和工作人员看，且默认隐去中间几位"})


class IdempotencyHeader(Strict):
    # Visible ASCII only: what a client's own id is made of, and nothing a database refuses to store.
    idempotency_key = fields.String(data_key="Idempotency-Key",
                                    validate=validate.Regexp(rf"^[\x21-\x7e]{{1,{EXTERNAL_ID_CHARS}}}$"),
                                    metadata={"description": "调用方自己的编号：同一编号重发只存一次，答复与第一次相同"})


class Accepted(Strict):
    receipt = fields.String(required=True, metadata={"description": "回执编号，可用来查询进展"})
    status_url = fields.String(required=True, metadata={"description": "查询进展的地址"})


_MESSAGE_SHOWN = [stage for stage in MESSAGE_STAGES if stage not in ("held", "collecting")]


class MessageStageOut(Strict):
    receipt = fields.String(required=True, metadata={"description": "回执编号"})
    stage = fields.String(required=True, validate=validate.OneOf(_MESSAGE_SHOWN),
                          metadata={"description": "留言的阶段"})
    stage_label = fields.Function(lambda item: labels.MESSAGE_STATUS[item.stage], required=True, metadata=_LABEL)
    created_at = Moment(required=True, metadata={"description": "收到留言的时间"})
    draft_id = fields.Integer(required=True, allow_none=True, metadata={"description": "留言所在的建议草稿"})
    suggestion_id = fields.Integer(required=True, allow_none=True, metadata={"description": "由它形成的代表建议"})
    suggestion_stage = fields.String(required=True, allow_none=True, validate=validate.OneOf(_SUGGESTION_STAGES),
                                     metadata={"description": "那件建议的办理阶段；尚未形成建议为 null"})
    suggestion_stage_label = fields.Function(lambda item: states.LABELS.get(item.suggestion_stage), required=True,
                                             allow_none=True, metadata=_NULLABLE_LABEL)


class StatisticsQuery(Strict):
    year = fields.Integer(validate=validate.Range(1900, 2999), metadata={"description": "年度；不填为全部年度"})


def _by_category(kind, what: str) -> dict:
    return {name: kind(required=True, metadata={"description": f"{name} 类（{label}）{what}"})
            for name, label in handling.CATEGORIES.items()}


ByCategory = type("ByCategory", (Strict,), _by_category(fields.Integer, "的件数"))
Shares = type("Shares", (Strict,), _by_category(fields.Float, "占已答复的百分比"))


class StatisticsOut(Strict):
    year = fields.Integer(required=True, allow_none=True, metadata={"description": "统计的年度；全部年度为 null"})
    station_id = fields.Integer(required=True, allow_none=True,
                                metadata={"description": "限定联络站的密钥得到的是这个联络站代表领衔的建议的数字；全区为 null"})
    total = fields.Integer(required=True, metadata={"description": "建议总数"})
    answered = fields.Integer(required=True, metadata={"description": "已答复"})
    by_category = fields.Nested(ByCategory, required=True, metadata={"description": "各类答复的件数"})
    shares = fields.Nested(Shares, required=True, metadata={"description": "各类答复占已答复的百分比"})
    reply_rate = fields.Float(required=True, metadata={"description": "办复率（%）"})
    face_to_face = fields.Integer(required=True, metadata={"description": "当面沟通过的件数"})
    face_to_face_rate = fields.Float(required=True, metadata={"description": "面商率（%）"})
    rated = fields.Integer(required=True, metadata={"description": "已评价"})
    satisfied = fields.Integer(required=True, metadata={"description": "满意与基本满意"})
    satisfaction_rate = fields.Float(required=True, metadata={"description": "满意率（%）"})
    completed = fields.Integer(required=True, metadata={"description": "办结件数"})
    completion_rate = fields.Float(required=True, metadata={"description": "办结率（%）"})
    overdue = fields.Integer(required=True, metadata={"description": "超过办理期限仍在办理"})
    key_supervision = fields.Integer(required=True, metadata={"description": "重点督办"})

