"""timeline: a static site generator for chronologies kept as YAML files."""

__version__ = "0.1.0"
