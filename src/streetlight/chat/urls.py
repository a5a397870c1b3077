from django.urls import path

from . import hooks, views

app_name = "chat"

urlpatterns = [
    path("api/messages", views.messages, name="messages"),
    path("api/typing", views.typing, name="typing"),
    path("hooks/generic", hooks.generic_hook, name="hook_generic"),
    path("hooks/telegram/<str:secret>", hooks.telegram_hook, name="hook_telegram"),
    path("hooks/matrix/transactions/<str:txn_id>", hooks.matrix_transaction, name="hook_matrix"),
    # The path a homeserver builds from the registration's url ("…/chat/hooks/matrix").
    path("hooks/matrix/_matrix/app/v1/transactions/<str:txn_id>", hooks.matrix_transaction, name="hook_matrix_v1"),
]
