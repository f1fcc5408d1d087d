"""What citizens send in: chat turns, stored messages, WeChat, photos, links, spam and rate limits."""
