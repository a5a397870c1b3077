"""The chat assistant: report through a conversation on the web or a messaging app, with a human operator on call."""
