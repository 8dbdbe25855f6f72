from core.site import site_url
from jli.selectors import navigation_pages


def site(request):
    """What every page's layout needs: the site's own address, the story pages' menu.

    The menu is a lazy queryset: one query on pages that render the site header
    (templates/base.html), none on the admin's pages or on responses without a template.
    """
    return {"SITE_URL": site_url(), "navigation_pages": navigation_pages()}
