"""Shared stories and peer support: a reporter may publish an anonymised version of their story.

It waits in a moderation queue (personal data redacted as triage does, then read and edited by a
moderator), and once approved appears on a public wall by category, district and month — never a
place or a time of day — with "this happened to me too" counts and the city's peer-support groups.
The reporter can withdraw it with their follow-up token at any time: the text is erased at once."""
