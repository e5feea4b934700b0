"""The announcements' Atom feed as RFC 4287 asks, read by our XML parser and by an
independent one (feedparser, whose `bozo` flag marks a feed it had to guess at)."""

from xml.etree import ElementTree

import feedparser
from django.urls import reverse

from langso.engage import actions

ATOM = "{http://www.w3.org/2005/Atom}"


def _atom(client, commune):
    response = client.get(reverse("engage:announcements_atom"), {"xa": commune.code})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return response.content


def _publish(official, commune, title):
    return actions.create_announcement(
        actor=official, commune=commune, title=title, body="Nội dung thông báo."
    )


def test_the_atom_feed_has_every_element_rfc_4287_requires(client, commune, official):
    _publish(official, commune, "Lịch tiêm chủng tháng 3")
    _publish(official, commune, "Họp dân thôn Đồng Kem")
    feed = ElementTree.fromstring(_atom(client, commune))  # noqa: S314  our own output
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert (feed.findtext(f"{ATOM}{name}") or "").strip(), name
    author = feed.find(f"{ATOM}author")
    assert author is not None, "feed-level author (RFC 4287 4.1.1)"
    assert author.findtext(f"{ATOM}name") == "Ủy ban nhân dân xã Vô Tranh"
    assert author.findtext(f"{ATOM}uri").startswith("http")
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{name}") or "").strip(), name
        assert entry.findtext(f"{ATOM}id").startswith("urn:uuid:")
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith("http")


def test_feedparser_reads_the_atom_feed_without_complaint(client, commune, official):
    _publish(official, commune, "Lịch tiêm chủng tháng 3")
    parsed = feedparser.parse(_atom(client, commune))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.author == "Ủy ban nhân dân xã Vô Tranh"
    assert parsed.feed.id and parsed.feed.updated
    assert [e.title for e in parsed.entries] == ["Lịch tiêm chủng tháng 3"]


def test_an_empty_feed_still_names_its_author(client, commune):
    parsed = feedparser.parse(_atom(client, commune))
    assert not parsed.bozo and parsed.feed.author == "Ủy ban nhân dân xã Vô Tranh"
