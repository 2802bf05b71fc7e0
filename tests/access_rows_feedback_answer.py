"""Access table rows for feedback: answer."""
ROWS: dict = {}
