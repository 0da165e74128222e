#!/usr/bin/env python3
"""Build clinic-branded patient handouts: a thin shim over handouts.cli."""

import sys

from handouts.cli import main

if __name__ == "__main__":
    sys.exit(main())
