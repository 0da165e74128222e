#!/usr/bin/env python3
"""Build clinic-branded patient handouts: a thin shim over handouts.cli."""

from handouts.cli import run

if __name__ == "__main__":
    run()
