"""Who is asking, and how often: the API rate limit for anonymous requests and the login lockout."""

from django.conf import settings
from django.core.cache import caches
from django.utils.connection import ConnectionProxy
from rest_framework import throttling


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or NUM_PROXIES hops back in X-Forwarded-For behind proxies.

    The same rule as the API's rate limit, so that the login lockout and the rate limit agree on
    who the client is, and neither trusts an X-Forwarded-For header that no proxy of ours wrote.
    """
    remote_addr = request.META.get("REMOTE_ADDR")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if not settings.NUM_PROXIES or not forwarded:
        return remote_addr
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote_addr
    return hops[-min(settings.NUM_PROXIES, len(hops))]


class AnonRateThrottle(throttling.AnonRateThrottle):
    """Anonymous API requests, at most settings.API_ANON_RATE per client address; None: no limit.

    The rate is read when each request is checked, not once at start-up, so that the setting
    (DJANGO_API_ANON_RATE) is the one place it lives.
    """

    cache = ConnectionProxy(caches, "throttle")

    def get_rate(self):
        return settings.API_ANON_RATE
