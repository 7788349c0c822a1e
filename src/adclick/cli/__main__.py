"""`python -m adclick.cli` runs the command (the load check starts servers this way)."""

from adclick.cli import main

main()
