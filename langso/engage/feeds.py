"""RSS 2.0 and Atom feeds of a commune's announcements (django.contrib.syndication).

RFC 4287 requires an author for every Atom entry, given by the entry or by the feed: the
feed names the commune's People's Committee, which publishes every announcement, with the
address of its announcements page."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure

from . import queries
from .views.common import public_commune


class AnnouncementsRss(Feed):
    def get_object(self, request):
        return public_commune(request)

    def title(self, commune):
        return f"Thông báo — {commune.name}"

    def link(self, commune):
        return reverse("engage:announcements") + f"?xa={commune.code}"

    def description(self, commune):
        return f"Thông báo của UBND {commune.name}, {commune.parent.name if commune.parent else ''}"

    def author_name(self, commune):
        name = commune.name[:1].lower() + commune.name[1:]  # "Xã Vô Tranh" -> "xã Vô Tranh"
        return f"Ủy ban nhân dân {name}"

    def author_link(self, commune):
        return settings.LANGSO_PUBLIC_URL.rstrip("/") + self.link(commune)

    def items(self, commune):
        return queries.public_announcements(commune)[:50]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.body

    def item_link(self, item):
        return reverse("engage:announcement_detail", args=[item.public_id])

    def item_guid(self, item):
        return f"urn:uuid:{item.public_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_enclosures(self, item):
        return [Enclosure(a.file.url, str(a.size), a.content_type) for a in item.attachments.all()]

    def item_categories(self, item):
        return [item.audience_label]


class AnnouncementsAtom(AnnouncementsRss):
    feed_type = Atom1Feed

    def subtitle(self, commune):
        return self.description(commune)
