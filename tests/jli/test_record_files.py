"""Files of records (covers, photos, logos, PDFs) are served only by views that apply the
record's visibility (core/media.py); pages never link to /media/ (issue 14, item 3)."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from core.models import Status
from tests.factories import (
    AuthorshipFactory,
    FunderFactory,
    PersonFactory,
    ProfileChangeFactory,
    PublicationFactory,
    UserFactory,
    pdf_bytes,
    png_bytes,
)

pytestmark = pytest.mark.django_db


def _with_files(publication):
    publication.cover.save("cover.png", ContentFile(png_bytes()), save=False)
    publication.file.save("paper.pdf", ContentFile(pdf_bytes()), save=True)
    return publication


@pytest.fixture
def draft():
    return _with_files(PublicationFactory(slug="draft-paper", status=Status.DRAFT))


@pytest.fixture
def published():
    return _with_files(PublicationFactory(slug="strategy-report"))


def signed_in(user=None):
    """A client of its own (the suite's persona fixtures share one client)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def anonymous():
    return signed_in()


@pytest.fixture
def member(member_user):
    return signed_in(member_user)


@pytest.fixture
def other_member(other_member_user):
    return signed_in(other_member_user)


@pytest.fixture
def editor(editor_user):
    return signed_in(editor_user)


@pytest.fixture
def staff_without_permissions(db):
    return signed_in(UserFactory(username="bare-staff", is_staff=True))


FILE_URLS = ["cover/", "cover/thumbnail/", "download/"]


@pytest.mark.parametrize("suffix", FILE_URLS)
def test_a_drafts_files_answer_404_to_the_public_and_members(
    anonymous, member, staff_without_permissions, draft, suffix
):
    url = f"/publications/draft-paper/{suffix}"

    assert anonymous.get(url).status_code == 404
    assert member.get(url).status_code == 404
    if suffix != "download/":  # the download's preview rule is is_staff (issue 14, item 7)
        assert staff_without_permissions.get(url).status_code == 404


@pytest.mark.parametrize("suffix", FILE_URLS)
def test_staff_who_may_view_publications_preview_a_drafts_files_uncached(editor, draft, suffix):
    response = editor.get(f"/publications/draft-paper/{suffix}")

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_published_cover_is_public_and_cacheable(anonymous, published):
    response = anonymous.get("/publications/strategy-report/cover/")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_the_thumbnail_is_the_cover_scaled_down(anonymous, published):
    from PIL import Image

    response = anonymous.get("/publications/strategy-report/cover/thumbnail/")

    assert response.status_code == 200
    image = Image.open(ContentFile(b"".join(response.streaming_content)))
    assert image.width <= 160


def test_a_publication_without_a_cover_has_no_cover_url(anonymous):
    PublicationFactory(slug="plain")

    assert anonymous.get("/publications/plain/cover/").status_code == 404
    assert anonymous.get("/publications/plain/cover/thumbnail/").status_code == 404


def test_an_unchanged_file_answers_304(anonymous, published):
    first = anonymous.get("/publications/strategy-report/cover/")
    again = anonymous.get("/publications/strategy-report/cover/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304


def test_behind_nginx_the_view_only_authorises_and_nginx_sends_the_file(
    anonymous, editor, settings, draft, published
):
    settings.MEDIA_ACCEL_REDIRECT = True

    cover = anonymous.get("/publications/strategy-report/cover/")
    pdf = editor.get("/publications/draft-paper/download/")

    assert cover["X-Accel-Redirect"] == f"/media/{published.cover.name}"
    assert cover.content == b""
    assert cover["Content-Type"] == "image/png"
    assert pdf["X-Accel-Redirect"] == f"/media/{draft.file.name}"
    assert pdf["Content-Disposition"] == 'attachment; filename="draft-paper.pdf"'
    assert pdf["Cache-Control"] == "private, no-store"
    # The draft stays hidden: nginx is never told to send it to the public.
    assert anonymous.get("/publications/draft-paper/download/").status_code == 404
    assert anonymous.get("/publications/draft-paper/cover/").status_code == 404


def test_no_page_links_to_a_media_url(anonymous, editor, member, draft, published):
    person = PersonFactory(slug="ana")
    person.photo.save("ana.png", ContentFile(png_bytes()), save=True)
    funder = FunderFactory(slug="a-funder")
    funder.logo.save("logo.png", ContentFile(png_bytes()), save=True)
    AuthorshipFactory(publication=published, person=person)
    pages = {
        anonymous: ["/", "/publications/", "/publications/strategy-report/", "/people/ana/",
                 "/funders/", "/funders/a-funder/"],
        editor: ["/publications/draft-paper/", "/publications/"],
        member: ["/profile/"],
    }  # fmt: skip
    for who, urls in pages.items():
        for url in urls:
            body = who.get(url).content.decode()
            assert "/media/" not in body, url
    detail = editor.get("/publications/draft-paper/").content.decode()
    assert 'src="/publications/draft-paper/cover/"' in detail
    listing = anonymous.get("/publications/").content.decode()
    assert 'src="/publications/strategy-report/cover/thumbnail/"' in listing


def test_a_private_profiles_photo_is_seen_only_by_its_member_and_staff(
    anonymous, member, other_member, editor, member_user
):
    person = member_user.person
    person.is_public = False
    person.photo.save("mary.png", ContentFile(png_bytes()), save=True)
    url = f"/people/{person.slug}/photo/"

    assert anonymous.get(url).status_code == 404
    assert other_member.get(url).status_code == 404
    assert member.get(url)["Cache-Control"] == "private, no-store"
    assert editor.get(url).status_code == 200


def test_a_hidden_funders_logo_is_hidden(anonymous, editor):
    funder = FunderFactory(slug="quiet", is_public=False)
    funder.logo.save("logo.png", ContentFile(png_bytes()), save=True)

    assert anonymous.get("/funders/quiet/logo/").status_code == 404
    assert editor.get("/funders/quiet/logo/").status_code == 200


def test_a_photo_sent_for_review_is_seen_by_its_member_and_the_reviewers(
    anonymous, member, other_member, editor, member_user
):
    change = ProfileChangeFactory(person=member_user.person)
    change.photo.save("new.png", ContentFile(png_bytes()), save=True)
    url = f"/profile/changes/{change.pk}/photo/"

    assert anonymous.get(url).status_code == 404
    assert other_member.get(url).status_code == 404
    assert member.get(url).status_code == 200
    assert editor.get(url).status_code == 200
    review = editor.get(f"/admin/members/profilechange/{change.pk}/change/")
    assert f'src="{url}"' in review.content.decode()


def test_a_cover_costs_one_query(anonymous, published, django_assert_num_queries):
    # 1 query: the publication (anonymous: no session, no user).
    with django_assert_num_queries(1):
        response = anonymous.get("/publications/strategy-report/cover/")
    assert response.status_code == 200
