"""The group page's people lines and the roles' periods, rendered in Python (group_tags)."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from groups.models import Membership, Role
from groups.templatetags.group_tags import period, role_list
from tests.factories import MembershipFactory, PersonFactory, SecretariatBaseFactory

pytestmark = pytest.mark.django_db

JAN_2003, DEC_2004 = datetime.date(2003, 1, 15), datetime.date(2004, 12, 1)


# The template the tag replaced: the tag must read the same, in every language.
PERIOD_TEMPLATE = (
    "{% load i18n %}{% if membership.start_date and membership.end_date %}{% blocktranslate "
    'trimmed with start=membership.start_date|date:"M Y" end=membership.end_date|date:"M Y" %}'
    "{{ start }} to {{ end }}{% endblocktranslate %}{% elif membership.start_date %}"
    '{% blocktranslate trimmed with start=membership.start_date|date:"M Y" %}since {{ start }}'
    "{% endblocktranslate %}{% elif membership.end_date %}{% blocktranslate trimmed with "
    'end=membership.end_date|date:"M Y" %}until {{ end }}{% endblocktranslate %}{% endif %}'
)


@pytest.mark.parametrize(
    ("start", "end", "english"),
    [
        (JAN_2003, DEC_2004, "Jan 2003 to Dec 2004"),
        (JAN_2003, None, "since Jan 2003"),
        (None, DEC_2004, "until Dec 2004"),
        (None, None, ""),
    ],
)
def test_period_reads_as_the_template_did_in_each_language(start, end, english):
    membership = Membership(start_date=start, end_date=end)
    assert period(membership) == english
    for language in ("en", "fr"):
        with translation.override(language):
            expected = Template(PERIOD_TEMPLATE).render(Context({"membership": membership}))
            assert period(membership) == expected


def test_role_list_links_each_person_and_escapes_their_fields():
    person = PersonFactory(
        given_name="Ama", family_name="<b>Mensah</b>", slug="ama", affiliation="A & B", country="GH"
    )
    base = SecretariatBaseFactory(institution="<i>Harvard</i>")
    MembershipFactory(person=person, role=Role.CO_CHAIR, base=base, start_date=JAN_2003)
    roles = Membership.objects.select_related("person", "base")

    html = role_list(roles)

    assert '<a href="/people/ama/">Ama &lt;b&gt;Mensah&lt;/b&gt;</a>, ' in html
    assert '<span class="role">Co-chair</span>' in html
    assert "&lt;i&gt;Harvard&lt;/i&gt;" in html
    assert '<span class="person-line__meta">A &amp; B, Ghana</span>' in html
    assert '<span class="person-line__meta">since Jan 2003</span>' in html
    with translation.override("fr"):
        assert '<span class="role">Coprésident</span>' in role_list(roles)


# The people directory's loop the tag replaced (templates/groups/person_list.html).
DIRECTORY_TEMPLATE = """{% load core_tags %}
  {% for person in people %}
  <li class="directory__item">
    <h2 class="directory__name"><a href="{{ person.get_absolute_url }}">{{ person.display_name }}</a></h2>
    {% if person.affiliation or person.country %}<p class="muted">{{ person.affiliation }}{% if person.affiliation and person.country %}, {% endif %}{{ person.country.name }}</p>{% endif %}
    {% if person.public_roles %}
    <p>{% for membership in person.public_roles %}{{ membership.get_role_display }}, <span{% lang_of membership.group "name" %}>{{ membership.group.name }}</span>{% if not forloop.last %}; {% endif %}{% endfor %}</p>
    {% endif %}
  </li>
  {% endfor %}"""  # noqa: E501


def test_directory_item_reads_as_the_template_did_in_each_language():
    from django.db.models import Prefetch, prefetch_related_objects

    from groups.selectors import load_public_roles, person_directory, published_memberships
    from groups.templatetags.group_tags import directory_item, directory_items
    from tests.factories import GroupFactory

    ama = PersonFactory(given_name="Ama", family_name="<b>Mensah</b>", honorific="Dr",
                        affiliation="A & B", country="GH")  # fmt: skip
    PersonFactory(given_name="Bo", family_name="Lee", affiliation="", country="")
    PersonFactory(given_name="Cy", family_name="Ng", affiliation="Only <affiliation>")
    MembershipFactory(person=ama, role=Role.CO_CHAIR,
                      group=GroupFactory(name="Supply & <demand>", name_fr="Offre"))  # fmt: skip
    MembershipFactory(person=ama, role=Role.MEMBER, group=GroupFactory(name="Migration"))
    for language in ("en", "fr"):
        with translation.override(language):
            people = load_public_roles(list(person_directory()))
            # The template read the roles as Membership instances, with their groups.
            prefetch_related_objects(
                people,
                Prefetch("memberships", queryset=published_memberships(), to_attr="public_roles"),
            )
            expected = Template(DIRECTORY_TEMPLATE).render(Context({"people": people}))
            html = "".join(directory_item(person) for person in people)
            assert html == expected.removeprefix("\n  ")
            assert directory_items(people) == html
            assert "Supply &amp; &lt;demand&gt;" in html if language == "en" else "Offre" in html
