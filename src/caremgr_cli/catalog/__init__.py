"""The roles catalog: pydantic models of roles.yaml, its cross-reference checks, and loading it."""
