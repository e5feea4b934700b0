"""Làng Số: the digital village platform."""
