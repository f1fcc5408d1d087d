"""The one catalogue of Chinese sentences for the domain's error codes: a page shows the sentence, an API the code."""

from __future__ import annotations

SENTENCES = {
    "export_timeout": "超过时限仍未完成，处理它的后台任务可能已中断。请重新导出。",
}


def sentence(code: str | None) -> str:
    """The sentence for a code; text that is no code (e.g. a recorded technical error) is shown as it is."""
    return SENTENCES.get(code or "", code or "")
