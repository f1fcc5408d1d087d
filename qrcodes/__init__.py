"""Pure functions that turn a citizen link into QR code images."""
