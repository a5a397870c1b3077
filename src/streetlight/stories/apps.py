from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "streetlight.stories"
    label = "stories"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from streetlight.reports.models import Report

        from .services import story_wipe_on_erasure

        # A report whose personal content is removed (erasure by the reporter or the city, retention)
        # loses its story in the same transaction: the story is the reporter's words too.
        post_save.connect(story_wipe_on_erasure, sender=Report, dispatch_uid="stories-wipe-on-erasure")
