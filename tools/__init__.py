"""Scripts for maintainers, run as ``python -m tools.NAME`` from the repository's root."""
