"""Lets `python -m generator` run the same command line as `timeline`."""
from generator.cli import run

run()
