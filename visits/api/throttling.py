"""The API's rate limit, in a module of its own: REST framework imports it while it builds
its views."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousRateThrottle(AnonRateThrottle):
    """DJANGO_API_RATE requests per client address (settings.API_ANON_RATE), read when
    asked, so that a test can change it. Kept in the cache (CACHE_URL): with the default
    local-memory cache each worker process counts for itself."""

    def get_rate(self) -> str | None:
        rate: str | None = settings.API_ANON_RATE
        return rate
