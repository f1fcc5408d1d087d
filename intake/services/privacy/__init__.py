"""Citizens' personal data: masking numbers in text, removing it after the retention period."""
