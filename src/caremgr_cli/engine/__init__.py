"""The engine: the catalog's rules compiled once, then (answers, today) -> a result. No I/O."""
