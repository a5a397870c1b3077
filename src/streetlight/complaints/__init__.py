"""Hand-over to a formal complaint: the reporter's consent, the police's prepared complaint (PDF and
JSON), and the official police reference that makes a report "recorded by police"."""
