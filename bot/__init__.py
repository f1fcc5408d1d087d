"""The citizen conversation: a channel-neutral engine, its texts and one adapter per channel."""
