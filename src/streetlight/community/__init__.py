"""The business community (FERM): registered businesses, cyber-incident checklists, warnings and drills."""
