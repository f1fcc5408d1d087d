"""What integrating systems may do: keys, submissions, limits."""
