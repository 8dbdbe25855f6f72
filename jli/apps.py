from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JliConfig(AppConfig):
    name = "jli"
    verbose_name = _("Site and story pages")
    # Story pages: curated by the secretariat, seen by the public (core.apps).
    curated = True
    public_content = True

    def ready(self):
        from jli.models import StoryPage
        from search.models import Kind
        from search.sources import Source, register, story_page_document

        # Story pages are found by site search; the shell registers its own source
        # (search sits below the shell and may not name it).
        register(
            Source(
                Kind.PAGE,
                StoryPage,
                StoryPage.objects.all,
                story_page_document,
                previewable=True,
                viewname="story_page",  # StoryPage.get_absolute_url()
            )
        )
