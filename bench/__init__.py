"""Load and benchmark runners (``make bench``, ``make load``); not part of the application."""
