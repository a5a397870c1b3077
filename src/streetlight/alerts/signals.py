"""`alert_published` is sent after the transaction that wrote a new CAP message commits, so
listeners (subscriptions, the business community) never act on a message that was rolled back."""

from django.dispatch import Signal

alert_published = Signal()  # keyword argument: alert
