"""Text from outside made safe to store, and to write into XML documents (.docx) and spreadsheets (.xlsx)."""

from __future__ import annotations

import re
import unicodedata

from openpyxl.cell import WriteOnlyCell

# What XML 1.0 cannot hold (C0 controls but tab, newline and CR; lone surrogates; U+FFFE/U+FFFF) and the
# other Unicode non-characters: none of them is readable text, and any of them breaks a .docx or .xlsx. And the
# direction overrides and isolates (U+202A–U+202E, U+2066–U+2069): Chinese text needs none, and one pasted into a
# message turns the rest of a sentence around wherever it is shown (请转交住建局 read as 局建住交转请).
_UNWRITABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff\u202a-\u202e\u2066-\u2069"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(1, 17))
    + "]"
)
# 😢, 🙏 and WeChat's codes for them ([流泪], [捂脸]): how a citizen feels, said in pictures no official document's font
# has (each prints as ☒), and no word of what they report. Only WeChat's own codes: letters bracket their own words
# too ([政府发文]【2018】53号文).
_WECHAT_CODES = (
    "微笑 撇嘴 色 发呆 得意 流泪 害羞 闭嘴 睡 大哭 尴尬 发怒 调皮 呲牙 惊讶 难过 囧 抓狂 吐 偷笑 愉快 白眼 傲慢 困 惊恐"
    " 憨笑 悠闲 咒骂 疑问 嘘 晕 衰 骷髅 敲打 再见 擦汗 抠鼻 鼓掌 坏笑 右哼哼 鄙视 委屈 快哭了 亲亲 可怜 笑脸 生病 脸红"
    " 破涕为笑 恐惧 失望 无语 嘿哈 捂脸 奸笑 机智 皱眉 耶 吃瓜 加油 汗 天啊 Emm 社会社会 旺柴 好的 打脸 哇 翻白眼 666"
    " 让我看看 叹气 苦涩 裂开 合十 强 弱 握手 胜利 抱拳 勾引 拳头 OK 爱心 心碎 玫瑰 凋谢 拥抱 月亮 太阳 炸弹 便便 发抖"
    " 跳跳 转圈 磕头 激动 庆祝 烟花 红包 流汗 冷汗").split()
_PICTURES = re.compile("|".join(re.escape(f"[{code}]") for code in _WECHAT_CODES)
                       + "|[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u200d\ufe0f\u20e3]")
# A spreadsheet runs a cell starting with one of these as a formula (OWASP, "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def writable(text: str) -> str:
    """The text without control characters, direction overrides, lone surrogates and non-characters; everything
    readable kept."""
    return _UNWRITABLE.sub("", text)


def without_pictures(text: str) -> str:
    """The text without emoji and WeChat's codes for them: the words only."""
    return _PICTURES.sub("", text)


def spreadsheet_text(text: str) -> str:
    """Writable text for a CSV cell that no spreadsheet program will take for a formula: a leading quote disarms it."""
    text = writable(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def text_cell(sheet, value: str) -> WriteOnlyCell:
    """An .xlsx cell that holds text and nothing else: stored as a string, never a formula, and one that starts
    like a formula is marked as Excel marks a typed leading quote (quotePrefix), which it hides: the reader sees
    =HYPERLINK… as written, not '=HYPERLINK…, and editing the cell does not run it either."""
    text = writable(value)
    cell = WriteOnlyCell(sheet, text)
    cell.data_type = "s"
    if text.startswith(_FORMULA_START):
        cell.quotePrefix = True
    return cell


def landline(text: str) -> str:
    """A unit's or a station's phone as stored: figures and hyphens half-width, as a deputy's phone is (typed on a
    Chinese keyboard, ０７３１－８２２２５６７８ was stored full-width), spaces one; the hyphen that makes a landline
    readable is kept."""
    return " ".join(unicodedata.normalize("NFKC", text or "").split())
