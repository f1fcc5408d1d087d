"""From tagged messages to draft suggestions: grouping, composing, the deputy's review, documents, paper opinions."""
