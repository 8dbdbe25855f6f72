"""Hostile payloads, and a site whose every text, rich-text and URL field holds one.

Each payload, if it ever ran, would set `window.__pwned` (the browser test checks it
stays undefined) or open a dialog.
"""

from html.parser import HTMLParser

from core.models import Status
from events.models import Participation
from groups.models import Membership, PersonLink, SecretariatBase
from publications.models import Authorship
from tests.factories import (
    EventFactory,
    FunderFactory,
    GroupFactory,
    PersonFactory,
    PublicationFactory,
    StoryPageFactory,
    TopicFactory,
)

RUN = "window.__pwned=1"

PAYLOADS = [
    f"<script>{RUN}</script>",
    f"<SCRIPT>{RUN}</SCRIPT>",
    f"<script src=data:text/javascript,{RUN}></script>",
    f'"><script>{RUN}</script>',
    f"'><script>{RUN}</script>",
    f"</title><script>{RUN}</script>",
    f"</textarea><script>{RUN}</script>",
    f"</script><script>{RUN}</script>",
    f"<scr<script>ipt>{RUN}</script>",
    f"<img src=x onerror={RUN}>",
    f'<img src="x" onerror="{RUN}">',
    f"<img/src/onerror={RUN}>",
    f"<body onload={RUN}>",
    f"<div onmouseover={RUN}>hover</div>",
    f"<input autofocus onfocus={RUN}>",
    f"<details open ontoggle={RUN}>",
    f"<video><source onerror={RUN}></video>",
    f"<audio src=x onerror={RUN}>",
    f"<marquee onstart={RUN}>",
    f'" onmouseover="{RUN}" x="',
    f"' onmouseover='{RUN}' x='",
    f'" autofocus onfocus="{RUN}',
    f'<a href="javascript:{RUN}">link</a>',
    f'<a href="JaVaScRiPt:{RUN}">link</a>',
    f'<a href="java&#x09;script:{RUN}">link</a>',
    f'<a href="&#106;avascript:{RUN}">link</a>',
    f'<a href="data:text/html,<script>{RUN}</script>">link</a>',
    f'<a href="vbscript:{RUN}">link</a>',
    f"javascript:{RUN}",
    f"data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+#{RUN}",
    f'<iframe src="javascript:{RUN}"></iframe>',
    f'<iframe srcdoc="<script>{RUN}</script>"></iframe>',
    f'<object data="javascript:{RUN}"></object>',
    f'<embed src="javascript:{RUN}">',
    f'<form action="javascript:{RUN}"><button>go</button></form>',
    f'<button formaction="javascript:{RUN}">go</button>',
    f"<svg onload={RUN}>",
    f"<svg><script>{RUN}</script></svg>",
    f'<svg><a xlink:href="javascript:{RUN}"><text>x</text></a></svg>',
    f"<svg><animate onbegin={RUN} attributeName=x dur=1s>",
    f"<math><mtext><table><mglyph><style><img src=x onerror={RUN}>",
    f"&lt;script&gt;{RUN}&lt;/script&gt;",
    f"%3Cscript%3E{RUN}%3C%2Fscript%3E",
    f"\\u003cscript\\u003e{RUN}\\u003c/script\\u003e",
    f"<<script>script>{RUN}<</script>/script>",
    f"<img src=x onerror={RUN}",
    f"<!--<img src=--><img src=x onerror={RUN}//>",
    f'<div style="width:expression({RUN})">css</div>',
    f'<div style="background:url(javascript:{RUN})">css</div>',
    f"<style>body{{background:url('javascript:{RUN}')}}</style>",
    f'<link rel="stylesheet" href="javascript:{RUN}">',
    f'<meta http-equiv="refresh" content="0;url=javascript:{RUN}">',
    f'<base href="javascript:{RUN}//">',
    "{{ 7|add:42 }}{% debug %}",
    "{{constructor.constructor('window.__pwned=1')()}}",
    "${window.__pwned=1}",
    f'<noscript><p title="</noscript><img src=x onerror={RUN}>">',
    f'<template><img src=x onerror="{RUN}"></template>',
]

# URL fields accept only web addresses: these must be refused by the form and the model.
HOSTILE_URLS = [
    f"javascript:{RUN}",
    f"JAVASCRIPT:{RUN}",
    f" javascript:{RUN}",
    f"java\tscript:{RUN}",
    f"data:text/html,<script>{RUN}</script>",
    f"vbscript:{RUN}",
    "file:///etc/passwd",
    f"https://exa mple.org/{RUN}",
    f"https://example.org/#'><img src=x onerror={RUN}>",
]
# Valid web addresses that carry markup: accepted, and must be escaped where rendered.
URL_PAYLOADS = [
    f'https://example.org/"onmouseover="{RUN}',
    f"https://example.org/?q=<svg/onload={RUN}>",
    f'https://example.org/"><script>{RUN}</script>',
]

URL_FIELDS = [
    ("groups.Person", "website"),
    ("groups.SecretariatBase", "website"),
    ("groups.PersonLink", "url"),
    ("publications.Publication", "external_url"),
    ("events.Event", "online_url"),
    ("funders.Funder", "website"),
]


def _fit(model, name, value):
    limit = model._meta.get_field(name).max_length
    return value[:limit] if limit else value


def _text(model, value, *names):
    return {name: _fit(model, name, value) for name in names}


def hostile_site(payload, index=0, url="https://example.org/"):
    """Published objects of every kind, linked together, every text field = payload."""
    from events.models import Event
    from funders.models import Funder
    from groups.models import Group, Person
    from jli.models import StoryPage
    from publications.models import Publication, Topic

    tag = f"h{index}"
    story = StoryPageFactory(
        slug=f"story-{tag}",
        show_in_navigation=True,
        is_home_intro=index == 0,
        **_text(StoryPage, payload, "title", "summary", "body"),
    )
    group = GroupFactory(
        slug=f"group-{tag}", **_text(Group, payload, "name", "theme", "description")
    )
    person = PersonFactory(
        slug=f"person-{tag}",
        website=url,
        **_text(
            Person, payload, "honorific", "given_name", "family_name", "affiliation",
            "position", "bio", "photo_alt",
        ),
    )  # fmt: skip
    PersonLink.objects.create(person=person, label=_fit(PersonLink, "label", payload), url=url)
    Membership.objects.create(person=person, group=group)
    SecretariatBase.objects.create(
        institution=_fit(SecretariatBase, "institution", payload),
        city=_fit(SecretariatBase, "city", payload),
        country="KE",
        website=url,
    )
    funder = FunderFactory(
        slug=f"funder-{tag}",
        website=url,
        **_text(Funder, payload, "name", "acronym", "acknowledgement", "support_kind"),
    )
    topic = TopicFactory(slug=f"topic-{tag}", name=_fit(Topic, "name", payload))
    publication = PublicationFactory(
        slug=f"publication-{tag}",
        external_url=url,
        is_featured=index == 0,
        **_text(
            Publication, payload, "title", "subtitle", "abstract", "summary", "body",
            "publisher", "place", "series", "number", "licence", "cover_alt",
        ),
    )  # fmt: skip
    publication.topics.add(topic)
    publication.groups.add(group)
    publication.funders.add(funder)
    Authorship.objects.create(publication=publication, person=person, position=1)
    Authorship.objects.create(
        publication=publication, name=_fit(Authorship, "name", payload), position=2
    )
    event = EventFactory(
        slug=f"event-{tag}",
        online_url=url,
        **_text(Event, payload, "title", "venue", "city", "summary", "description", "outcomes"),
    )
    event.organisers.add(group)
    event.publications.add(publication)
    event.funders.add(funder)
    Participation.objects.create(event=event, person=person)
    return {
        "story": story,
        "group": group,
        "person": person,
        "funder": funder,
        "publication": publication,
        "event": event,
        "status": Status.PUBLISHED,
    }


def public_urls(objects):
    """One URL of every public page type showing the objects."""
    return [
        "/",
        objects["story"].get_absolute_url(),
        "/groups/",
        objects["group"].get_absolute_url(),
        "/people/",
        objects["person"].get_absolute_url(),
        "/publications/",
        objects["publication"].get_absolute_url(),
        "/events/",
        objects["event"].get_absolute_url(),
        "/funders/",
        objects["funder"].get_absolute_url(),
    ]


FEED_AND_EXPORT_URLS = [
    "/publications/feed/",
    "/events/calendar.ics",
    "/sitemap.xml",
    "/publications/cite.bib",
    "/publications/cite.ris",
]

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "poster"}
ACTIVE_TAGS = {
    "script", "iframe", "object", "embed", "svg", "math", "style", "base", "frame",
    "frameset", "applet", "template", "noscript", "video", "audio", "marquee", "details",
    "meta", "link", "form", "button", "input",
}  # fmt: skip


class ActiveContent(HTMLParser):
    """Counts everything in a page that could run code or send the reader elsewhere."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = {}

    def _add(self, key):
        self.found[key] = self.found.get(key, 0) + 1

    def handle_starttag(self, tag, attrs):
        if tag in ACTIVE_TAGS:
            kind = dict(attrs).get("type", "") if tag == "script" else ""
            self._add(f"<{tag} {kind}".strip() + ">")
        for name, value in attrs:
            value = (value or "").strip().lower().replace("\t", "").replace("\n", "")
            if name.startswith("on"):
                self._add(f"{name}=")
            if name == "style":
                self._add("style=")
            if name in URL_ATTRIBUTES and value.startswith(("javascript:", "data:", "vbscript:")):
                self._add(f"{name}={value.split(':')[0]}:")


def active_content(html):
    parser = ActiveContent()
    parser.feed(html)
    parser.close()
    return parser.found


def injected(html, baseline):
    """Active content in `html` beyond what the same page has with harmless text."""
    found = active_content(html)
    return {key: count for key, count in found.items() if count > baseline.get(key, 0)}
