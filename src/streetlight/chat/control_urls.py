from django.urls import path

from . import control_views

app_name = "chat_control"

urlpatterns = [
    path("", control_views.desk, name="desk"),
    path("<int:pk>/", control_views.conversation, name="conversation"),
    path("<int:pk>/messages", control_views.messages, name="messages"),
    path("<int:pk>/typing", control_views.typing, name="typing"),
    path("<int:pk>/take/", control_views.take, name="take"),
    path("<int:pk>/hand-back/", control_views.hand_back, name="hand_back"),
    path("<int:pk>/file/", control_views.file, name="file"),
    path("<int:pk>/close/", control_views.close, name="close"),
]
