"""Access table rows for feedback: admin."""
ROWS: dict = {}
