"""The hostile payload sweep: every text, rich-text and URL field holds a payload, and no
public page type shows it as live markup (the browser half: tests/browser/).

Text fields are written with the ORM (stricter than the admin's forms, which would
refuse some payloads first); URL fields go through their forms and models, which must
refuse anything but a web address.
"""

import xml.etree.ElementTree as ET

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction

from members.forms import ProfileForm, ProfileLinkForm
from tests.payloads import (
    FEED_AND_EXPORT_URLS,
    HOSTILE_URLS,
    PAYLOADS,
    URL_FIELDS,
    URL_PAYLOADS,
    active_content,
    hostile_site,
    injected,
    public_urls,
)

pytestmark = pytest.mark.django_db

HARMLESS = "Sample text"
_baseline = {}


def test_the_sweep_has_at_least_fifty_payloads():
    assert len(set(PAYLOADS)) >= 50


def _baselines(client):
    """Active content of each page type with harmless text (the site's own markup)."""
    if not _baseline:
        with transaction.atomic():
            urls = public_urls(hostile_site(HARMLESS))
            for position, url in enumerate(urls):
                response = client.get(url)
                assert response.status_code == 200, url
                _baseline[position] = active_content(response.text)
            transaction.set_rollback(True)
    return _baseline


def _check_page(client, url, payload, baseline):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.text
    assert injected(html, baseline) == {}, url
    if "<" in payload:
        # Escaped wherever it is shown (rich text is sanitised, so it differs too). A
        # quote alone is harmless in text; in an attribute the check above catches it.
        assert payload not in html, url
    return html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_every_field_is_never_live_on_any_public_page(client, payload):
    baselines = _baselines(client)
    objects = hostile_site(payload)
    for position, url in enumerate(public_urls(objects)):
        _check_page(client, url, payload, baselines[position])
    for url in [*FEED_AND_EXPORT_URLS, f"{objects['event'].get_absolute_url()[:-1]}.ics"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "html" not in response["Content-Type"], url
        assert response["X-Content-Type-Options"] == "nosniff"
        if url.endswith((".xml", "/feed/")):
            root = ET.fromstring(response.content)  # noqa: S314 (the site's own output)
            for element in root.iter():
                # Feed readers show descriptions and titles as HTML: none may be live.
                if element.text and element.tag.split("}")[-1] in {"description", "summary"}:
                    assert active_content(element.text) == {}, url


@pytest.mark.parametrize("payload", PAYLOADS[:12])
def test_payload_on_a_members_profile_page_is_never_live(member_client, member_user, payload):
    person = member_user.person
    for name in ("bio", "affiliation", "position", "photo_alt"):
        setattr(person, name, payload[: person._meta.get_field(name).max_length or None])
    person.save()
    html = member_client.get("/profile/").text
    if "<" in payload:
        assert payload not in html
    found = active_content(html)
    assert [key for key in found if key.startswith("on") or key.endswith(":")] == []
    assert "<script>" not in found


@pytest.mark.parametrize(("label", "name"), URL_FIELDS)
@pytest.mark.parametrize("value", HOSTILE_URLS)
def test_url_fields_refuse_anything_but_web_addresses(label, name, value):
    field = apps.get_model(label)._meta.get_field(name)
    with pytest.raises(ValidationError):
        field.formfield().clean(value)
    with pytest.raises(ValidationError):
        field.run_validators(field.to_python(value))


@pytest.mark.parametrize("value", HOSTILE_URLS)
def test_profile_form_refuses_hostile_web_addresses(value):
    form = ProfileForm(data={"website": value})
    form.is_valid()
    assert "website" in form.errors
    link = ProfileLinkForm(data={"label": "Home page", "url": value})
    assert not link.is_valid()
    assert "url" in link.errors


@pytest.mark.parametrize("url", URL_PAYLOADS)
def test_valid_addresses_carrying_markup_are_escaped_in_every_href(client, url):
    for label, name in URL_FIELDS:
        field = apps.get_model(label)._meta.get_field(name)
        field.run_validators(field.to_python(url))  # a valid web address: accepted
    baselines = _baselines(client)
    objects = hostile_site(HARMLESS, url=url)
    for position, page in enumerate(public_urls(objects)):
        html = _check_page(client, page, url, baselines[position])
        assert "<svg" not in html


def test_the_checker_finds_live_markup():
    """Without this, a checker that finds nothing would make the sweep pass vacuously."""
    page = (
        '<p><img src=x onerror="a()"><a href=" JavaScript:a()">x</a><svg onload=a()>'
        '<script>a()</script><div style="x"></div></p>'
    )
    assert injected(page, {}) == {
        "onerror=": 1,
        "href=javascript:": 1,
        "<svg>": 1,
        "onload=": 1,
        "<script>": 1,
        "style=": 1,
    }
    assert injected('<p>&lt;script&gt;a()&lt;/script&gt; " onload="a()</p>', {}) == {}
