"""Discourse's JSON shapes for the endpoints tracker uses, as the OpenAPI subset declares them.

Several of the declared objects forbid any other key (``additionalProperties: false``), so
each endpoint picks its own keys from one full description of a post.
"""

from __future__ import annotations

from typing import Any

from .state import Post, Topic, User, stamp

# The keys each endpoint's post object carries (the subset's required keys).
_COMMON = [
    "id",
    "username",
    "avatar_template",
    "created_at",
    "cooked",
    "post_number",
    "post_type",
    "updated_at",
    "reply_count",
    "reply_to_post_number",
    "quote_count",
    "incoming_link_count",
    "reads",
    "readers_count",
    "score",
    "yours",
    "topic_id",
    "topic_slug",
    "primary_group_name",
    "flair_name",
    "flair_url",
    "flair_bg_color",
    "flair_color",
    "version",
    "can_edit",
    "can_delete",
    "can_recover",
    "can_wiki",
    "user_title",
    "actions_summary",
    "moderator",
    "admin",
    "staff",
    "user_id",
    "hidden",
    "trust_level",
    "deleted_at",
    "user_deleted",
    "edit_reason",
    "can_view_edit_history",
    "wiki",
    "reviewable_score_count",
    "reviewable_score_pending_count",
]
IN_TOPIC = (*_COMMON, "name", "display_username", "link_counts", "read", "bookmarked")
IN_TOPIC_ID = ("reviewable_id",)
ALONE = (*_COMMON, "posts_count", "bookmarked", "raw", "post_url", "reviewable_id")
WRITTEN = (*ALONE, "draft_sequence")
CREATED = (*WRITTEN, "name", "display_username")


def _post_values(post: Post, topic: Topic) -> dict[str, Any]:
    user = post.user
    return {
        "id": post.id,
        "name": user.username.title(),
        "username": user.username,
        "display_username": user.username.title(),
        "avatar_template": f"/user_avatar/localhost/{user.username}/{{size}}/1_2.png",
        "created_at": stamp(post.created_at),
        "updated_at": stamp(post.updated_at or post.created_at),
        "cooked": post.cooked,
        "raw": post.raw,
        "post_number": post.number,
        "post_type": post.post_type,
        "posts_count": len(topic.posts),
        "reply_count": 0,
        "reply_to_post_number": None,
        "quote_count": 0,
        "incoming_link_count": 0,
        "reads": 1,
        "readers_count": 0,
        "score": 0.2,
        "yours": False,
        "topic_id": topic.id,
        "topic_slug": topic.slug,
        "primary_group_name": None,
        "flair_name": None,
        "flair_url": None,
        "flair_bg_color": None,
        "flair_color": None,
        "version": post.version,
        "can_edit": False,
        "can_delete": False,
        "can_recover": False,
        "can_wiki": False,
        "link_counts": [],
        "read": True,
        "user_title": None,
        "bookmarked": False,
        "actions_summary": [],
        "moderator": user.moderator,
        "admin": user.admin,
        "staff": user.staff,
        "user_id": user.id,
        "draft_sequence": 0,
        "hidden": False,
        "trust_level": 1,
        "deleted_at": None,
        "user_deleted": False,
        "edit_reason": post.edit_reason,
        "can_view_edit_history": True,
        "wiki": False,
        "reviewable_id": 0,
        "reviewable_score_count": 0,
        "reviewable_score_pending_count": 0,
        "post_url": f"/t/{topic.slug}/{topic.id}/{post.number}",
    }


def post(post: Post, topic: Topic, keys: tuple[str, ...]) -> dict[str, Any]:
    values = _post_values(post, topic)
    return {key: values[key] for key in keys}


def in_topic(p: Post, topic: Topic) -> dict[str, Any]:
    """A post in ``GET /t/{id}.json`` and ``GET /t/{id}/posts.json`` (no ``raw``)."""
    return post(p, topic, IN_TOPIC + IN_TOPIC_ID)


def _user(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "name": user.username.title(),
        "avatar_template": f"/user_avatar/localhost/{user.username}/{{size}}/1_2.png",
    }


def topic(t: Topic, first: list[Post]) -> dict[str, Any]:
    """``GET /t/{id}.json``: the topic, its stream of post ids and its first posts."""
    last = t.posts[-1] if t.posts else None
    return {
        "post_stream": {
            "posts": [in_topic(p, t) for p in first],
            "stream": [p.id for p in t.posts],
        },
        "timeline_lookup": [],
        "suggested_topics": [],
        "tags": [],
        "tags_descriptions": {},
        "id": t.id,
        "title": t.title,
        "fancy_title": t.title,
        "posts_count": len(t.posts),
        "created_at": stamp(t.created_at),
        "views": 10,
        "reply_count": 0,
        "like_count": 0,
        "last_posted_at": stamp(last.created_at) if last else None,
        "visible": True,
        "closed": False,
        "archived": False,
        "has_summary": False,
        "archetype": "regular",
        "slug": t.slug,
        "category_id": 1,
        "word_count": sum(len(p.raw.split()) for p in t.posts),
        "deleted_at": None,
        "user_id": t.user.id,
        "featured_link": None,
        "pinned_globally": False,
        "pinned_at": None,
        "pinned_until": None,
        "image_url": None,
        "slow_mode_seconds": 0,
        "draft": None,
        "draft_key": f"topic_{t.id}",
        "draft_sequence": 0,
        "unpinned": None,
        "pinned": False,
        "highest_post_number": len(t.posts),
        "deleted_by": None,
        "has_deleted": False,
        "actions_summary": [],
        "chunk_size": 20,
        "bookmarked": False,
        "bookmarks": [],
        "topic_timer": None,
        "message_bus_last_id": 0,
        "participant_count": len({p.user.id for p in t.posts}),
        "show_read_indicator": False,
        "thumbnails": None,
        "slow_mode_enabled_until": None,
        "details": _details(t, last),
    }


def _details(t: Topic, last: Post | None) -> dict[str, Any]:
    return {
        "can_edit": False,
        "notification_level": 1,
        "can_move_posts": False,
        "can_delete": False,
        "can_remove_allowed_users": False,
        "can_create_post": True,
        "can_reply_as_new_topic": True,
        "can_convert_topic": False,
        "can_review_topic": False,
        "can_close_topic": False,
        "can_archive_topic": False,
        "can_split_merge_topic": False,
        "can_edit_staff_notes": False,
        "can_toggle_topic_visibility": False,
        "can_pin_unpin_topic": False,
        "can_moderate_category": False,
        "can_remove_self_id": 0,
        "created_by": _user(t.user),
        "last_poster": _user(last.user if last else t.user),
    }


def error(message: str, kind: str, **extras: Any) -> dict[str, Any]:
    """Discourse's error body."""
    body: dict[str, Any] = {"errors": [message], "error_type": kind}
    if extras:
        body["extras"] = extras
    return body
