"""Area warnings and calls for help in CAP 1.2, their Atom feed, and residents' subscriptions."""
