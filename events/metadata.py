"""What search engines and link previews read about an event: schema.org JSON-LD."""

from core.links import slug_urls
from core.site import absolute_url
from groups.models import Group
from publications.display import Reader


def _when(event, which):
    if event.is_all_day:
        return (event.start_date if which == "start" else event.last_day).isoformat()
    start, end = event.compute_bounds()
    return (start if which == "start" else end).isoformat()


def event_json_ld(event):
    """A schema.org Event as a JSON string, safe to put inside <script type=...ld+json>."""
    url = absolute_url(event.get_absolute_url())
    places = []
    if event.venue or event.city or event.country:
        address = {"@type": "PostalAddress"}
        if event.city:
            address["addressLocality"] = event.city
        if event.country:
            address["addressCountry"] = event.country.code
        places.append(
            {
                "@type": "Place",
                "name": event.venue or event.city or event.country.name,
                "address": address,
            }
        )
    if event.is_online:
        places.append({"@type": "VirtualLocation", "url": event.online_url or url})
    if event.is_online and len(places) > 1:
        mode = "https://schema.org/MixedEventAttendanceMode"
    elif event.is_online:
        mode = "https://schema.org/OnlineEventAttendanceMode"
    else:
        mode = "https://schema.org/OfflineEventAttendanceMode"
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": url,
        "startDate": _when(event, "start"),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": mode,
    }
    if event.end_date or event.end_time or event.is_all_day:
        data["endDate"] = _when(event, "end")
    if event.summary:
        data["description"] = event.summary
    if places:
        data["location"] = places[0] if len(places) == 1 else places
    organisers = getattr(event, "public_organisers", [])
    if organisers:
        # Plain records (events.selectors.event_detail): each name as its descriptor
        # reads it (publications.display.Reader), each address by its slug.
        reader = Reader()
        columns = reader.columns(Group, "name")
        url = slug_urls("groups:group_detail", reader.language)
        data["organizer"] = [
            {
                "@type": "Organization",
                "name": reader.text(group, columns, "name")[0],
                "url": absolute_url(url(group.slug)),
            }
            for group in organisers
        ]
    return data
