"""Domain operations as functions of (session, ids…); they flush, the caller commits."""
