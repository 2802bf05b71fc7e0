"""Access table rows for feedback: service."""
ROWS: dict = {}
