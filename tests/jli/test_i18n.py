"""The French interface, and a catalogue that is complete and compiled.

Public pages are in French under /fr/ (English at the unprefixed addresses, whatever the
browser prefers); the admin answers in the editor's language (Accept-Language, or the
cookie the language form sets). Tests elsewhere run in English, the default. Content
without a French version is shown in English (tests/jli/test_languages.py).
"""

import ast
import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.factories import (
    EventFactory,
    FunderFactory,
    GroupFactory,
    MembershipFactory,
    PersonFactory,
    PublicationFactory,
)

NBSP = "\u00a0"  # French puts a no-break space before : ; ? !
CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES"
PO = CATALOGUE / "django.po"
MO = CATALOGUE / "django.mo"
# What `make messages` leaves out: not the site's interface.
IGNORED = [".venv", "bench", "tests", "staticfiles", "media", ".git", "locale"]
FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr"}


# --- Pages in French ---------------------------------------------------------------


@pytest.mark.django_db
def test_home_page_in_french_for_a_french_browser(client):
    group = GroupFactory(name="Working group 1")

    response = client.get("/fr/")

    text = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in text
    assert "Les groupes de travail</h2>" in text
    assert "Tous les groupes, le secrétariat et l'équipe de rédaction" in text
    assert f"Membres{NBSP}: se connecter" in text
    assert "Aller au contenu" in text
    # Content is data: the group's name is shown as entered.
    assert group.name in text
    assert "Skip to content" not in text


@pytest.mark.django_db
def test_publication_list_in_french(client):
    PublicationFactory(title="Working paper 1")

    response = client.get("/fr/publications/")

    text = response.content.decode()
    assert response.status_code == 200
    assert "<title>Publications · JLI</title>" in text
    assert '<option value="" selected>Tous les types</option>' in text
    assert '<option value="working_paper">Document de travail (1)</option>' in text
    assert '<option value="strategy_report">Rapport de stratégie (0)</option>' in text
    assert "Les plus récentes d&#x27;abord" in text  # a form's label, escaped
    assert ">Afficher</button>" in text
    assert "Flux Atom" in text
    assert "Working paper 1" in text


@pytest.mark.django_db
def test_people_list_counts_in_french_plural(client):
    group = GroupFactory()
    MembershipFactory(person=PersonFactory(), group=group)
    MembershipFactory(person=PersonFactory(), group=group)

    response = client.get("/fr/people/")

    assert response.status_code == 200
    assert "2 personnes" in response.content.decode()


@pytest.mark.django_db
def test_event_detail_in_french(client):
    event = EventFactory(title="Consultation 1")

    response = client.get(f"/fr{event.get_absolute_url()}")

    text = response.content.decode()
    assert response.status_code == 200
    assert "<dt>Quand</dt>" in text
    assert "2 juin 2003" in text  # dates in French too
    assert "(journée entière)" in text
    assert "Ajouter au calendrier" in text
    assert "Consultation 1" in text


@pytest.mark.django_db
def test_publication_detail_in_french(client):
    funder = FunderFactory(name="Foundation 1")
    publication = PublicationFactory(title="Working paper 1")
    publication.funders.add(funder)

    response = client.get(f"/fr{publication.get_absolute_url()}")

    text = response.content.decode()
    assert response.status_code == 200
    assert "Ce document n'est pas disponible en ligne." in text
    assert "<dt>Avec le soutien de</dt>" in text
    assert "Citer cette publication" in text
    assert f"Pour votre gestionnaire de références{NBSP}:" in text


@pytest.mark.django_db
def test_sign_in_page_in_french(client):
    response = client.get("/fr/accounts/login/")

    text = response.content.decode()
    assert response.status_code == 200
    assert "<title>Se connecter · JLI</title>" in text
    assert "Adresse e-mail" in text
    assert f"Mot de passe oublié{NBSP}?" in text
    assert "Les membres de l'Initiative se connectent avec leur adresse e-mail" in text


@pytest.mark.django_db
def test_wrong_sign_in_message_in_french(client, member_user):
    response = client.post(
        "/fr/accounts/login/", {"username": "member@example.org", "password": "wrong"}
    )

    assert response.status_code == 200
    assert (
        f"Cette adresse e-mail et ce mot de passe ne correspondent à aucun compte. "
        f"Vérifiez les deux{NBSP}; le mot de passe distingue les majuscules des minuscules."
    ) in response.content.decode()


@pytest.mark.django_db
def test_not_found_page_in_french(client):
    response = client.get("/fr/no-such-page/")

    text = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page introuvable</h1>" in text
    assert "Il n'y a aucune page à cette adresse." in text
    assert "Aller à la page d'accueil" in text


@pytest.mark.django_db
def test_pages_stay_english_without_a_french_address(client):
    response = client.get("/no-such-page/")

    text = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="en">' in text
    assert "<h1>Page not found</h1>" in text


@pytest.mark.django_db
def test_profile_photo_help_is_translated_when_shown(member_client):
    """Interpolated help texts are translated per request, not once at import."""
    response = member_client.get("/fr/profile/")

    assert response.status_code == 200
    assert (
        f"JPEG, PNG, WebP ou GIF, {settings.MAX_IMAGE_UPLOAD_MB} Mo au maximum. "
        "Elle est affichée dans un petit cercle."
    ) in response.content.decode()


# --- The admin, for a French-speaking editor -----------------------------------------


@pytest.mark.django_db
def test_admin_changelist_in_french_for_an_editor(editor_client):
    PublicationFactory(title="Working paper 1")

    response = editor_client.get("/admin/publications/publication/", **FRENCH)

    text = response.content.decode()
    assert response.status_code == 200
    # Django's own words, then ours: verbose names, choices, actions, filters.
    assert "Sélectionnez l’objet publication à changer" in text
    assert "Publier la sélection (publications)" in text
    assert "Dépublier la sélection (publications), retour en brouillon" in text
    assert ">À la une</a>" in text  # the column of `is_featured`
    assert "Document de travail" in text
    assert "Par année" in text  # our list filter's title
    assert "Working paper 1" in text


@pytest.mark.django_db
def test_admin_change_form_help_texts_in_french(editor_client):
    publication = PublicationFactory()

    response = editor_client.get(
        f"/admin/publications/publication/{publication.pk}/change/", **FRENCH
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "Pour une année seule, saisissez le 1er janvier" in text
    assert "Mis à jour le" in text  # the `updated_at` field's name
    assert "Rattachement" in text  # a fieldset ("Where it belongs")


# --- The catalogue -------------------------------------------------------------------


def _unquote(text):
    return ast.literal_eval(text)


def parse_po(path):
    """The entries of a PO file: [{msgctxt, msgid, msgid_plural, msgstr: [...], fuzzy}]."""
    entries, entry, field = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry and entry["msgid"] is not None:
                entries.append(entry)
            entry, field = None, None
            continue
        if entry is None:
            entry = {"msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": []}
            entry["fuzzy"] = False
        if line.startswith("#,"):
            entry["fuzzy"] = "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if field == "msgstr":
                entry["msgstr"][-1] += _unquote(line)
            else:
                entry[field] += _unquote(line)
        else:
            keyword, _space, value = line.partition(" ")
            if keyword.startswith("msgstr"):
                field = "msgstr"
                entry["msgstr"].append(_unquote(value))
            else:
                field = keyword
                entry[keyword] = _unquote(value)
    return [entry for entry in entries if entry["msgid"]]  # without the header


PLACEHOLDER = re.compile(r"%\([a-z_]+\)[-+ #0-9.]*[sdfr]|%[sdf]|\{\{ ?\w+ ?\}\}")


def test_every_message_is_translated_and_not_fuzzy():
    entries = parse_po(PO)

    assert len(entries) > 500
    untranslated = [entry["msgid"] for entry in entries if not all(entry["msgstr"])]
    fuzzy = [entry["msgid"] for entry in entries if entry["fuzzy"]]
    assert untranslated == []
    assert fuzzy == []


def test_plural_messages_have_both_french_forms():
    header = PO.read_text(encoding="utf-8")
    plurals = [entry for entry in parse_po(PO) if entry["msgid_plural"]]

    assert '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"' in header
    assert plurals  # the parser found them (a parse failure would pass the next line)
    assert [entry["msgid"] for entry in plurals if len(entry["msgstr"]) != 2] == []


def test_translations_keep_the_placeholders():
    wrong = []
    for entry in parse_po(PO):
        expected = sorted(PLACEHOLDER.findall(entry["msgid_plural"] or entry["msgid"]))
        for translation in entry["msgstr"]:
            if sorted(PLACEHOLDER.findall(translation)) != expected:
                wrong.append((entry["msgid"], translation))
    assert wrong == []


def test_compiled_catalogue_matches_the_po_file():
    """The committed .mo is what the .po says (a fresh machine may lack gettext)."""
    with MO.open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    expected = {}
    for entry in parse_po(PO):
        key = entry["msgid"]
        if entry["msgctxt"] is not None:
            key = f"{entry['msgctxt']}\x04{key}"
        if entry["msgid_plural"]:
            for index, translation in enumerate(entry["msgstr"]):
                expected[(key, index)] = translation
        else:
            expected[key] = entry["msgstr"][0]
    actual = {key: value for key, value in catalogue._catalog.items() if key != ""}

    assert actual == expected


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext (msgfmt) is not installed")
def test_msgfmt_check_passes():
    result = subprocess.run(
        ["msgfmt", "--check", "--output-file=/dev/null", str(PO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


@pytest.mark.skipif(not shutil.which("xgettext"), reason="gettext (xgettext) is not installed")
def test_catalogue_has_every_message_of_the_code(tmp_path, monkeypatch, settings):
    """`makemessages` over a copy of the code finds nothing new, changed or gone.

    A string added or reworded in a template or module without `make messages` and a
    translation fails here: untranslated (new) or fuzzy (changed).
    """
    base = Path(settings.BASE_DIR)
    copy = tmp_path / "site"
    shutil.copytree(base, copy, ignore=shutil.ignore_patterns(*IGNORED, "__pycache__"))
    (copy / "locale" / "fr" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(PO, copy / "locale" / "fr" / "LC_MESSAGES" / "django.po")
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)

    call_command(
        "makemessages",
        locale=["fr"],
        ignore_patterns=IGNORED,
        no_obsolete=True,
        verbosity=0,
    )

    fresh = parse_po(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po")
    committed = parse_po(PO)
    keys = {(entry["msgctxt"], entry["msgid"]) for entry in committed}
    fresh_keys = {(entry["msgctxt"], entry["msgid"]) for entry in fresh}
    assert sorted(fresh_keys - keys, key=str) == []  # new, not in the catalogue
    assert sorted(keys - fresh_keys, key=str) == []  # gone from the code
    assert [entry["msgid"] for entry in fresh if entry["fuzzy"] or not all(entry["msgstr"])] == []
