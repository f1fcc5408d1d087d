"""Chinese names of states and kinds, shown on pages and in exports."""

MESSAGE_STATUS = {"collecting": "填写中", "withdrawn": "已撤回", "held": "待审核", "rejected": "已剔除",
                  "received": "待分类", "tagged": "已分类", "drafted": "已入草稿"}
FLAGS = {"spam": "垃圾信息", "abusive": "辱骂", "duplicate": "重复"}
CHANNELS = {"web": "网页", "wechat": "微信", "offline": "线下"}
DRAFT_STATUS = {"collecting": "收集中", "open": "待审阅", "approved": "已提交", "discarded": "已放弃"}
ROLES = {"admin": "管理员", "office": "代表工委", "station": "联络站"}
