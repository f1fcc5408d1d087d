"""The congress office's yearly report on suggestion handling: its numbers, its charts, its .docx and .xlsx."""
