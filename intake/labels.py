"""Chinese names of states and kinds, shown on pages and in exports."""

MESSAGE_STATUS = {"collecting": "填写中", "withdrawn": "已撤回", "held": "待审核", "rejected": "已剔除",
                  "received": "待分类", "tagged": "已分类", "drafted": "已入草稿"}
FLAGS = {"spam": "垃圾信息", "abusive": "辱骂", "duplicate": "重复"}
CHANNELS = {"web": "网页", "wechat": "微信", "offline": "线下"}
DRAFT_STATUS = {"collecting": "收集中", "open": "待审阅", "approved": "已提交", "discarded": "已放弃",
                "merged": "已合并"}
ROLES = {"admin": "管理员", "office": "代表工委", "station": "联络站"}
REVISION_ACTIONS = {"edit": "修改", "conflict": "未能保存（与另一处修改冲突），原文保留", "merge": "并入另一份草稿",
                    "merged": "已并入另一份草稿", "move_out": "移出一条留言", "split": "从另一份草稿移出",
                    "cosigners": "更新附议代表", "approve": "同意并提交", "discard": "放弃"}
