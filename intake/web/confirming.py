"""A button that takes something away (停用, 吊销) acts only with its tick, which a mis-tap never sends along."""

from __future__ import annotations

from flask import flash


def ticked(form, words: str) -> bool:
    """Whether the form came with its tick (staff/_confirm.html's tick_then, labelled `words`); if not, the page
    says which words to tick, and the caller changes nothing."""
    if form.get("confirm") == "yes":
        return True
    flash(f"请先勾选“{words}”。", "error")
    return False
