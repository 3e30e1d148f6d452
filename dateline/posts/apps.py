from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "dateline.posts"
    label = "posts"
    verbose_name = "Posts"

    def ready(self) -> None:
        from dateline.core.versioning import follow_schedule
        from dateline.posts.schedule import POSTS_SCHEDULE

        follow_schedule(POSTS_SCHEDULE)
