"""Chinese names of states shown on pages."""

MESSAGE_STATUS = {"received": "待分类", "tagged": "已分类", "drafted": "已入草稿"}
DRAFT_STATUS = {"open": "待审阅", "approved": "已提交", "discarded": "已放弃"}
