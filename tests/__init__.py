"""Tests against real Redis, real RQ workers, SQLite, PostgreSQL and Chromium."""
