"""Draw the site's raster icons from its SVG identity: favicon.ico, the touch icon and the
default social image in each language (static/img/jli-social.png, jli-social-fr.png). Run
after changing the identity or the French name, then commit the files.

The SVGs (static/img/jli-wordmark.svg, favicon.svg) are the source of the design; browsers
and social networks still ask for rasters (/favicon.ico, apple-touch-icon, og:image), so
they are drawn here with Pillow (already a dependency, for covers and photos) in the same
colours and type. The type is DejaVu Serif Bold, which Debian installs with fontconfig;
the command says so and stops when it is missing rather than drawing in a fallback font.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image, ImageDraw, ImageFont

# The colours of static/css/site.css (--accent-dark) and of the SVGs' rule.
INK = "#073f4a"
RULE = "#8fd3de"
WHITE = "#ffffff"
MIST = "#d9eef1"
FONT_DIRS = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu"]
SERIF_BOLD = "DejaVuSerif-Bold.ttf"
SANS = "DejaVuSans.ttf"


def _font(name, size):
    for folder in FONT_DIRS:
        path = Path(folder) / name
        if path.exists():
            return ImageFont.truetype(str(path), size)
    raise CommandError(f"{name} not found in {FONT_DIRS}: apt-get install fonts-dejavu-core")


def _mark(size):
    """The square mark of favicon.svg at `size` pixels: JLI over a rule, on ink."""
    scale = size / 64
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle([0, 0, size - 1, size - 1], radius=round(10 * scale), fill=INK)
    font = _font(SERIF_BOLD, round(23 * scale))
    draw.text((size / 2, 41 * scale), "JLI", font=font, fill=WHITE, anchor="ms")
    draw.rectangle([12 * scale, 48 * scale, 52 * scale, 51 * scale], fill=RULE)
    return image


def social_image_name(language):
    """The default social image of a language: English keeps the name it always had."""
    return "jli-social.png" if language == settings.LANGUAGE_CODE else f"jli-social-{language}.png"


def _wrap(text, font, width):
    """The words of `text` in lines no wider than `width` pixels."""
    lines = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and font.getlength(candidate) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def _fit(text):
    """The largest of three type sizes that sets `text` in three lines (English at 44 px,
    the longer French name smaller), with its leading and lines."""
    for size, leading in [(44, 56), (40, 50), (36, 46)]:
        font = _font(SERIF_BOLD, size)
        lines = _wrap(text, font, 1008)
        if len(lines) <= 3:
            return font, leading, lines
    return font, leading, lines  # the smallest size, however many lines


def _social(language):
    """1200 x 630 (the size Open Graph readers crop least): the wordmark and the full name
    in `language`, from the same catalogue as the pages (locale/)."""
    with translation.override(language):
        full_name = gettext(
            "Joint Learning Initiative on Human Resources for Health and Development"
        )
    image = Image.new("RGB", (1200, 630), INK)
    draw = ImageDraw.Draw(image)
    draw.text((96, 250), "JLI", font=_font(SERIF_BOLD, 150), fill=WHITE, anchor="ls")
    draw.rectangle([100, 282, 410, 292], fill=RULE)
    font, leading, lines = _fit(full_name)
    for row, line in enumerate(lines):
        draw.text((96, 370 + leading * row), line, font=font, fill=WHITE, anchor="ls")
    years = (96, 370 + leading * len(lines) + 30)
    draw.text(years, "2002–2004", font=_font(SANS, 34), fill=MIST, anchor="ls")
    return image


class Command(BaseCommand):
    help = (
        "Draw favicon.ico, apple-touch-icon.png and the social image of each language "
        "(jli-social.png, jli-social-fr.png) into static/img/."
    )

    def handle(self, *args, **options):
        folder = Path(settings.BASE_DIR) / "static" / "img"
        folder.mkdir(parents=True, exist_ok=True)
        _mark(256).save(folder / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
        # iOS draws its own rounded corners and no transparency: a full square on ink.
        touch = Image.new("RGB", (180, 180), INK)
        touch.paste(_mark(180), (0, 0), _mark(180))
        touch.save(folder / "apple-touch-icon.png", optimize=True)
        names = ["favicon.ico", "apple-touch-icon.png"]
        for language, _name in settings.LANGUAGES:
            name = social_image_name(language)
            _social(language).quantize(colors=64).save(folder / name, optimize=True)
            names.append(name)
        for name in names:
            size = (folder / name).stat().st_size
            self.stdout.write(f"static/img/{name}: {size:,} bytes")
