"""Reminders of suggestions' deadlines and ratings, and the outbox that delivers messages to staff."""
