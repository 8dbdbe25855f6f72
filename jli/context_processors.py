from django.conf import settings


def site(request):
    """What every page's layout needs: the site's own address for absolute links."""
    return {"SITE_URL": settings.SITE_URL}
