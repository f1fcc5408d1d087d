"""Suggestions after approval: the state machine, registration to rating, units, figures and the ledger."""
