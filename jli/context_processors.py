from django.utils.functional import SimpleLazyObject

from core.site import site_url
from jli.selectors import navigation_menu


def site(request):
    """What every page's layout needs: the site's own address, the story pages' menu.

    The menu is lazy: read only by pages that render the site header (templates/base.html),
    not by the admin's pages or responses without a template; and it comes from the cache
    until content changes (jli.selectors.navigation_menu), so most pages read it without
    a query.
    """
    return {"SITE_URL": site_url(), "navigation_pages": SimpleLazyObject(navigation_menu)}
