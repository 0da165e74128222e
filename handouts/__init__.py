"""Clinically reviewed YAML content to print-ready, clinic-branded patient handouts."""

__version__ = "0.1.0"
