"""Calculus for ML helpers."""
