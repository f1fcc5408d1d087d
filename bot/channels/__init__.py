"""Channel adapters: each turns its own wire format into engine input and back."""
