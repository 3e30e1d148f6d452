from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "dateline.posts"
    label = "posts"
    verbose_name = "Posts"
