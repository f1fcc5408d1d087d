"""Every sentence the bot says, in one catalogue (zh-CN)."""

GREETING = "您好！我是{station}的{level}人大代表{name}。请说说您遇到的问题或建议，我会认真研究。"
HELP = "直接输入您想反映的问题或建议即可。\n输入“查询 回执号”查看办理进度，例如：查询 MS-20261125-0042。\n输入“重新开始”重新开始对话。"
RESTARTED = "好的，我们重新开始。请说说您遇到的问题或建议。"
EMPTY = "请输入您想反映的问题或建议。"
TOO_LONG = "内容太长了（{length}字），请控制在{limit}字以内，可以分几次发送。"
RECEIVED = "已收到，谢谢您！回执号：{receipt}。请记下回执号，之后发送“查询 {receipt}”可以查看办理进度。"
QUERY_USAGE = "请在“查询”后面加上回执号，例如：查询 MS-20261125-0042。"
QUERY_NOT_FOUND = "没有找到回执号 {receipt} 的记录。请核对后再试（只能查询您本人提交的内容）。"
QUERY_STATUS = "回执号 {receipt}：{status}。"

STATUS_LABELS = {
    "received": "已收到，正在整理",
    "tagged": "已收到，正在整理",
    "drafted": "已整理进代表建议草稿，等待代表审阅",
}
