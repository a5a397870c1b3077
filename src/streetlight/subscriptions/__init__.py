"""Residents and partners subscribe to area warnings: e-mail with double opt-in, Atom, signed webhooks."""
