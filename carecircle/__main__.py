"""Allow ``python -m carecircle``."""

from carecircle.cli import main

main()
