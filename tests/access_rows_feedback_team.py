"""Access table rows for feedback: team."""
ROWS: dict = {}
