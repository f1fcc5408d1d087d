"""Thin blueprints, one per audience: citizens, deputies, staff, health."""
