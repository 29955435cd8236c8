"""A format an endpoint does not have is a 406 that names the ones it has, not a 404."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.settings import api_settings


class ContentNegotiation(DefaultContentNegotiation):
    def filter_renderers(self, renderers, format):
        chosen = [renderer for renderer in renderers if renderer.format == format]
        if not chosen:
            formats = ", ".join(
                _("api (the browsable pages)") if renderer.format == "api" else renderer.format
                for renderer in renderers
            )
            raise NotAcceptable(
                {
                    api_settings.URL_FORMAT_OVERRIDE: [
                        _("This address has no %(format)r format. Its formats are: %(formats)s.")
                        % {"format": format, "formats": formats}
                    ]
                }
            )
        return chosen
