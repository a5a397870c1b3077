"""Night safety walks: SafetiPin-style audits of a route, organised walks and the night safety map."""
