"""Tagging messages with a topic and handling unit, and the topic model's training data."""
