"""``python -m motive`` runs the command line."""

from motive.cli import main

main(prog_name="motive")
