"""Running the service for a real district: production guard, request ids, logs, metrics, readiness, backups."""
