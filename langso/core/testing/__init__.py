"""Helpers shared by the tests of every app (not imported by the running site)."""
