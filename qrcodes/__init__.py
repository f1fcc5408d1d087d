"""Pure functions that turn a citizen link into QR codes: PNG, SVG, A4 posters and contact sheets."""
