"""Checkers for the exercises of notebook 08."""
