"""The command line: app.py builds the Typer app from one module per command."""
